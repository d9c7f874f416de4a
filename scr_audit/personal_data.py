"""Spotting personal identifiers in free text, so they stay out of Board records.

Reviews are anonymised ("Child D"), but evidence notes are typed in a hurry from case
records. These patterns catch the identifiers that most often slip through. They aim at
few false alarms: an NHS number must pass its modulus-11 check, a date must sit next to
"DOB" or "born" to count as a date of birth. They cannot catch names; the README says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

REDACTED = "[redacted]"


@dataclass(frozen=True)
class Match:
    kind: str
    text: str
    start: int
    end: int


_NHS = re.compile(r"(?<![\d/.-])(\d{3})([ -]?)(\d{3})\2(\d{4})(?![\d/.-]|\s\d)")
_POSTCODE = re.compile(
    r"\b(?:GIR ?0AA|(?:[A-PR-UWYZ][0-9][0-9]?|[A-PR-UWYZ][A-HK-Y][0-9][0-9]?|[A-PR-UWYZ][0-9][A-HJKPSTUW]"
    r"|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY]) ?[0-9][ABD-HJLNP-UW-Z]{2})\b"
)
# Any two letters: HMRC's own example number (QQ 12 34 56 C) uses a prefix it never issues,
# and text that copies it is as much a slip as a real one.
_NINO = re.compile(r"\b[A-Z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b", re.IGNORECASE)
#: What `_emails` finds, as the pattern it replaces would: r"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b".
#: Run as a regular expression that pattern backtracks without bound ("a." ten thousand
#: times takes minutes), so it is matched by hand, in time linear in the text.
_EMAIL_LOCAL = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._%+-")
_EMAIL_DOMAIN = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-")
_ASCII_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
_PHONE = re.compile(
    r"(?<![\d+])(?:"
    r"(?:\+44\s?\(?0?\)?\s?|0044\s?|0)"  # country code or trunk 0
    r"(?:7\d{3}\s?\d{3}\s?\d{3}"  # mobiles: 07xxx xxx xxx
    r"|[1-3]\d{2,4}\s?\d{3}\s?\d{3,4}"  # geographic and 03: 01xxx xxxxxx, 020 7xxx xxxx
    r"|[1-3]\d\s?\d{4}\s?\d{4}"  # 020 7766 7400
    r"|8\d{2}\s?\d{3}\s?\d{4})"  # 08xx
    r")(?!\d)"
)
_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
# Every run of spaces is bounded: `\s*[:\-]?\s*` after "born" let a long run of spaces be
# split two ways at every length, which took minutes on a 20 KB note. Ten is far more
# than anyone types between "born" and the date.
_SP = r"\s{1,10}"  # where one or more spaces go
_OPT_SP = r"\s{0,10}"  # where spaces may go
_DATE = (
    r"(?:\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}-\d{1,2}-\d{1,2}|"
    rf"\d{{1,2}}(?:st|nd|rd|th)?{_SP}(?:of{_SP})?{_MONTHS}\.?,?{_SP}\d{{4}}|{_MONTHS}\.?{_SP}\d{{1,2}}(?:st|nd|rd|th)?,?{_SP}\d{{4}})"
)
_DOB = re.compile(
    rf"\b(?:d\.?\s?o\.?\s?b\.?|date{_SP}of{_SP}birth|born(?:{_SP}on)?|birth{_OPT_SP}date)"
    rf"{_OPT_SP}(?:[:\-]{_OPT_SP})?(?:(?:was|is|on){_SP})?({_DATE})",
    re.IGNORECASE,
)

KINDS = {
    "nhs-number": "an NHS number",
    "postcode": "a UK postcode",
    "ni-number": "a National Insurance number",
    "date-of-birth": "a date of birth",
    "email": "an e-mail address",
    "phone": "a UK phone number",
}


def nhs_number_valid(digits: str) -> bool:
    """The NHS number modulus-11 check digit."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1)))
    check = 11 - total % 11
    if check == 11:
        check = 0
    if check == 10:
        return False
    return check == int(digits[9]) and len(set(digits)) > 1


_WORTH_A_LOOK = re.compile(r"\d|@")


def find(text: str) -> list[Match]:
    """Every identifier-like stretch of `text`, without overlaps, in order."""
    # every pattern needs a digit, except an e-mail address, which needs an @
    if len(text) < 5 or not _WORTH_A_LOOK.search(text):
        return []
    found: list[Match] = []
    for m in _NHS.finditer(text):
        if nhs_number_valid(m.group(1) + m.group(3) + m.group(4)):
            found.append(Match("nhs-number", m.group(), m.start(), m.end()))
    if "@" in text:
        found += [Match("email", text[a:b], a, b) for a, b in _emails(text)]
    found += [Match("ni-number", m.group(), m.start(), m.end()) for m in _NINO.finditer(text)]
    found += [Match("postcode", m.group(), m.start(), m.end()) for m in _POSTCODE.finditer(text)]
    for m in _DOB.finditer(text):
        found.append(Match("date-of-birth", m.group(1), m.start(1), m.end(1)))
    found += [Match("phone", m.group(), m.start(), m.end()) for m in _PHONE.finditer(text)]
    found.sort(key=lambda m: (m.start, -(m.end - m.start)))
    kept: list[Match] = []
    for m in found:
        if kept and m.start < kept[-1].end:
            continue
        kept.append(m)
    return kept


def _is_word(ch: str) -> bool:
    """What `\\w` matches in a Python text pattern."""
    return ch.isalnum() or ch == "_"


def _boundary(text: str, i: int) -> bool:
    """Whether `\\b` holds at position `i`."""
    before = i > 0 and _is_word(text[i - 1])
    after = i < len(text) and _is_word(text[i])
    return before != after


def _emails(text: str) -> list[tuple[int, int]]:
    """(start, end) of each e-mail address, as the pattern above finds them, in linear time.

    Neither part of an address can hold an '@', so the scans left and right of each '@'
    never cross another one: every character is looked at a bounded number of times.
    """
    out: list[tuple[int, int]] = []
    last_end = 0
    for candidate in _EMAIL_AT.finditer(text):
        at = candidate.start()
        if at <= last_end:
            continue
        run = at
        while run > last_end and text[run - 1] in _EMAIL_LOCAL:
            run -= 1
        start = next((i for i in range(run, at) if _boundary(text, i)), None)
        if start is not None:
            end = _domain_end(text, at + 1)
            if end is not None:
                out.append((start, end))
                last_end = end
    return out


#: Each '@' with an address character before it and a dot and two letters after it: the
#: only ones worth a look (the lookahead's scan stops at the next '@', so it too is linear).
_EMAIL_AT = re.compile(r"(?<=[A-Za-z0-9._%+-])@(?=[A-Za-z0-9.-]*\.[A-Za-z]{2})")


def _domain_end(text: str, first: int) -> int | None:
    """Where `[A-Za-z0-9.-]+\\.[A-Za-z]{2,}\\b` starting at `first` ends, taking the longest, or None."""
    n = len(text)
    stop = first
    while stop < n and text[stop] in _EMAIL_DOMAIN:
        stop += 1
    dot = text.rfind(".", first + 1, stop)
    while dot > first:
        letters = dot + 1
        while letters < stop and text[letters] in _ASCII_LETTERS:
            letters += 1
        if letters - dot - 1 >= 2 and _boundary(text, letters):
            return letters
        dot = text.rfind(".", first + 1, dot)
    return None


def redact(text: str) -> tuple[str, int]:
    """`text` with every match replaced by [redacted], and how many were replaced."""
    matches = find(text)
    if not matches:
        return text, 0
    out, last = [], 0
    for m in matches:
        out.append(text[last : m.start])
        out.append(REDACTED)
        last = m.end
    out.append(text[last:])
    return "".join(out), len(matches)
