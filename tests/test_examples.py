"""The example review files are what new users read first, and the README's quick start
checks them: each must check exactly as its header comment says.

The examples' action due dates are real dates, so "overdue" depends on the day the tests
run. The CLI tests allow for that; the tests that pin the day (the date the examples were
written) check that no action was overdue then.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from scr_audit import yamlio
from scr_audit.checks import CheckOptions, check_file
from scr_audit.personal_data import KINDS
from scr_audit.review import read_review
from scr_audit.rules import RULES

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "reviews"
END = EXAMPLES / "child-d-end.yaml"
PROGRESSIVE = EXAMPLES / "child-f-progressive.yaml"
FLAWED = EXAMPLES / "child-g-flawed.yaml"
ALL = (END, PROGRESSIVE, FLAWED)
WRITTEN_ON = date(2026, 11, 22)
#: The rules that warn about a review in progress, as the flawed example is.
WARNING_RULES = sorted(r.name for r in RULES.values() if r.severity_at("progressive") == "warning" and not r.end_only)


def check_json(cli: Any, *args: Any) -> tuple[int, dict[str, Any]]:
    result = cli("check", "--format", "json", *args)
    return result.exit_code, json.loads(result.output)


def rules_by_severity(report: dict[str, Any], severity: str) -> set[str]:
    return {f["rule"] for f in report["findings"] if f["severity"] == severity}


def test_quick_start_checks_the_examples_folder(cli):
    result = cli("check", EXAMPLES)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert "3 files checked (3 reviews): 0 errors, 16 warnings" in result.output
    _, out = check_json(cli, EXAMPLES)
    assert sorted(f["title"] for f in out["files"]) == ["Child D", "Child F", "Child G"]


def test_examples_folder_fails_on_warning_because_of_the_flawed_one(cli):
    assert cli("check", "--fail-on", "warning", EXAMPLES).exit_code == 1
    assert cli("check", "--fail-on", "warning", END, PROGRESSIVE).exit_code == 0


def test_end_example_is_complete_and_clean(cli):
    code, out = check_json(cli, END)
    assert code == 0
    (report,) = out["files"]
    assert report["stage"] == "end"
    assert (report["answered"], report["questions"]) == (107, 107)
    assert (report["rated"], report["markers"]) == (18, 18)
    assert (report["errors"], report["warnings"]) == (0, 0)
    # Only the passing of time can add a finding (an action falling due).
    assert rules_by_severity(report, "info") <= {"overdue-action"}
    text = cli("check", END)
    assert "107/107" in text.output and "18/18" in text.output and "72%" in text.output


def test_end_example_is_a_credible_mix_not_all_yes(cli):
    read = read_review(END)
    assert read.review is not None
    answers = [
        (str(a.answer).lower(), a.has_evidence)
        for entry in read.review.markers.values()
        for a in entry.answers.values()
    ]
    assert len(answers) == 107
    assert all(has for _, has in answers), "every answer in the end example carries its evidence"
    given = {a for a, _ in answers}
    assert {"yes", "partly", "no", "not-applicable"} <= given
    _, out = check_json(cli, END)
    counts = out["files"][0]["score"]["counts"]
    assert counts["met"] and counts["partly-met"] and counts["not-met"]
    for marker_id, entry in read.review.markers.items():
        assert entry.rationale, f"{marker_id} has no rationale"
        if entry.rating in ("partly-met", "not-met"):
            assert entry.actions, f"{marker_id} falls short with no action"
        for action in entry.actions:
            assert action.owner and action.due and action.due.year == 2027


def test_progressive_example_has_no_errors_or_warnings(cli):
    code, out = check_json(cli, PROGRESSIVE)
    assert code == 0
    (report,) = out["files"]
    assert report["stage"] == "progressive"
    assert (report["errors"], report["warnings"]) == (0, 0)
    assert rules_by_severity(report, "info") <= {"unanswered-question", "unrated-marker", "overdue-action"}
    assert "unanswered-question" in rules_by_severity(report, "info")
    for marker_id in ("QM1", "QM2", "QM3", "QM4", "QM5"):
        assert report["ratings"][marker_id], f"{marker_id} should be rated"
    for marker_id in ("QM14", "QM15", "QM16", "QM17", "QM18"):
        assert report["ratings"][marker_id] is None
    read = read_review(PROGRESSIVE)
    assert read.review is not None
    given = {str(a.answer).lower() for e in read.review.markers.values() if e for a in e.answers.values() if a}
    assert "not-yet" in given


def test_flawed_example_raises_every_warning_rule_and_no_error(cli):
    code, out = check_json(cli, FLAWED)
    assert code == 0, "warnings alone do not fail a check by default"
    (report,) = out["files"]
    assert report["errors"] == 0
    assert rules_by_severity(report, "error") == set()
    assert rules_by_severity(report, "warning") == set(WARNING_RULES)
    assert "overdue-action" in rules_by_severity(report, "info")
    messages = " ".join(f["message"] for f in report["findings"] if f["rule"] == "personal-data")
    for kind in KINDS.values():
        assert f"looks like {kind}" in messages
    missing = [f["message"] for f in report["findings"] if f["rule"] == "missing-evidence"]
    assert any("'no'" in m for m in missing)
    assert any("'partly'" in m for m in missing)
    assert any("'not-applicable'" in m for m in missing)
    vague = [f["message"] for f in report["findings"] if f["rule"] == "vague-action"]
    assert any("no owner" in m for m in vague) and any("no due date" in m for m in vague)


def test_flawed_example_header_names_each_flaw_it_shows():
    header = FLAWED.read_text(encoding="utf-8").split("\nscr-audit: 1\n", 1)[0]
    assert "DELIBERATELY FLAWED" in header
    for name in [*WARNING_RULES, "overdue-action"]:
        assert name in header, f"the header comment should say the file shows {name}"


@pytest.mark.parametrize("path", [END, PROGRESSIVE], ids=lambda p: p.stem)
def test_no_action_was_overdue_when_the_examples_were_written(registry, path: Path):
    report = check_file(path, registry, CheckOptions(today=WRITTEN_ON))
    assert not [f for f in report.findings if f.rule == "overdue-action"]
    if path == END:
        assert report.findings == []


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.stem)
def test_examples_survive_a_round_trip_write_unchanged(path: Path):
    text = path.read_text(encoding="utf-8")
    assert yamlio.dump_roundtrip(yamlio.load_roundtrip(text)) == text


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.stem)
def test_examples_keep_the_question_comments_from_new(path: Path):
    text = path.read_text(encoding="utf-8")
    assert "# 1. Is the rationale for the referral clear, and supported by adequate information?" in text
    assert text.count("  # QM") == 18
