"""What `check` still finds, said in the standard's terms for a Board, not a YAML line.

`check`'s messages are written for whoever edits the file: a line and column, the value
as typed, how to fix it, the question's text cut short to fit a terminal. A record reads
them differently: what is wrong and where in the standard ("QM4 question 2 has no
evidence"), in a whole sentence, never cut off. Each rule that can reach a record has its
wording here; a message this module does not recognise keeps its first clause (never a
cut-off quotation) rather than being dropped, so no finding is lost from the record.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Callable, Optional

from scr_audit import display
from scr_audit.markers import MarkerSet
from scr_audit.results import Finding

_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_CUT = ("…", "...")


@dataclass(frozen=True)
class PlainFinding:
    severity: str
    text: str
    rule: str


def _long(iso: str) -> str:
    try:
        return display.long_date(date.fromisoformat(iso))
    except ValueError:
        return iso


def _dates_in_words(text: str) -> str:
    return _ISO.sub(lambda m: _long(m.group(0)), text)


def _rating_label(mset: MarkerSet, rating_id: str) -> str:
    option = mset.rating(rating_id)
    return option.label if option else rating_id


def _answer_label(mset: MarkerSet, answer_id: str) -> str:
    option = mset.answer(answer_id)
    return option.label if option else answer_id


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


_Rule = Callable[["re.Match[str]", MarkerSet], str]
#: rule -> (pattern over check's message, the plain sentence it becomes)
_WORDING: dict[str, list[tuple["re.Pattern[str]", _Rule]]] = {}


def _wording(rule: str, pattern: str) -> Callable[[_Rule], _Rule]:
    def register(fn: _Rule) -> _Rule:
        _WORDING.setdefault(rule, []).append((re.compile(pattern, re.DOTALL), fn))
        return fn

    return register


@_wording("missing-evidence", r"^(?P<where>\S+ question \d+): '(?P<answer>[^']+)' without (?P<need>a reason|evidence)")
def _missing_evidence(m: "re.Match[str]", mset: MarkerSet) -> str:
    answer = _answer_label(mset, m["answer"])
    if m["need"] == "a reason":
        return f"{m['where']} is answered “{answer}” with no reason given"
    return f"{m['where']} is answered “{answer}” but has no evidence"


@_wording("unanswered-question", r"^(?P<where>\S+ question \d+) is not answered")
def _unanswered(m: "re.Match[str]", mset: MarkerSet) -> str:
    return f"{m['where']} has no answer"


@_wording("unanswered-question", r"^(?P<id>\S+) \((?P<title>.*)\) has no answers")
def _no_answers(m: "re.Match[str]", mset: MarkerSet) -> str:
    return f"{m['id']} {m['title']} has no answers"


@_wording("unanswered-question", r"^(?P<id>\S+): (?P<n>\d+) of (?P<total>\d+) questions not answered yet \((?P<which>[\d, ]+)\)")
def _not_yet_answered(m: "re.Match[str]", mset: MarkerSet) -> str:
    which = [w.strip() for w in m["which"].split(",")]
    listed = ", ".join(which[:-1]) + " and " + which[-1] if len(which) > 1 else which[0]
    noun = "questions" if len(which) > 1 else "question"
    return f"{m['id']} has {m['n']} of its {m['total']} questions still to answer ({noun} {listed})"


@_wording("unrated-marker", r"^(?P<id>\S+) \((?P<title>.*)\) is not rated")
def _unrated(m: "re.Match[str]", mset: MarkerSet) -> str:
    return f"{m['id']} {m['title']} is not rated"


@_wording("unconfirmed-suggestion", r"^(?P<where>\S+ question \d+): the answer .* was suggested by (?P<by>\S+) and is not yet confirmed")
def _suggestion(m: "re.Match[str]", mset: MarkerSet) -> str:
    return f"{m['where']} has an answer suggested by {m['by']} that no assessor has confirmed yet"


@_wording("not-yet-at-end", r"^(?P<where>\S+ question \d+): '(?P<answer>[^']+)' in a review at stage end")
def _not_yet(m: "re.Match[str]", mset: MarkerSet) -> str:
    return f"{m['where']} is answered “{_answer_label(mset, m['answer'])}”, but the review is at its end"


@_wording("invalid-answer", r"^(?P<where>\S+ question \d+): '(?P<answer>[^']+)' cannot be used at stage (?P<stage>\S+)")
def _wrong_stage(m: "re.Match[str]", mset: MarkerSet) -> str:
    return f"{m['where']} is answered “{_answer_label(mset, m['answer'])}”, which cannot be used at this stage"


@_wording("invalid-answer", r"^(?P<where>\S+ question \d+): .*(?P<kind>not a number|below the minimum|above the maximum|not a date|not one of the choices|should be text|is not an answer)")
def _invalid_answer(m: "re.Match[str]", mset: MarkerSet) -> str:
    why = {
        "not a number": "is not a number",
        "below the minimum": "is below the lowest number the question allows",
        "above the maximum": "is above the highest number the question allows",
        "not a date": "is not a date",
        "not one of the choices": "is not one of the question's choices",
        "should be text": "is not text",
        "is not an answer": "is not on the answer scale",
    }[m["kind"]]
    return f"{m['where']}: the answer as written {why}"


@_wording("invalid-rating", r"^(?P<id>\S+) \((?P<title>.*)\) takes no rating")
def _no_rating_taken(m: "re.Match[str]", mset: MarkerSet) -> str:
    return f"{m['id']} {m['title']} records facts only, but has a rating"


@_wording("invalid-rating", r"^(?P<id>\S+): .* is not a rating")
def _invalid_rating(m: "re.Match[str]", mset: MarkerSet) -> str:
    return f"{m['id']} has a rating that is not on the rating scale"


@_wording("rating-contradicts-answers", r"^(?P<id>\S+) is rated (?P<given>\S+) but its answers suggest (?P<suggested>\S+)")
def _contradicts(m: "re.Match[str]", mset: MarkerSet) -> str:
    return f"{m['id']} is rated {_rating_label(mset, m['given'])}, but its answers suggest {_rating_label(mset, m['suggested'])}"


@_wording("missing-action", r"^(?P<id>\S+) is rated (?P<given>\S+) but has no improvement action")
def _missing_action(m: "re.Match[str]", mset: MarkerSet) -> str:
    return f"{m['id']} is rated {_rating_label(mset, m['given'])} but has no improvement action"


@_wording("vague-action", r"^(?P<where>\S+ action \d+) has no (?P<lacking>owner and no due date|owner|due date)")
def _vague(m: "re.Match[str]", mset: MarkerSet) -> str:
    return f"{m['where']} has no {m['lacking']}"


@_wording("overdue-action", r"^(?P<where>\S+ action \d+) was due (?P<due>\d{4}-\d{2}-\d{2}) and is (?P<status>[a-z-]+)")
def _overdue(m: "re.Match[str]", mset: MarkerSet) -> str:
    return f"{m['where']} was due on {_long(m['due'])} and is still {display.status(m['status']).lower()}"


@_wording("slow-review", r"^(?P<months>[\d.]+) months from (?P<start>\w+) \((?P<d1>[\d-]+)\) to (?P<end>\w+) \((?P<d2>[\d-]+)\), over the (?P<limit>\d+)-month")
def _slow(m: "re.Match[str]", mset: MarkerSet) -> str:
    return (
        f"The review took {m['months']} months from {m['start']} ({_long(m['d1'])}) to {m['end']} ({_long(m['d2'])}), "
        f"over the {m['limit']}-month expectation, and no reasons for the delay are recorded"
    )


@_wording("date-order", r"^(?P<late>\w+) \((?P<d1>[\d-]+)\) is before (?P<early>\w+) \((?P<d2>[\d-]+)\)")
def _date_order(m: "re.Match[str]", mset: MarkerSet) -> str:
    return f"The {m['late']} date ({_long(m['d1'])}) is before the {m['early']} date ({_long(m['d2'])})"


@_wording("personal-data", r"^(?P<where>.*?): looks like (?P<what>.+?) \((?P<shown>\[redacted\])\)")
def _personal(m: "re.Match[str]", mset: MarkerSet) -> str:
    where = m["where"]
    where = where[:1].upper() + where[1:]
    return f"{where} holds what looks like {m['what']} ({m['shown']}); anonymise it, or export with --redact"


@_wording("missing-conclusion", r"^no conclusion")
def _no_conclusion(m: "re.Match[str]", mset: MarkerSet) -> str:
    return "The review file has no conclusion: the assessor's overall judgement that opens this record"


@_wording("marker-set-version", r"^made against version (?P<made>.+?) of (?P<set>\S+), but the set is now version (?P<now>.+?);")
def _version(m: "re.Match[str]", mset: MarkerSet) -> str:
    made, now = m["made"].strip("'\""), m["now"].strip("'\"")
    return f"The review file was made against version {made} of the {mset.title}; the set is now version {now}"


@_wording("unknown-marker", r"^unknown marker (?P<key>.+?)(?: \(did you mean|;)")
def _unknown_marker(m: "re.Match[str]", mset: MarkerSet) -> str:
    return f"The review file has a marker {m['key']} that the {mset.title} does not have"


@_wording("unknown-question", r"^(?P<id>\S+) has no question (?P<key>.+?); its questions are numbered")
def _unknown_question(m: "re.Match[str]", mset: MarkerSet) -> str:
    return f"The review file answers a question {m['key']} of {m['id']}, which has no such question"


def _fallback(message: str) -> str:
    """check's own words, less how to fix it and anything cut short."""
    first = message.split("; ", 1)[0]
    kept = [part for part in first.split(": ") if not any(cut in part for cut in _CUT)]
    return ": ".join(kept) or "scr-audit check reports a problem with this file"


def plain(finding: Finding, mset: MarkerSet) -> PlainFinding:
    """One finding as the record states it: a whole sentence in the standard's terms."""
    text: Optional[str] = None
    for pattern, word in _WORDING.get(finding.rule, ()):
        match = pattern.match(finding.message)
        if match:
            text = word(match, mset)
            break
    if text is None:
        text = _dates_in_words(_fallback(finding.message))
    return PlainFinding(finding.severity, _sentence(text), finding.rule)
