"""What a report says in so many words: its review method, its dates, a conclusion that the
death or harm "could not have been predicted or prevented", and what it should not say
(personal identifiers left in) or shows it had to hide (redaction marks).

Each is found in a sentence, and the sentence is kept with its page, so the assessor can
read it where it stands. A date is taken only when the report states it in full and only
one date is stated for it; two different dates for the incident is no answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Iterable, Optional

from scr_audit import personal_data

_SPLIT = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[A-Z0-9\"“‘(\[])")


@dataclass(frozen=True)
class Sentence:
    text: str
    page: int


def sentences(blocks: Iterable[tuple[int, str]]) -> list[Sentence]:
    out = []
    for page, text in blocks:
        for s in _SPLIT.split(text):
            s = s.strip()
            if s:
                out.append(Sentence(s, page))
    return out


# ------------------------------------------------------------------------- method

#: How each review method of the set's choice question is named in reports, by option id.
#: An option the set does not have is never chosen; "other" is never chosen by scan.
METHODS: dict[str, re.Pattern[str]] = {
    "learning-together": re.compile(r"learning\s+together|\bSCIE\b[^.]{0,60}\b(?:model|approach|methodology|systems)", re.IGNORECASE),
    "silp": re.compile(r"significant\s+incident\s+learning\s+process|\bSILP\b"),
    "welsh-cpr": re.compile(r"child\s+practice\s+review", re.IGNORECASE),
    "systems": re.compile(r"\bsystem(?:s|ic)?\s+(?:methodology|approach|model|based|review|thinking|framework)", re.IGNORECASE),
    "hybrid": re.compile(r"\b(?:hybrid|blended)\b[^.]{0,50}\b(?:approach|model|method|methodology|review)|\bcombin(?:ed|ation\s+of)\b[^.]{0,40}\b(?:methodolog|approach|model)", re.IGNORECASE),
    "traditional": re.compile(r"\btraditional\b[^.]{0,30}\b(?:model|approach|methodology|method|review)|\bindividual\s+management\s+reviews?\b[^.]{0,120}\bchronolog", re.IGNORECASE),
}
#: Other methods a report may name that the set's options do not: shown, never chosen.
OTHER_METHODS = re.compile(r"significant\s+event\s+analysis|appreciative\s+inquiry|partnership\s+learning\s+review|thematic\s+(?:approach|review)|root\s+cause\s+analysis", re.IGNORECASE)
_METHOD_CONTEXT = re.compile(r"\b(?:method|methodology|approach|model|process|framework|using|used|followed|undertaken|conducted|carried\s+out|based\s+on)\b", re.IGNORECASE)
#: When several are named: a hybrid said so wins; Learning Together is itself a systems model.
_PRECEDENCE = ("hybrid", "learning-together", "silp", "welsh-cpr", "traditional", "systems")


@dataclass
class Method:
    choice: Optional[str]  # an option id of the set, or None when not clear
    found: list[tuple[str, Sentence]]  # (option id or "other", sentence)


def method(sents: list[Sentence], options: Iterable[str]) -> Optional[Method]:
    allowed = [o for o in options if o in METHODS]
    found: list[tuple[str, Sentence]] = []
    for s in sents:
        if not _METHOD_CONTEXT.search(s.text):
            continue
        for option in allowed:
            if METHODS[option].search(s.text):
                found.append((option, s))
        if OTHER_METHODS.search(s.text):
            found.append(("other", s))
    if not found:
        return None
    named = {o for o, _ in found if o != "other"}
    choice = None
    if named:
        ordered = [o for o in _PRECEDENCE if o in named]
        if "hybrid" in named or len(named) == 1 or named <= {"learning-together", "systems"}:
            choice = ordered[0]
    return Method(choice, found)


# ---------------------------------------------------------------------------- dates

_MONTH_NAMES = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"]
_MONTH = r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
_DATES = re.compile(
    rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\.?,?\s+(?P<year>(?:19|20)\d\d)\b"
    rf"|\b(?P<month2>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?\s+(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year2>(?:19|20)\d\d)\b"
    r"|\b(?P<iy>(?:19|20)\d\d)-(?P<im>\d\d)-(?P<id>\d\d)\b"
    r"|\b(?P<nd>\d{1,2})[/.](?P<nm>\d{1,2})[/.](?P<ny>(?:19|20)\d\d)\b",
    re.IGNORECASE,
)
#: The dates the set asks for, by what a sentence says around them.
DATE_KINDS: dict[str, re.Pattern[str]] = {
    "incident": re.compile(
        r"\b(?:died|death|was\s+found|were\s+found|admitted\s+to\s+hospital|taken\s+to\s+hospital|presented\s+at|was\s+injured|sustained|suffered|"
        r"serious(?:ly)?\s+(?:harm|injur)\w*|the\s+incident|collapsed|non-accidental\s+injur\w*|was\s+harmed|was\s+killed)\b",
        re.IGNORECASE,
    ),
    "decision": re.compile(
        r"\b(?:decided|decision|agreed|determined|confirmed|initiated|commissioned|recommended)\b[^.]{0,90}\b(?:serious\s+case\s+review|scr|this\s+review|a\s+review|the\s+review)\b"
        r"|\b(?:serious\s+case\s+review|scr|the\s+review|this\s+review)\b[^.]{0,60}\b(?:was|were)\s+(?:commissioned|initiated|agreed|decided|authorised)\b"
        r"|\b(?:criteria|threshold)\b[^.]{0,60}\b(?:were|was)\s+met\b",
        re.IGNORECASE,
    ),
    "published": re.compile(r"\b(?:published|publication)\b", re.IGNORECASE),
}
_DOB = re.compile(r"\b(?:born|birth|d\.?o\.?b)\b", re.IGNORECASE)


@dataclass
class StatedDate:
    kind: str
    value: Optional[date]  # None when the report states several different ones
    sentences: list[tuple[date, Sentence]]


def dates(sents: list[Sentence]) -> dict[str, StatedDate]:
    found: dict[str, list[tuple[date, Sentence]]] = {k: [] for k in DATE_KINDS}
    for s in sents:
        if _DOB.search(s.text):
            continue
        values = [d for d in (_date(m) for m in _DATES.finditer(s.text)) if d is not None]
        if len(values) != 1:
            continue  # no date, or several in one sentence: which is which is not clear
        for kind, pattern in DATE_KINDS.items():
            if pattern.search(s.text):
                found[kind].append((values[0], s))
                break
    out = {}
    for kind, items in found.items():
        if not items:
            continue
        distinct = {d for d, _ in items}
        out[kind] = StatedDate(kind, items[0][0] if len(distinct) == 1 else None, items)
    return out


def _date(m: re.Match[str]) -> Optional[date]:
    try:
        if m.group("day"):
            return date(int(m.group("year")), _month(m.group("month")), int(m.group("day")))
        if m.group("day2"):
            return date(int(m.group("year2")), _month(m.group("month2")), int(m.group("day2")))
        if m.group("iy"):
            return date(int(m.group("iy")), int(m.group("im")), int(m.group("id")))
        d, mo, y = int(m.group("nd")), int(m.group("nm")), int(m.group("ny"))
        if d <= 12 and mo <= 12 and d != mo:
            return None  # 03/04/2025: the 3rd of April or March the 4th; not taken
        return date(y, mo, d)
    except ValueError:
        return None


def _month(name: str) -> int:
    low = name.lower()[:3]
    return next(i + 1 for i, full in enumerate(_MONTH_NAMES) if full.startswith(low))


# --------------------------------------------------------------- predicted/prevented

PREDICTED = re.compile(
    r"\b(?:could\s*n[o']t|could\s+not|would\s+not|cannot|can\s*not)\s+(?:reasonably\s+|realistically\s+|have\s+reasonably\s+)?(?:have\s+)?(?:been\s+)?(?:reasonably\s+)?(?:predicted|prevented|foreseen|anticipated)\b"
    r"|\b(?:neither|not)\s+(?:reasonably\s+)?(?:predictable|preventable|foreseeable)\b|\bunpredictable\s+and\s+unpreventable\b"
    r"|\bno\s+(?:agency|professional|one)\s+could\s+have\s+(?:predicted|prevented|foreseen)\b",
    re.IGNORECASE,
)


def predicted(sents: list[Sentence]) -> list[Sentence]:
    return [s for s in sents if PREDICTED.search(s.text)]


# ------------------------------------------------------------------------ redaction

REDACTION = re.compile(
    r"\[\s*(?:redacted|removed|withheld|deleted|name\s+removed|text\s+removed|information\s+removed)\s*\]|<\s*redacted\s*>|\(\s*redacted\s*\)"
    r"|\bX{3,}\b|\bx{4,}\b|█{2,}|▇{2,}|■{3,}|\*{4,}",
)


@dataclass(frozen=True)
class Mark:
    text: str
    page: int


def redactions(blocks: Iterable[tuple[int, str]]) -> list[Mark]:
    return [Mark(m.group(0), page) for page, text in blocks for m in REDACTION.finditer(text)]


# --------------------------------------------------------------------- personal data


@dataclass(frozen=True)
class Identifier:
    kind: str  # personal_data.KINDS key
    page: int


def identifiers(blocks: Iterable[tuple[int, str]]) -> list[Identifier]:
    """The personal-data rule's patterns over the report; what was found, never the value."""
    return [Identifier(m.kind, page) for page, text in blocks for m in personal_data.find(text)]
