"""The second bundled set, the final-report quality template, through the commands.

Its questions are typed (numbers, dates, a choice, free text), one item takes no rating,
and some questions count against the report when answered yes.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from conftest import review_text

TYPED: dict[tuple[str, int], Any] = {
    ("RQ1", 1): "silp",
    ("RQ1", 2): "2025-01-10",
    ("RQ1", 3): "2025-02-14",
    ("RQ1", 4): "2025-12-01",
    ("RQ2", 2): 48,
    ("RQ2", 3): 5,
    ("RQ2", 5): '"Some repetition of the chronology in the analysis; not purposeful."',
    ("RQ8", 1): 7,
    ("RQ9", 4): '"Findings clearly tied to the system conditions behind them."',
}
NEGATIVE = {("RQ4", 2), ("RQ7", 2), ("RQ9", 3), ("RQ9", 5)}


@pytest.fixture
def rq(registry):
    return registry.get("scr-report-quality")


def complete(rq, overrides: dict[tuple[str, int], Any] | None = None) -> str:
    answers = {**TYPED, **(overrides or {})}
    return review_text(
        rq,
        title="Child E",
        answer=lambda m, q: answers.get((m, q), "no" if (m, q) in NEGATIVE else "yes"),
        evidence=lambda m, q: None if (m, q) in answers else "Report, p 12.",
        rating=lambda m: None if m == "RQ1" else "good",
    )


def test_new_writes_a_blank_with_the_right_hint_for_each_type(cli, tmp_path):
    path = tmp_path / "r.yaml"
    result = cli("new", path, "--set", "scr-report-quality", "--title", "Child E")
    assert result.exit_code == 0
    text = path.read_text(encoding="utf-8")
    assert "# 1. SCR process type:" in text and "answer: one of learning-together, silp, systems" in text
    assert "# 2. How long?" in text and "answer: a number (pages), at least 1 and at most 2000" in text
    assert "answer: a date, YYYY-MM-DD" in text
    assert "median of 7 recommendations" in text and "48 pages" in text
    assert "Computed, not asked: How long from date of incident to publication?" in text
    assert "a yes here is a weakness" in text
    rq1 = text[text.index("  RQ1:") : text.index("  RQ2:")]
    assert "rating:" not in rq1  # the review's details take no rating
    check = cli("check", "--format", "json", path)
    assert check.exit_code == 1 and "Traceback" not in check.output
    rules = {f["rule"] for f in json.loads(check.output)["files"][0]["findings"]}
    assert rules == {"unanswered-question", "unrated-marker", "missing-conclusion"}


def test_a_complete_report_review_checks_clean(cli, tmp_path, rq):
    path = tmp_path / "r.yaml"
    path.write_text(complete(rq), encoding="utf-8")
    result = cli("check", "--format", "json", path)
    doc = json.loads(result.output)["files"][0]
    assert result.exit_code == 0, doc["findings"]
    assert (doc["answered"], doc["questions"], doc["rated"], doc["markers"]) == (41, 41, 8, 8)
    assert doc["figures"] == {"RQ2.2": 48.0, "RQ2.3": 5.0, "RQ8.1": 7.0, "interval.1": 10.7}
    assert doc["choices"] == {"RQ1.1": "silp"}


@pytest.mark.parametrize(
    "key,value,message",
    [
        (("RQ2", 2), '"forty"', "RQ2 question 2: 'forty' is not a number"),
        (("RQ2", 2), 0, "RQ2 question 2: 0 is below the minimum 1"),
        (("RQ8", 1), 900, "RQ8 question 1: 900 is above the maximum 500"),
        (("RQ1", 2), '"last spring"', "RQ1 question 2: 'last spring' is not a date"),
        (("RQ1", 1), "silt", "RQ1 question 1: 'silt' is not one of the choices (did you mean 'silp'?)"),
        (("RQ1", 3), "2025-02-30", "RQ1 question 3: there is no 30 February 2025"),
    ],
)
def test_typed_answers_are_checked_at_their_line(cli, tmp_path, rq, key, value, message):
    path = tmp_path / "r.yaml"
    path.write_text(complete(rq, {key: value}), encoding="utf-8")
    result = cli("check", "--format", "json", path)
    assert result.exit_code == 1
    (f,) = json.loads(result.output)["files"][0]["findings"]
    assert f["rule"] == "invalid-answer" and f["message"].startswith(message)
    marker, q = key
    lines = path.read_text(encoding="utf-8").splitlines()
    start = lines.index(f"  {marker}:")
    expected = next(i for i, line in enumerate(lines[start:], start=start + 1) if line.strip().startswith(f"{q}:"))
    assert f["line"] == expected


def test_a_choice_by_its_label_and_not_applicable_for_a_date(cli, tmp_path, rq):
    path = tmp_path / "r.yaml"
    path.write_text(complete(rq, {("RQ1", 1): '"Significant Incident Learning Process (SILP)"', ("RQ1", 4): "n/a"}), encoding="utf-8")
    doc = json.loads(cli("check", "--format", "json", path).output)["files"][0]
    assert [f["rule"] for f in doc["findings"]] == ["missing-evidence"]  # n/a needs a reason
    assert doc["choices"] == {"RQ1.1": "silp"} and doc["figures"]["interval.1"] is None


def test_negative_questions_count_against_the_suggested_rating(cli, tmp_path, rq):
    # "Were there flaws?" yes and "accuracy discrepancies?" yes count against the report
    flawed = {("RQ9", 1): "no", ("RQ9", 2): "no", ("RQ9", 3): "yes", ("RQ9", 5): "yes"}
    path = tmp_path / "r.yaml"
    path.write_text(complete(rq, flawed), encoding="utf-8")
    found = json.loads(cli("check", "--format", "json", path).output)["files"][0]["findings"]
    contradictions = [f["message"] for f in found if f["rule"] == "rating-contradicts-answers"]
    assert contradictions and contradictions[0].startswith("RQ9 is rated good but its answers suggest poor")
    # the same answers the other way round (no flaws, no discrepancies) suggest good
    path.write_text(complete(rq, {("RQ9", 3): "no", ("RQ9", 5): "no"}), encoding="utf-8")
    found = json.loads(cli("check", "--format", "json", path).output)["files"][0]["findings"]
    assert not [f for f in found if f["rule"] == "rating-contradicts-answers"]


def test_summary_shows_numbers_as_numbers_and_choices_as_counts(cli, tmp_path, rq):
    for i, (pages, recs, method) in enumerate([(48, 7, "silp"), (30, 3, "systems"), (120, 25, "silp")]):
        # three reviews (three titles), not three assessments of one review
        (tmp_path / f"r{i}.yaml").write_text(complete(rq, {("RQ2", 2): pages, ("RQ8", 1): recs, ("RQ1", 1): method}).replace("Child E", f"Child E{i}"), encoding="utf-8")
    rows = list(csv.reader(io.StringIO(cli("summary", "--csv", tmp_path).output)))
    header = rows[0]
    recs = header.index("RQ8 q1: Number of recommendations?")
    assert sorted(r[recs] for r in rows[1:]) == ["25", "3", "7"]
    assert "RQ2 q2: How long? (pages)" in header and "How long from date of incident to publication? (months)" in header
    assert [r[header.index("RQ1 q1: SCR process type:")] for r in rows[1:]] == ["silp", "systems", "silp"]
    doc = json.loads(cli("summary", "--json", tmp_path).output)["sets"][0]
    stats = {f["key"]: f for f in doc["figures"]}
    assert stats["RQ8.1"]["median"] == 7 and stats["RQ8.1"]["mean"] == pytest.approx(35 / 3)
    assert stats["RQ2.2"]["min"] == 30 and stats["RQ2.2"]["max"] == 120
    (choice,) = doc["choices"]
    assert choice["counts"]["Significant Incident Learning Process (SILP)"] == 2 and choice["counts"]["Systems methodology"] == 1
    table = cli("summary", tmp_path).output
    assert "Figures recorded (numbers, not ratings)" in table and "Number of recommendations?" in table


def test_markers_show_gives_types_facts_and_the_computed_interval(cli):
    out = cli("markers", "show", "RQ8", "--set", "scr-report-quality").output
    assert "1. Number of recommendations?" in out and "[answer: a number, at least 0 and at most 500]" in out
    assert "median of 7 recommendations per review" in out
    out = cli("markers", "show", "RQ1", "--set", "scr-report-quality").output
    assert "Computed, not asked: How long from date of incident to publication?" in out


def test_compare_two_assessors_of_a_report(cli, tmp_path, rq):
    a = tmp_path / "smith.yaml"
    b = tmp_path / "jones.yaml"
    a.write_text(complete(rq).replace("[B. Panel-Member]", "[A. Smith]"), encoding="utf-8")
    b.write_text(complete(rq, {("RQ8", 1): 9, ("RQ1", 1): '"SCIE Learning Together"'}).replace("[B. Panel-Member]", "[B. Jones]"), encoding="utf-8")
    merged = tmp_path / "agreed.yaml"
    result = cli("compare", a, b, "--merge", merged)
    assert result.exit_code == 0, result.output  # every section rated good by both
    out = result.stdout
    assert "Number of recommendations?" in out and "A. Smith: 7" in out and "B. Jones: 9" in out
    assert "SCR process type:" in out
    text = merged.read_text(encoding="utf-8")
    assert "TO SETTLE" in text
    check = json.loads(cli("check", "--format", "json", merged).output)["files"][0]
    assert {f["rule"] for f in check["findings"]} == {"unanswered-question"}
    assert check["rated"] == 8


def test_assess_prompts_each_type_from_piped_answers(cli, tmp_path):
    path = tmp_path / "e.yaml"
    lines = [
        "silt", "silp", "",  # a choice: a typo is asked again
        "last spring", "2025-01-10", "",  # a date
        "2025-02-14", "",
        "2025-12-01", "",
        "y", "contents page with clear headings",  # RQ2: a scale question
        "forty", "0", "48", "",  # a number: not a number, below the minimum, then right
    ]
    result = cli("assess", path, "--set", "scr-report-quality", "--title", "Child E", "--marker", "RQ1", "--marker", "RQ2", input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.output
    doc = json.loads(cli("check", "--format", "json", path).output)["files"][0]
    assert doc["choices"] == {"RQ1.1": "silp"}
    assert doc["figures"]["RQ2.2"] == 48.0 and doc["figures"]["interval.1"] == 10.7
    assert "Context: The average (mean) length of reports" in result.output
