"""`scr-audit summary`: figures per review, per marker and per cluster, in every format.

Each review counted once, stages kept apart, the per-review CSV with the review's dates,
`--by matrix`, and the Excel workbook read back with openpyxl. (Spreadsheet safety and
LibreOffice Calc: test_spreadsheets.py.)
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import datetime
from pathlib import Path

import pytest

from business_folder import AS_OF, HOSTILE_TITLE, make_folder
from conftest import review_text

openpyxl = pytest.importorskip("openpyxl", reason="openpyxl (the test extra) reads the workbook back")


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
            stage="end",
            answer=lambda m, q: "partly" if m == "QM1" else "n/a" if m == "QM2" else None,
            rating=lambda m: {"QM1": "partly-met", "QM2": "not-applicable"}.get(m),
            actions=lambda m: [{"action": "Improve", "owner": "Chair", "due": "2027-06-30"}] if m == "QM1" else [],
        ),
        encoding="utf-8",
    )
    return d


@pytest.fixture
def bm(tmp_path: Path, qm) -> Path:
    return make_folder(tmp_path, qm)


def _reviews(doc: dict, stage: str) -> dict:
    (s,) = [s for s in doc["sets"] if s["stage"] == stage]
    return {r["title"]: r for r in s["reviews"]}


def test_summary_json_figures_worked_out_by_hand(cli, folder):
    result = cli("summary", "--json", folder)
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    (s,) = doc["sets"]
    assert s["marker-set"] == "scr-quality-markers" and s["stage"] == "end"
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
    assert doc["skipped"] == [] and doc["counted"] == {"files": 3, "files-used": 3, "reviews": 3, "skipped": 0, "left-out": 0}


def test_summary_csv_has_labelled_headers_and_the_reviews_dates(cli, folder):
    result = cli("summary", "--csv", folder)
    assert result.exit_code == 0
    rows = list(csv.reader(io.StringIO(result.stdout)))
    header = rows[0]
    assert header[:8] == ["Review", "Partnership", "Marker set", "Stage", "Assessment", "Files", "Assessors", "Assessed on"]
    assert header[8:14] == ["Incident", "Referral", "Decision", "Completed", "Published", "Months from decision to completion"]
    assert header[14:22] == ["Score (%)", "Rated", "Markers", "Unrated", "Met", "Partly met", "Not met", "Not applicable"]
    assert header[22:] == ["Answered", "Questions", "Errors", "Warnings", "Info", "Assessors differ on", "File names"]
    assert len(rows) == 4 and all(len(r) == len(header) for r in rows)
    b = dict(zip(header, next(r for r in rows if r[0] == "Child B")))
    assert b["Score (%)"] == "66.7" and [b[k] for k in ("Met", "Partly met", "Not met", "Not applicable")] == ["12", "0", "6", "0"]
    # review_text's dates: decision 2025-02-14, completed 2025-07-30: 166 days, 5.5 months
    assert (b["Decision"], b["Completed"], b["Months from decision to completion"]) == ("2025-02-14", "2025-07-30", "5.5")
    assert (b["Assessed on"], b["Assessment"], b["Files"]) == ("2026-11-01", "One assessment", "1")
    assert b["File names"].endswith("b.yaml")


def test_summary_csv_text_is_quoted_and_numbers_are_bare(cli, folder):
    lines = cli("summary", "--csv", folder).stdout.splitlines()
    assert lines[1].startswith('"Child A","Anytown LSCB","scr-quality-markers","end","One assessment",1,')
    assert ',"2025-02-14",' in lines[1] and ",100," in lines[1]


def test_summary_csv_by_marker_and_cluster(cli, folder):
    rows = list(csv.reader(io.StringIO(cli("summary", "--csv", "--by", "marker", folder).stdout)))
    assert rows[0] == [
        "Marker set", "Stage", "Marker", "Title", "Cluster", "Partly met or not met (%)", "Reviews", "Rated",
        "Met", "Met (%)", "Partly met", "Partly met (%)", "Not met", "Not met (%)", "Not applicable", "Not applicable (%)",
        "Unrated", "Mean score (%)",
    ]  # fmt: skip
    assert len(rows) == 19
    # ranked by the share needing action: QM1 (B not met, C partly met: 2 of 3) first
    assert rows[1] == ["scr-quality-markers", "end", "QM1", "Referral", "setting-up", "66.7", "3", "3", "1", "33.3", "1", "33.3", "1", "33.3", "0", "0", "0", "50"]
    assert [r[2] for r in rows[2:7]] == ["QM3", "QM4", "QM5", "QM6", "QM2"]  # B's not met, then QM2 (1 of 3)
    rows = list(csv.reader(io.StringIO(cli("summary", "--csv", "--by", "cluster", folder).stdout)))
    assert [r[2] for r in rows[1:]] == ["setting-up", "running", "outputs"]


def test_summary_csv_by_matrix_one_column_per_marker(cli, folder, qm):
    rows = list(csv.reader(io.StringIO(cli("summary", "--csv", "--by", "matrix", folder).stdout)))
    header = rows[0]
    assert header[:6] == ["Review", "Partnership", "Marker set", "Stage", "Assessment", "Score (%)"]
    assert header[6:] == [f"{m.id} {m.title}" for m in qm.markers]
    by_title = {r[0]: r for r in rows[1:]}
    assert set(by_title) == {"Child A", "Child B", "Child C"}
    assert by_title["Child B"][6:12] == ["Not met"] * 6 and by_title["Child B"][12] == "Met"
    assert by_title["Child C"][6:9] == ["Partly met", "Not applicable", ""]


def test_summary_excel_csv_has_a_bom_and_o_writes_a_file(cli, folder, tmp_path):
    out = tmp_path / "summary.csv"
    result = cli("summary", "--csv", "--excel", "-o", out, folder)
    assert result.exit_code == 0
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"Child B" in data
    assert "Wrote" in result.stderr and "Used 3 of 3 files: 3 reviews, each counted once" in result.stderr
    again = cli("summary", "--csv", "-o", out, folder)
    assert again.exit_code == 2 and "already exists" in again.output
    assert out.read_bytes() == data
    assert cli("summary", "--csv", "--force", "-o", out, folder).exit_code == 0


def test_summary_table(cli, folder):
    result = cli("summary", folder)
    assert result.exit_code == 0
    out = result.stdout
    assert "Serious Case Review Quality Markers" in out and "End of the review: 3 reviews from 3 files" in out
    assert "Child A" in out and "Child B" in out and "12 met," in out
    assert "By marker" in out and "By cluster" in out and "Decision-making" in out
    assert "Used 3 of 3 files: 3 reviews, each counted once." in out


# ------------------------------------------------------------------ each review counted once


def test_each_review_is_counted_once(cli, bm):
    result = cli("summary", "--json", "--as-of", AS_OF, bm)
    assert result.exit_code == 1  # broken.yaml is skipped
    doc = json.loads(result.stdout)
    assert doc["counted"] == {"files": 9, "files-used": 8, "reviews": 4, "skipped": 1, "left-out": 0}
    end = _reviews(doc, "end")
    assert set(end) == {"Child D", "Child E", HOSTILE_TITLE}
    d = end["Child D"]
    assert d["standing"] == "not-moderated" and len(d["files"]) == 3
    # QM1 met / partly met / not met: the middle one; QM2 met, met, partly met: met
    assert d["ratings"]["QM1"] == "partly-met" and d["ratings"]["QM2"] == "met" and d["differ"] == ["QM1", "QM2"]
    assert d["score"]["counts"] == {"met": 17, "partly-met": 1, "not-met": 0, "not-applicable": 0}
    e = end["Child E"]  # the agreed file stands, whatever its assessments say
    assert e["standing"] == "agreed" and e["files"][0].endswith("child-e-agreed.yaml") and len(e["files"]) == 3
    assert e["ratings"]["QM3"] == "not-met" and e["differ"] == []
    (s_end,) = [s for s in doc["sets"] if s["stage"] == "end"]
    qm1 = next(m for m in s_end["markers"] if m["id"] == "QM1")
    assert qm1["markers"] == 3 and qm1["counts"] == {"met": 2, "partly-met": 1, "not-met": 0, "not-applicable": 0}
    qm3 = next(m for m in s_end["markers"] if m["id"] == "QM3")
    assert qm3["counts"]["not-met"] == 1 and qm3["counts"]["met"] == 2 and qm3["counts"]["partly-met"] == 0
    uses = {Path(f["path"]).name: f for f in doc["files"]}
    assert uses["child-e-lee.yaml"]["how"].startswith("an assessment of child  e; the agreed file")
    assert not uses["broken.yaml"]["used"] and uses["broken.yaml"]["how"].startswith("skipped: not valid YAML")


def test_summary_says_it_counted_each_review_once(cli, bm):
    out = " ".join(cli("summary", "--as-of", AS_OF, bm).stdout.split())  # as read, whatever the wrapping
    assert "End of the review: 3 reviews from 7 files" in out
    assert "Child D: counted once from 3 files, not yet moderated" in out and "they differ on QM1, QM2" in out
    assert "Child E: counted once; the agreed file child-e-agreed.yaml stands for 3 files." in out
    assert "Used 8 of 9 files: 4 reviews, each counted once" in out


def test_stages_are_kept_apart_never_pooled(cli, bm):
    doc = json.loads(cli("summary", "--json", bm).stdout)
    assert [(s["stage"], len(s["reviews"]), s["files"]) for s in doc["sets"]] == [("progressive", 1, 1), ("end", 3, 7)]
    progressive = doc["sets"][0]
    assert progressive["overall"]["percent"] == 50.0 and doc["sets"][1]["overall"]["percent"] != 50.0
    table = cli("summary", bm).stdout
    assert "Progressive, while the review runs: 1 review from 1 file, overall 50%" in table
    assert "overall" in table.split("End of the review:")[1].split("\n")[0]


def test_stage_option_chooses_stages(cli, bm):
    result = cli("summary", "--json", "--stage", "progressive", bm)
    doc = json.loads(result.stdout)
    assert [s["stage"] for s in doc["sets"]] == ["progressive"]
    assert doc["counted"]["left-out"] == 7 and doc["counted"]["reviews"] == 1
    assert "left out 7 file(s) made at another stage than progressive (--stage)" in result.stderr
    both = json.loads(cli("summary", "--json", "--stage", "end", "--stage", "progressive", bm).stdout)
    assert [s["stage"] for s in both["sets"]] == ["progressive", "end"]  # chosen, still apart
    none = cli("summary", "--stage", "beginning", bm)
    assert none.exit_code == 2 and "Nothing to summarise" in none.stderr


def test_several_agreed_files_the_latest_stands(cli, tmp_path, qm):
    for name, day, qm1 in (("first", "2026-01-10", "not-met"), ("second", "2026-05-02", "met")):
        text = review_text(qm, title="Child K", rating=lambda m, r=qm1: r if m == "QM1" else "met", extra_review="  assessment: agreed")
        (tmp_path / f"{name}.yaml").write_text(text.replace("assessed-on: 2026-11-01", f"assessed-on: {day}"), encoding="utf-8")
    doc = json.loads(cli("summary", "--json", tmp_path).stdout)
    (r,) = doc["sets"][0]["reviews"]
    assert r["files"][0].endswith("second.yaml") and r["ratings"]["QM1"] == "met"
    uses = {Path(f["path"]).name: f["how"] for f in doc["files"]}
    assert uses["first.yaml"].startswith("an earlier agreed assessment of Child K")


# ------------------------------------------------------------------------- the workbook


def test_summary_workbook_sheets_dates_and_shading(cli, bm, tmp_path, qm):
    out = tmp_path / "board.xlsx"
    result = cli("summary", bm, "-o", out, "--as-of", AS_OF)
    assert result.exit_code == 1, result.output  # written; broken.yaml skipped
    assert "Wrote" in result.stderr and "the Excel workbook" in result.stderr and "Used 8 of 9 files: 4 reviews" in result.stderr
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Reviews", "Markers", "Matrix", "Actions", "Files", "About"]
    for ws in book:
        assert ws.freeze_panes in ("A2", "B2") and ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:")
        assert all(cell.data_type != "f" for row in ws.iter_rows() for cell in row)
        assert ws.column_dimensions["A"].width > 8
    reviews = book["Reviews"]
    header = [c.value for c in reviews[1]]
    rows = {r[0].value: dict(zip(header, r)) for r in reviews.iter_rows(min_row=2)}
    assert set(rows) == {"Child D", "Child E", "Child F", HOSTILE_TITLE}
    d = rows["Child D"]
    assert d["Decision"].is_date and d["Decision"].value == datetime(2025, 2, 14)
    assert d["Completed"].value == datetime(2025, 9, 30) and d["Assessed on"].is_date
    assert d["Months from decision to completion"].value == 7.5
    assert d["Score"].value == pytest.approx(0.972) and "%" in d["Score"].number_format
    assert (d["Met"].value, d["Partly met"].value, d["Files"].value, d["Assessment"].value) == (17, 1, 3, "Not yet moderated")
    assert rows[HOSTILE_TITLE]["Review"].data_type == "s"
    markers = book["Markers"]
    mh = [c.value for c in markers[1]]
    first = dict(zip(mh, [c.value for c in markers[2]]))
    assert mh[5] == "Partly met or not met (%)"
    # progressive first (Child F: QM1 partly met, 100% of those rating it), then ranked within a stage
    assert (first["Stage"], first["Marker"], first["Partly met or not met (%)"]) == ("progressive", "QM1", 1.0)
    end_rows = [dict(zip(mh, [c.value for c in r])) for r in markers.iter_rows(min_row=2) if r[1].value == "end"]
    shares = [r["Partly met or not met (%)"] for r in end_rows]
    assert shares == sorted(shares, reverse=True) and end_rows[0]["Marker"] in ("QM1", "QM3", "QM4")
    matrix = book["Matrix"]
    xh = [c.value for c in matrix[1]]
    assert xh[6] == "QM1 Referral" and len(xh) == 6 + 18
    d_row = next(r for r in matrix.iter_rows(min_row=2) if r[0].value == "Child D")
    qm1 = d_row[6]
    fill = {r.id: r.fill.upper() for r in qm.header.rating_scale}  # the set's own colours
    assert qm1.value == "Partly met" and qm1.fill.fgColor.rgb.endswith(fill["partly-met"])
    assert d_row[7].value == "Met" and d_row[7].fill.fgColor.rgb.endswith(fill["met"])
    files = book["Files"]
    used = {Path(r[0].value).name: (r[5].value, r[6].value) for r in files.iter_rows(min_row=2)}
    assert len(used) == 9 and used["broken.yaml"][0] == "no" and used["child-d-smith.yaml"][0] == "yes"
    about = {r[0].value: r[1].value for r in book["About"].iter_rows(min_row=2)}
    assert (about["Files given"], about["Files used"], about["Reviews"], about["Files skipped"]) == (9, 8, 4, 1)
    assert "counted once" in about["Counting"] and about["Overdue judged at"] == datetime(2027, 3, 1)


def test_summary_workbook_actions_sheet_lists_each_action_once(cli, bm, tmp_path):
    out = tmp_path / "board.xlsx"
    cli("summary", bm, "--format", "xlsx", "-o", out, "--as-of", AS_OF)
    ws = openpyxl.load_workbook(out)["Actions"]
    header = [c.value for c in ws[1]]
    rows = [dict(zip(header, [c.value for c in r])) for r in ws.iter_rows(min_row=2)]
    texts = [r["Action"] for r in rows]
    # Child D's three files share one action: listed once, with the other two files named
    shared = [r for r in rows if r["Action"] == "Add a reason-for-delay field to the referral form."]
    assert len(shared) == 1 and shared[0]["Also in"].count(".yaml") == 2
    assert texts.count("Agree a family liaison protocol with the police.") == 1
    assert "Publish the report." in texts  # done actions are in the workbook, to filter on
    overdue = [r["Days overdue"] for r in rows if r["Days overdue"]]
    assert overdue == sorted(overdue, reverse=True) and rows[0]["Days overdue"] == max(overdue)
    assert isinstance(rows[0]["Due"], datetime)


def test_output_suffix_must_match_the_format(cli, folder, tmp_path):
    for args, name in (
        (("--format", "csv"), "x.xlsx"),
        (("--csv",), "x.xlsx"),
        (("--format", "xlsx"), "x.csv"),
        (("--json",), "x.csv"),
        (("--format", "table"), "x.xlsx"),
    ):
        out = tmp_path / name
        result = cli("summary", folder, *args, "-o", out)
        assert result.exit_code == 2, (args, name, result.output)
        assert "give -o a name ending in" in result.stderr and not out.exists()
    unknown = cli("summary", folder, "-o", tmp_path / "x.doc")
    assert unknown.exit_code == 2 and "--format" in unknown.stderr
    assert cli("summary", folder, "--format", "xlsx").exit_code == 2  # a workbook needs -o


def test_o_never_replaces_an_input(cli, folder):
    result = cli("summary", folder, "--format", "csv", "-o", folder / "a.csv")
    assert result.exit_code == 0
    target = folder / "a.yaml"
    before = target.read_bytes()
    result = cli("summary", target, "--format", "table", "-o", target)
    assert result.exit_code == 2 and target.read_bytes() == before


# ---------------------------------------------------------------------- sets, bad files


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
    doc = json.loads(cli("summary", "--json", folder).stdout)
    assert [s["marker-set"] for s in doc["sets"]] == ["scr-quality-markers", "scr-report-quality"]
    report = doc["sets"][1]
    assert [r["title"] for r in report["reviews"]] == ["Child D report"]
    assert report["reviews"][0]["score"]["counts"] == {"good": 8, "adequate": 0, "poor": 0, "not-applicable": 0}
    assert [m["id"] for m in report["markers"]] == [f"RQ{n}" for n in range(2, 10)]
    assert all("good" not in m["counts"] for m in doc["sets"][0]["markers"])
    rows = list(csv.reader(io.StringIO(cli("summary", "--csv", folder).stdout)))
    assert "Good" in rows[0] and "Met" in rows[0]
    d = next(r for r in rows if r[0] == "Child D report")
    assert d[2] == "scr-report-quality" and d[rows[0].index("Good")] == "8" and d[rows[0].index("Met")] == ""


def test_bad_files_are_reported_and_skipped(cli, folder):
    (folder / "broken.yaml").write_text("scr-audit: 1\nreview: [\n", encoding="utf-8")
    (folder / "other.yml").write_text("just: config\n", encoding="utf-8")
    result = cli("summary", "--csv", folder)
    assert result.exit_code == 1
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert len(rows) == 4
    assert "skipped" in result.stderr and re.search(r"broken\.yaml:\d+:\d+: not valid YAML.*\[yaml-syntax\]", result.stderr) and re.search(r"other\.yml:1:1: .*\[not-a-review\]", result.stderr)


def test_nothing_usable_is_exit_2(cli, tmp_path):
    (tmp_path / "broken.yaml").write_text("scr-audit: 1\nreview: [\n", encoding="utf-8")
    (tmp_path / "other.yml").write_text("just: config\n", encoding="utf-8")
    out = tmp_path / "s.csv"
    result = cli("summary", "--csv", "-o", out, tmp_path)
    assert result.exit_code == 2 and not out.exists()
    assert "Nothing to summarise: none of the 2 file(s) could be used as a review." in result.stderr
    assert re.search(r"skipped \S*broken\.yaml:3:1: not valid YAML.*\[yaml-syntax\]", result.stderr)
    empty = tmp_path / "empty"
    empty.mkdir()
    assert cli("summary", empty).exit_code == 2


def test_summary_jobs_match_one_process(cli, tmp_path, qm):
    for i in range(30):
        (tmp_path / f"r{i:02}.yaml").write_text(review_text(qm, title=f"Child {i}", rating=lambda m, i=i: "met" if i % 2 else "partly-met", actions=lambda m, i=i: [] if i % 2 else [{"action": "a", "owner": "o", "due": "2027-01-01"}]), encoding="utf-8")
    one = cli("summary", "--json", "--jobs", "1", tmp_path).stdout
    many = cli("summary", "--json", "--jobs", "2", tmp_path).stdout
    assert json.loads(one) == json.loads(many)
    assert len(json.loads(one)["sets"][0]["reviews"]) == 30
