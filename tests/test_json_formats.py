"""The JSON outputs of check, summary, compare and actions: versioned, and as their schemas say.

Each is validated against its JSON Schema in docs/schemas/ (the ones the README points
programs at) over real output: the examples, broken files, both bundled sets, two and
three assessors.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from conftest import EXAMPLES, ROOT, review_text
from scr_audit.rules import RULES

jsonschema = pytest.importorskip("jsonschema", reason="jsonschema is needed to test the output schemas (pip install -e '.[test]')")

SCHEMAS = ROOT / "docs" / "schemas"


def schema(name: str) -> dict:
    return json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))


def validate(name: str, doc: dict) -> None:
    validator = jsonschema.Draft202012Validator(schema(name))
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])


@pytest.mark.parametrize("name", ["check", "summary", "compare", "actions"])
def test_each_schema_is_a_valid_json_schema_and_names_its_format(name):
    jsonschema.Draft202012Validator.check_schema(schema(name))
    assert schema(name)["properties"]["format"]["const"] == 1


def test_the_format_numbers_in_the_code_are_the_schemas():
    from scr_audit.actions_output import JSON_FORMAT as ACTIONS_JSON_FORMAT
    from scr_audit.moderation_render import COMPARE_JSON_FORMAT
    from scr_audit.renderers import CHECK_JSON_FORMAT
    from scr_audit.summary_output import SUMMARY_JSON_FORMAT

    for name, number in (("check", CHECK_JSON_FORMAT), ("summary", SUMMARY_JSON_FORMAT), ("compare", COMPARE_JSON_FORMAT),
                         ("actions", ACTIONS_JSON_FORMAT)):
        assert schema(name)["properties"]["format"]["const"] == number


def test_every_rule_name_fits_the_schemas_rule():
    import re

    pattern = schema("check")["$defs"]["finding"]["properties"]["rule"]["pattern"]
    assert all(re.match(pattern, name) for name in RULES)


@pytest.fixture
def mixed(tmp_path, qm, registry) -> Path:
    """A folder of every kind of file a check meets: complete, in progress, flawed, broken, not a review."""
    folder = tmp_path / "reviews"
    folder.mkdir()
    for p in EXAMPLES.glob("*.yaml"):
        (folder / p.name).write_bytes(p.read_bytes())
    (folder / "broken.yaml").write_text("scr-audit: 1\nreview: [\n", encoding="utf-8")
    (folder / "other.yml").write_text("name: some config\n", encoding="utf-8")
    (folder / "unreadable.yaml").write_bytes(b"\x00\x01binary")
    (folder / "bad-schema.yaml").write_text(review_text(qm).replace("  stage: end", "  stage: ending"), encoding="utf-8")
    (folder / "notes.txt").write_text("x\n")
    from test_report_quality import TYPED as typed

    rq = registry.get("scr-report-quality")
    (folder / "report.yaml").write_text(
        review_text(rq, answer=lambda m, q: typed.get((m, q), "yes"), rating=lambda m: None if m == "RQ1" else "good"), encoding="utf-8"
    )
    return folder


def test_check_json_is_as_its_schema_says(cli, mixed):
    result = cli("check", "--format", "json", "--as-of", "2026-12-01", mixed)
    doc = json.loads(result.output)
    validate("check", doc)
    assert doc["format"] == 1 and doc["left-out"] == [{"path": str(mixed / "notes.txt"), "reason": "not-yaml"}]
    assert {f["rule"] for r in doc["files"] for f in r["findings"]} >= {"yaml-syntax", "not-a-review", "schema", "unanswered-question"}
    assert any(r["figures"] for r in doc["files"]) and any(r["choices"] for r in doc["files"])
    # the schema is not vacuous: a document without its format, or with a wrong finding, fails
    for broken in ({k: v for k, v in doc.items() if k != "format"}, copy.deepcopy(doc)):
        if "format" in broken:
            broken["files"][0]["findings"].append({"file": "x", "line": 0, "severity": "fatal"})
        with pytest.raises(AssertionError):
            validate("check", broken)


def test_check_json_of_nothing_readable_is_as_its_schema_says(cli, tmp_path):
    path = tmp_path / "gone.yaml"
    path.write_text("scr-audit: 1\n", encoding="utf-8")
    doc = json.loads(cli("check", "--format", "json", path).output)
    validate("check", doc)


def test_summary_json_is_as_its_schema_says(cli, mixed):
    result = cli("summary", "--json", "--as-of", "2026-12-01", mixed)
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    validate("summary", doc)
    assert doc["format"] == 1 and len(doc["skipped"]) == 3
    assert {(s["marker-set"], s["stage"]) for s in doc["sets"]} >= {("scr-quality-markers", "end"), ("scr-report-quality", "end")}
    assert {s["rule"] for s in doc["skipped"]} == {"yaml-syntax", "not-a-review"}
    assert all(s["line"] == 1 or s["rule"] == "yaml-syntax" for s in doc["skipped"])
    report = next(s for s in doc["sets"] if s["marker-set"] == "scr-report-quality")
    assert report["figures"] and report["choices"]


@pytest.mark.parametrize("assessors", [2, 3])
def test_compare_json_is_as_its_schema_says(cli, tmp_path, qm, assessors):
    files = []
    for i in range(assessors):
        path = tmp_path / f"assessor{i}.yaml"
        path.write_text(
            review_text(
                qm,
                assessors=(f"Assessor {i}",),
                answer=lambda m, q, i=i: ("no" if i else "yes") if (m, q) == ("QM2", 1) else ("not-applicable" if (m, q) == ("QM3", 1) else "yes"),
                rating=lambda m, i=i: ("partly-met" if i else "met") if m == "QM5" else (None if (m == "QM6" and i == 1) else "met"),
                actions=lambda m, i=i: [{"action": f"Fix {m}", "owner": "BM", "due": "2027-01-31"}] if m == "QM5" and i else [],
            ),
            encoding="utf-8",
        )
        files.append(path)
    result = cli("compare", "--format", "json", *files)
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    validate("compare", doc)
    kappa = "cohen-kappa" if assessors == 2 else "fleiss-kappa"
    assert doc["format"] == 1 and kappa in doc["agreement"]["ratings"] and doc["ratings-differ"] == ["QM5"]
    assert doc["ratings-partial"] == ["QM6"]


def test_compare_json_of_typed_questions_is_as_its_schema_says(cli, tmp_path, registry):
    rq = registry.get("scr-report-quality")
    files = []
    from test_report_quality import TYPED

    for i, pages in enumerate((48, 52)):
        typed = {**TYPED, ("RQ2", 2): pages}
        path = tmp_path / f"a{i}.yaml"
        path.write_text(review_text(rq, assessors=(f"A{i}",), answer=lambda m, q, t=typed: t.get((m, q), "yes"), rating=lambda m: None if m == "RQ1" else "good"), encoding="utf-8")
        files.append(path)
    doc = json.loads(cli("compare", "--format", "json", *files).stdout)
    validate("compare", doc)
    assert doc["answers-differ"] == ["RQ2 q2"], doc["answers-differ"]


def test_actions_json_is_as_its_schema_says(cli, tmp_path, qm):
    folder = tmp_path / "reviews"
    folder.mkdir()
    acts = lambda m: [{"action": f"Fix {m}", "owner": "BM", "due": "2026-01-31", "status": "open"}, {"action": "Later", "due": "2028-01-01"}] if m in ("QM2", "QM5") else []
    (folder / "a.yaml").write_text(review_text(qm, title="Child A", rating=lambda m: "partly-met" if m in ("QM2", "QM5") else "met", actions=acts), encoding="utf-8")
    (folder / "b.yaml").write_text(review_text(qm, title="Child B", stage="progressive", actions=lambda m: [{"action": "No owner yet"}] if m == "QM9" else []), encoding="utf-8")
    (folder / "broken.yaml").write_text("scr-audit: 1\nreview: [\n", encoding="utf-8")
    result = cli("actions", "--format", "json", "--as-of", "2026-12-01", folder)
    doc = json.loads(result.stdout)
    validate("actions", doc)
    assert doc["format"] == 1 and doc["counted"]["overdue"] == 2 and doc["actions"][0]["days-overdue"] > 0
    assert doc["skipped"][0]["rule"] == "yaml-syntax" and doc["skipped"][0]["line"] == 3
