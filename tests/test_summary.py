"""`scr-audit summary`: figures per review, per marker and per cluster, in every format."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from conftest import review_text


@pytest.fixture
def folder(tmp_path: Path, qm) -> Path:
    """Three reviews whose figures are easy to work out by hand.

    A: every marker met (score 100%).
    B: QM1-QM6 not met, QM7-QM18 met (12 of 18: 66.7%).
    C: in progress: QM1 partly met, QM2 not applicable, the rest unrated (score 50% of 1).
    """
    d = tmp_path / "reviews"
    d.mkdir()
    (d / "a.yaml").write_text(review_text(qm, title="Child A"), encoding="utf-8")
    low = {f"QM{n}" for n in range(1, 7)}
    (d / "b.yaml").write_text(
        review_text(
            qm,
            title="Child B",
            answer=lambda m, q: "no" if m in low else "yes",
            rating=lambda m: "not-met" if m in low else "met",
            actions=lambda m: [{"action": "Improve", "owner": "Chair", "due": "2027-06-30"}] if m in low else [],
        ),
        encoding="utf-8",
    )
    (d / "c.yaml").write_text(
        review_text(
            qm,
            title="Child C",
            stage="progressive",
            answer=lambda m, q: "partly" if m == "QM1" else "n/a" if m == "QM2" else None,
            rating=lambda m: {"QM1": "partly-met", "QM2": "not-applicable"}.get(m),
            actions=lambda m: [{"action": "Improve", "owner": "Chair", "due": "2027-06-30"}] if m == "QM1" else [],
        ),
        encoding="utf-8",
    )
    return d


def test_summary_json_figures_worked_out_by_hand(cli, folder):
    result = cli("summary", "--json", folder)
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    (s,) = doc["sets"]
    assert s["marker-set"] == "scr-quality-markers"
    reviews = {r["title"]: r for r in s["reviews"]}
    assert reviews["Child A"]["score"]["percent"] == 100.0
    assert reviews["Child B"]["score"]["percent"] == pytest.approx(66.67)
    assert reviews["Child B"]["score"]["counts"] == {"met": 12, "partly-met": 0, "not-met": 6, "not-applicable": 0}
    c = reviews["Child C"]["score"]
    assert (c["percent"], c["rated"], c["scored"], c["not-applicable"], c["unrated"]) == (50.0, 2, 1, 1, 16)
    assert reviews["Child C"]["answered"] == 12  # QM1's 3 and QM2's 9
    markers = {m["id"]: m for m in s["markers"]}
    assert markers["QM1"]["counts"] == {"met": 1, "partly-met": 1, "not-met": 1, "not-applicable": 0}
    assert markers["QM1"]["percent"] == 50.0  # (1 + 0.5 + 0) / 3
    assert markers["QM2"]["counts"]["not-applicable"] == 1 and markers["QM2"]["percent"] == 50.0
    assert markers["QM18"]["unrated"] == 1 and markers["QM18"]["percent"] == 100.0
    clusters = {c["id"]: c for c in s["clusters"]}
    # setting up (QM1-5): A 5 met; B 5 not met; C QM1 partly, QM2 n/a, 3 unrated
    assert clusters["setting-up"]["counts"] == {"met": 5, "partly-met": 1, "not-met": 5, "not-applicable": 1}
    assert clusters["setting-up"]["unrated"] == 3
    assert clusters["setting-up"]["percent"] == pytest.approx(100 * 5.5 / 11)
    assert doc["skipped"] == []


def test_summary_csv_shape(cli, folder):
    result = cli("summary", "--csv", folder)
    assert result.exit_code == 0
    rows = list(csv.reader(io.StringIO(result.output)))
    assert rows[0][:11] == ["file", "marker-set", "title", "partnership", "stage", "answered", "questions", "rated", "markers", "unrated", "score"]
    assert rows[0][11:] == ["met", "partly-met", "not-met", "not-applicable", "errors", "warnings", "infos"]
    assert len(rows) == 4 and all(len(r) == len(rows[0]) for r in rows)
    b = next(r for r in rows if r[2] == "Child B")
    assert b[10] == "66.7" and b[11:15] == ["12", "0", "6", "0"]


def test_summary_csv_by_marker_and_cluster(cli, folder):
    rows = list(csv.reader(io.StringIO(cli("summary", "--csv", "--by", "marker", folder).output)))
    assert rows[0] == ["marker-set", "marker", "title", "cluster", "ratings", "met", "partly-met", "not-met", "not-applicable", "unrated", "mean-score"]
    assert len(rows) == 19
    assert rows[1] == ["scr-quality-markers", "QM1", "Referral", "setting-up", "3", "1", "1", "1", "0", "0", "50.0"]
    rows = list(csv.reader(io.StringIO(cli("summary", "--csv", "--by", "cluster", folder).output)))
    assert [r[1] for r in rows[1:]] == ["setting-up", "running", "outputs"]


def test_summary_excel_csv_has_a_bom_and_o_writes_a_file(cli, folder, tmp_path):
    out = tmp_path / "summary.csv"
    result = cli("summary", "--csv", "--excel", "-o", out, folder)
    assert result.exit_code == 0
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"Child B" in data
    again = cli("summary", "--csv", "-o", out, folder)
    assert again.exit_code == 2 and "already exists" in again.output
    assert out.read_bytes() == data
    assert cli("summary", "--csv", "--force", "-o", out, folder).exit_code == 0


def test_summary_table(cli, folder):
    result = cli("summary", folder)
    assert result.exit_code == 0
    out = result.output
    assert "Serious Case Review Quality Markers" in out and "3 reviews" in out
    assert "Child A, end" in out and "Child B, end" in out and "12 met," in out
    assert "By marker" in out and "By cluster" in out and "Decision-making" in out


def test_mixed_sets_are_summarised_separately(cli, folder, registry):
    rq = registry.get("scr-report-quality")
    answers = {("RQ1", 1): "learning-together", ("RQ1", 2): "2025-01-10", ("RQ1", 3): "2025-02-01", ("RQ1", 4): "2025-12-01", ("RQ2", 2): 48, ("RQ2", 3): 5, ("RQ2", 5): '"Little repetition."', ("RQ8", 1): 7, ("RQ9", 4): '"Clear findings."'}
    (folder / "d.yaml").write_text(
        review_text(
            rq,
            title="Child D report",
            answer=lambda m, q: answers.get((m, q), "yes"),
            evidence=lambda m, q: None if (m, q) in answers else "p 12",
            rating=lambda m: None if m == "RQ1" else "good",
        ),
        encoding="utf-8",
    )
    doc = json.loads(cli("summary", "--json", folder).output)
    assert [s["marker-set"] for s in doc["sets"]] == ["scr-quality-markers", "scr-report-quality"]
    report = doc["sets"][1]
    assert [r["title"] for r in report["reviews"]] == ["Child D report"]
    assert report["reviews"][0]["score"]["counts"] == {"good": 8, "adequate": 0, "poor": 0, "not-applicable": 0}
    assert [m["id"] for m in report["markers"]] == [f"RQ{n}" for n in range(2, 10)]
    assert all("good" not in m["counts"] for m in doc["sets"][0]["markers"])
    rows = list(csv.reader(io.StringIO(cli("summary", "--csv", folder).output)))
    assert "good" in rows[0] and "met" in rows[0]
    d = next(r for r in rows if r[2] == "Child D report")
    assert d[1] == "scr-report-quality" and d[rows[0].index("good")] == "8" and d[rows[0].index("met")] == ""


def test_bad_files_are_reported_and_skipped(cli, folder):
    (folder / "broken.yaml").write_text("scr-audit: 1\nreview: [\n", encoding="utf-8")
    (folder / "other.yml").write_text("just: config\n", encoding="utf-8")
    result = cli("summary", "--csv", folder)
    assert result.exit_code == 1
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert len(rows) == 4
    assert "skipped" in result.stderr and re.search(r"broken\.yaml:\d+:\d+: not valid YAML.*\[yaml-syntax\]", result.stderr) and re.search(r"other\.yml:1:1: .*\[not-a-review\]", result.stderr)


def test_summary_jobs_match_one_process(cli, tmp_path, qm):
    for i in range(30):
        (tmp_path / f"r{i:02}.yaml").write_text(review_text(qm, title=f"Child {i}", rating=lambda m, i=i: "met" if i % 2 else "partly-met", actions=lambda m, i=i: [] if i % 2 else [{"action": "a", "owner": "o", "due": "2027-01-01"}]), encoding="utf-8")
    one = cli("summary", "--json", "--jobs", "1", tmp_path).output
    many = cli("summary", "--json", "--jobs", "2", tmp_path).output
    assert json.loads(one) == json.loads(many)
    assert len(json.loads(one)["sets"][0]["reviews"]) == 30
