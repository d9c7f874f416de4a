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
_EMAIL = re.compile(r"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b")
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
_DATE = (
    r"(?:\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}-\d{1,2}-\d{1,2}|"
    rf"\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTHS}\.?,?\s+\d{{4}}|{_MONTHS}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}})"
)
_DOB = re.compile(
    rf"\b(?:d\.?\s?o\.?\s?b\.?|date\s+of\s+birth|born(?:\s+on)?|birth\s*date)\s*[:\-]?\s*(?:was\s+|is\s+|on\s+)?({_DATE})",
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
        found += [Match("email", m.group(), m.start(), m.end()) for m in _EMAIL.finditer(text)]
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
