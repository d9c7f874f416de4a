"""The review file's JSON Schema, for completion and validation in editors.

Written for the YAML language server (the engine of VS Code's YAML extension) and checked
against it in the tests, and for any JSON Schema validator (check-jsonschema agrees with
`scr-audit check` on every file, for all that a schema can express). Three things shape it:

- **The same values as `check`.** The reader is forgiving where that costs nothing: answers
  and ratings in any letter case and by their aliases (`YES`, `n/a`), a question key written
  `1` or `"1"`, a marker key `qm1`, free text that YAML reads as a number. So closed lists are
  case-insensitive patterns (with the ids as `examples`, which editors complete), not enums,
  each with a message in plain words (`patternErrorMessage`, which the language server
  shows). Dates are a pattern that only real dates match.
- **One diagnostic per mistake, at its line.** A value's schema is one schema whose keywords
  apply by type (a pattern to text, a minimum to numbers, properties to a mapping), never an
  `anyOf` whose failed branches would each report.
- **Question keys as the tool writes them.** The language server shows hover text and
  completes only for keys that are text, so the tool writes `"1":`; a key written `1:`
  (a number to YAML) is matched by `patternProperties` and validated all the same (the
  server drops the duplicate message when both match).

Field names, which are required, and their descriptions come from the pydantic models, so
the schema cannot drift from what the reader accepts (a test compares them).
"""

from __future__ import annotations

import json
from typing import Any, Iterable, Optional

from scr_audit.markers import MarkerSet, Question
from scr_audit.review_plain import ACTION_STATUSES, ASSESSMENT_KINDS

# The review models (pydantic) are imported in the functions that build the schema, so that
# `assess` can tell whether the schema file beside a review is current (stamp) without them.
from scr_audit.stages import STAGES

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
#: The start of the `$comment` of every schema file the tool writes (so it knows its own).
STAMP_PREFIX = "Written by scr-audit"

#: A date written YYYY-MM-DD that exists (month lengths and leap years included).
DATE_PATTERN = (
    r"^(?:\d{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\d|30)|02-(?:0[1-9]|1\d|2[0-8]))"
    r"|(?:\d\d(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)-02-29)$"
)
DATE_MESSAGE = "YYYY-MM-DD (e.g. 2025-01-31)"
#: Free text: YAML may read a short note as a number or true/false; the reader takes it as text.
TEXT: dict[str, Any] = {"type": ["string", "number", "boolean", "null"]}


def stamp(mset: Optional[MarkerSet]) -> str:
    from scr_audit import __version__

    what = f"the marker set {mset.id} version {mset.version}" if mset is not None else "no marker set (the generic file format)"
    return f"{STAMP_PREFIX} {__version__} for {what}; scr-audit assess and new refresh it"


def words_pattern(words: Iterable[str]) -> str:
    """A regular expression matching any of `words` in any letter case (JSON Schema patterns
    have no case-insensitive flag), with spaces around allowed as the reader allows them."""
    alternatives = []
    for word in sorted(set(words), key=lambda w: (-len(w), w)):
        parts = []
        for ch in word:
            if ch.isalpha() and ch.lower() != ch.upper():
                parts.append(f"[{ch.lower()}{ch.upper()}]")
            elif ch in "\\^$.|?*+()[]{}/":
                parts.append("\\" + ch)  # escaped the way ECMA-262 patterns (editors' engine) accept
            else:
                parts.append(ch)
        alternatives.append("".join(parts))
    return r"^\s*(?:" + "|".join(alternatives) + r")\s*$"


def _closed(words: list[str], ids: list[str], what: str, *, null: bool = True) -> dict[str, Any]:
    return {
        "type": ["string", "null"] if null else "string",
        "pattern": words_pattern(words),
        "patternErrorMessage": f"not {what}; use {_or(ids)} (case does not matter)",
        "examples": ids,
    }


def _or(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


def _date(null: bool = True, description: Optional[str] = None) -> dict[str, Any]:
    out: dict[str, Any] = {"type": ["string", "null"] if null else "string", "pattern": DATE_PATTERN, "patternErrorMessage": f"not a real date written {DATE_MESSAGE}"}
    if description:
        out["description"] = description
    return out


def _list_of_text(description: Optional[str]) -> dict[str, Any]:
    out: dict[str, Any] = {"type": ["array", "string", "number", "null"], "items": {"type": ["string", "number", "boolean"]}}
    if description:
        out["description"] = description
    return out


def _description(model: Any, name: str) -> Optional[str]:
    for field_name, f in model.model_fields.items():
        if (f.alias or field_name) == name:
            return f.description
    return None


def _object(model: Any, props: dict[str, Any], *, null: bool = False, description: Optional[str] = None) -> dict[str, Any]:
    """An object of `model`'s fields: `props` must name each of them (a test checks it)."""
    names = [f.alias or n for n, f in model.model_fields.items()]
    assert set(props) == set(names), (model.__name__, sorted(set(props) ^ set(names)))
    for name, schema in props.items():
        d = _description(model, name)
        if d and "description" not in schema:
            schema["description"] = d
    required = [f.alias or n for n, f in model.model_fields.items() if f.is_required()]
    out: dict[str, Any] = {"type": ["object", "null"] if null else "object", "properties": props, "additionalProperties": False}
    if required:
        out["required"] = required
    if description:
        out["description"] = description
    return out


# ------------------------------------------------------------------------------ values


def answer_value(mset: Optional[MarkerSet], q: Optional[Question]) -> dict[str, Any]:
    """The schema of an answer's value: one schema whose keywords apply by type."""
    if mset is None:
        return {"type": ["string", "number", "boolean", "null"]}
    scale = mset.header.answer_scale
    unscored = [a for a in scale if a.score is None]
    unscored_words = [w for a in unscored for w in (a.id, *a.aliases)]
    if q is None or q.type == "scale":
        return _closed([w for a in scale for w in (a.id, *a.aliases)], [a.id for a in scale], "an answer on the scale")
    also = f", or {_or([a.id for a in unscored])}" if unscored else ""
    if q.type == "number":
        out: dict[str, Any] = {"type": ["number", "string", "null"], "pattern": words_pattern(unscored_words) if unscored else "^$(?!)",
                               "patternErrorMessage": f"not a number{also}"}
        if q.min is not None:
            out["minimum"] = q.min
        if q.max is not None:
            out["maximum"] = q.max
        return out
    if q.type == "date":
        pattern = f"(?:{DATE_PATTERN})|(?:{words_pattern(unscored_words)})" if unscored else DATE_PATTERN
        return {"type": ["string", "null"], "pattern": pattern, "patternErrorMessage": f"not a real date written {DATE_MESSAGE}{also}"}
    if q.type == "choice":
        options = q.options or []
        words = [w for o in options for w in (o.id, o.label)] + unscored_words
        ids = [o.id for o in options]
        return {"type": ["string", "null"], "pattern": words_pattern(words), "patternErrorMessage": f"not one of the choices; use {_or(ids)}{also}",
                "examples": ids + [a.id for a in unscored]}
    return dict(TEXT)


def answer_entry(mset: Optional[MarkerSet], q: Optional[Question], description: Optional[str]) -> dict[str, Any]:
    """A question's entry: its value alone (`2: partly`), or a mapping with the evidence."""
    from scr_audit.review import AnswerEntry

    value = answer_value(mset, q)
    inner = _object(AnswerEntry, {"answer": dict(value), "evidence": dict(TEXT), "suggested-by": dict(TEXT)})
    out = dict(value)
    out["type"] = sorted(set(_types(value)) | {"object"})
    out["properties"] = inner["properties"]
    out["additionalProperties"] = False
    if description:
        out["description"] = description
    return out


def _types(schema: dict[str, Any]) -> list[str]:
    t = schema.get("type", [])
    return [t] if isinstance(t, str) else list(t)


def question_key_pattern(number: int) -> str:
    """A question key as the reader takes it: 1, "1", " 1", "01"."""
    return rf"^\s*0*{number}\s*$"


def marker_entry(mset: Optional[MarkerSet], marker: Any, defs: Optional[dict[str, Any]] = None) -> dict[str, Any]:
    from scr_audit.review import MarkerEntry

    if mset is None:
        answers: dict[str, Any] = {"type": ["object", "null"], "additionalProperties": answer_entry(None, None, None)}
        rating: dict[str, Any] = {"type": ["string", "null"]}
    else:
        props: dict[str, Any] = {}
        patterns: dict[str, Any] = {}
        assert defs is not None
        for q in marker.questions:
            # scale questions share one definition; a typed question has its own
            name = "answer" if q.type == "scale" else f"{marker.id}-{q.number}"
            if name not in defs:
                defs[name] = answer_entry(mset, q, None)
            ref = {"$ref": f"#/$defs/{name}", "description": f"{marker.id} question {q.number}: {q.text}"}
            props[str(q.number)] = ref
            patterns[question_key_pattern(q.number)] = dict(ref)
        last = marker.questions[-1].number
        answers = {"type": ["object", "null"], "properties": props, "patternProperties": patterns, "additionalProperties": False,
                   "description": f"{marker.id}'s answers, by question number (1 to {last})"}
        if marker.rated:
            ratings = mset.header.rating_scale
            if "rating" not in defs:
                defs["rating"] = _closed([w for r in ratings for w in (r.id, *r.aliases)], [r.id for r in ratings], "a rating on the scale")
            rating = {"$ref": "#/$defs/rating", "description": "The marker's rating: " + ", ".join(f"{r.id} ({r.label})" for r in ratings)}
        else:
            rating = {"type": "null", "description": f"{marker.id} takes no rating"}
    if defs is not None:
        defs.setdefault("action", _action())
        actions: dict[str, Any] = {"type": ["array", "null"], "items": {"$ref": "#/$defs/action"}}
    else:
        actions = {"type": ["array", "null"], "items": _action()}
    return _object(MarkerEntry, {"answers": answers, "rating": rating, "rationale": dict(TEXT), "actions": actions}, null=True)


def _action() -> dict[str, Any]:
    from scr_audit.review import Action

    return _object(
        Action,
        {
            "action": {"type": ["string", "number"], "pattern": r"\S", "patternErrorMessage": "say what will be done"},
            "owner": dict(TEXT),
            "due": _date(),
            "status": _closed(list(ACTION_STATUSES), list(ACTION_STATUSES), "a status"),
        },
    )


# ------------------------------------------------------------------------------ the file


def review_schema(mset: Optional[MarkerSet] = None) -> dict[str, Any]:
    from scr_audit.review import Conclusion, Dates, ReviewFile, ReviewInfo

    info = _object(
        ReviewInfo,
        {
            "title": {"type": ["string", "number"], "pattern": r"\S", "patternErrorMessage": "give the review's anonymised name"},
            "partnership": dict(TEXT),
            "stage": _closed(list(STAGES), list(STAGES), "a stage", null=False),
            "assessment": _closed(list(ASSESSMENT_KINDS), list(ASSESSMENT_KINDS), "an assessment kind"),
            "lead-reviewers": _list_of_text(None),
            "assessors": _list_of_text(None),
            "assessed-on": _date(),
            "dates": _object(Dates, {name: _date() for name in ("incident", "referral", "decision", "completed", "published")}, null=True,
                             description="Key dates of the SCR (YYYY-MM-DD), used for timeliness"),
            "delay-reasons": dict(TEXT),
        },
    )
    conclusion = _object(
        Conclusion,
        {
            "summary": dict(TEXT),
            "strengths": _list_of_text(None),
            "concerns": _list_of_text(None),
            "board-asked-to": _list_of_text(None),
        },
        null=True,
        description=_description(ReviewFile, "conclusion"),
    )
    defs: dict[str, Any] = {}
    if mset is None:
        markers: dict[str, Any] = {"type": ["object", "null"], "additionalProperties": marker_entry(None, None), "description": "One entry per marker"}
        marker_set: dict[str, Any] = {"type": ["string"]}
    else:
        props = {}
        patterns = {}
        for m in mset.markers:
            entry = marker_entry(mset, m, defs)
            entry["description"] = f"{m.id} {m.title}" + (f": {m.statement}" if m.statement else "")
            defs[m.id] = entry
            props[m.id] = {"$ref": f"#/$defs/{m.id}"}
            patterns[words_pattern([m.id])] = {"$ref": f"#/$defs/{m.id}"}
        markers = {
            "type": ["object", "null"],
            "properties": props,
            "patternProperties": patterns,
            "additionalProperties": False,
            "description": f"One entry per marker of {mset.id}: {mset.markers[0].id} to {mset.markers[-1].id}",
        }
        marker_set = {"const": mset.id, "description": f"Id of the marker set: {mset.id} ({mset.title})"}
    top = _object(
        ReviewFile,
        {
            "scr-audit": {"const": 1},
            "marker-set": marker_set,
            "marker-set-version": dict(TEXT),
            "review": info,
            "markers": markers,
            "conclusion": conclusion,
        },
    )
    title = "scr-audit review file (format version 1)"
    described = f"A review file for the marker set {mset.id} ({mset.title}, version {mset.version})." if mset is not None else title
    out = {"$schema": SCHEMA_DIALECT, "$comment": stamp(mset), "title": title, "description": described, **top}
    if defs:
        out["$defs"] = defs
    return out


def schema_json(mset: Optional[MarkerSet] = None) -> str:
    return json.dumps(review_schema(mset), indent=2, ensure_ascii=False) + "\n"
