"""The review file's JSON Schema, for completion and validation in editors.

Generated from the pydantic models so it cannot drift from what `check` accepts, then
filled in from a marker set: its marker ids, question numbers (with each question's
text as the description an editor shows on hover) and answer and rating values.
"""

from __future__ import annotations

import json
from typing import Any, Optional

from scr_audit.markers import MarkerSet
from scr_audit.review import ReviewFile

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def review_schema(mset: Optional[MarkerSet] = None) -> dict[str, Any]:
    schema = ReviewFile.model_json_schema(by_alias=True)
    schema = {"$schema": SCHEMA_DIALECT, **schema}
    defs = schema.get("$defs", {})
    answer_values = {"type": ["string", "number", "null"], "description": "yes, partly, no, not-yet or not-applicable (n/a); case does not matter"}
    if "AnswerEntry" in defs:
        defs["AnswerEntry"]["properties"]["answer"] = {**answer_values, **defs["AnswerEntry"]["properties"].get("answer", {})}
        defs["AnswerEntry"]["properties"]["answer"].pop("default", None)
    if mset is None:
        return schema
    answers = [a.id for a in mset.header.answer_scale] + [al for a in mset.header.answer_scale for al in a.aliases]
    ratings = [r.id for r in mset.header.rating_scale]
    schema["description"] = f"A review file for the marker set {mset.id} ({mset.title}, version {mset.version})."
    schema["properties"]["marker-set"] = {"const": mset.id, "description": "Id of the marker set"}
    marker_props: dict[str, Any] = {}
    for m in mset.markers:
        q_props: dict[str, Any] = {}
        for q in m.questions:
            if q.type == "scale":
                value: dict[str, Any] = {"anyOf": [{"type": "string", "examples": answers}, {"type": "null"}]}
            elif q.type == "number":
                value = {"type": ["number", "null"]}
            elif q.type == "choice":
                value = {"anyOf": [{"enum": [o.id for o in q.options or ()]}, {"type": "string"}, {"type": "null"}]}
            else:
                value = {"type": ["string", "null"]}
            q_props[str(q.number)] = {
                "description": f"{m.id} question {q.number}: {q.text}",
                "anyOf": [
                    value,
                    {
                        "type": "object",
                        "additionalProperties": False,
                        "properties": {
                            "answer": value,
                            "evidence": {"type": ["string", "null"], "description": "What shows this answer"},
                            "suggested-by": {"type": ["string", "null"], "description": "A program's suggestion (scan), not the assessor's answer until confirmed; confirming removes this"},
                        },
                    },
                ],
            }
        marker_props[m.id] = {
            "description": f"{m.id} {m.title}" + (f": {m.statement}" if m.statement else ""),
            "anyOf": [
                {"type": "null"},
                {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {
                        "answers": {"anyOf": [{"type": "null"}, {"type": "object", "properties": q_props, "additionalProperties": False}]},
                        "rating": {"anyOf": [{"type": "null"}, {"type": "string", "examples": ratings}], "description": ", ".join(ratings)},
                        "rationale": {"type": ["string", "null"]},
                        "actions": {"anyOf": [{"type": "null"}, {"type": "array", "items": {"$ref": "#/$defs/Action"}}]},
                    },
                },
            ],
        }
    schema["properties"]["markers"] = {
        "anyOf": [{"type": "null"}, {"type": "object", "properties": marker_props, "additionalProperties": False}],
        "description": f"One entry per marker of {mset.id}",
    }
    return schema


def schema_json(mset: Optional[MarkerSet] = None) -> str:
    return json.dumps(review_schema(mset), indent=2, ensure_ascii=False) + "\n"
