"""The summary Word record counts, and keeps apart, exactly as `scr-audit summary` does.

A business manager takes the record to the Board and the spreadsheet to the subgroup: the
two are made from the same folder and must never disagree. So every figure here is read
back from the .docx (python-docx, and LibreOffice's PDF where it is installed) and compared,
number by number, with what `scr-audit summary --format json` and `scr-audit actions
--format json` print for the same folder: the reviews' scores, each stage's overall score,
the markers' ranking and shares, the actions. A folder that mixes stages gets a part per
stage and no pooled figure; `--stage` keeps only the stages it names; a review of three
individual files is shown with the figures `summary` gives it, marked not yet moderated;
and `--redact` leaves no identifier and no control character anywhere in the file.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import zipfile
from datetime import date
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from readers import needs_pdftotext, needs_soffice, pdf_pages, to_pdf

from conftest import review_text

AS_OF = date(2027, 3, 1)
END, PROGRESSIVE, BEGINNING = "end of the review", "progressive, while the review runs", "beginning of the review"
SHARED = {"action": "Add a reason-for-delay field to the referral form.", "owner": "LSCB business manager", "due": "2027-01-31", "status": "open"}
PATEL = {"action": "Brief the chair on the statutory criteria.", "owner": "Designated nurse", "due": "2027-06-30", "status": "in-progress"}
LIAISON = {"action": "Agree a family liaison protocol with the police.", "owner": "Case Review Subgroup chair", "due": "2026-11-30", "status": "open"}
PUBLISHED = {"action": "Publish the report.", "owner": "LSCB independent chair", "due": "2026-12-01", "status": "done"}
NO_DUE = {"action": "Name complicating factors in every terms of reference.", "owner": "Case Review Subgroup chair", "status": "open"}
FAMILY = {"action": "Agree the terms of reference with the family.", "owner": "Lead reviewer", "due": "2027-02-01", "status": "open"}
ANALYSIS = {"action": "Commission an independent analysis of the health chronology.", "owner": "Designated doctor", "due": "2027-05-31", "status": "open"}
PDFTOPPM = shutil.which("pdftoppm")


def _rated(**given: str):
    return lambda m: given.get(m, "met")


@pytest.fixture
def mixed(tmp_path, qm) -> Path:
    """A folder at three stages, with a review of three individual files and one agreed.

    - Child D, end: three panel members' files, not yet moderated (QM1 met / partly met /
      not met, QM2 met / met / partly met); Patel left a question unanswered (an error).
    - Child E, end: two panel members' files (Khan's with an error) and the agreed file.
    - Child H, end: one file, QM5 not applicable and QM9 not met.
    - Child F, progressive: QM1 partly met, QM2 to QM5 not met, the rest not rated yet.
    - Child G, beginning: QM4 partly met, QM6 and QM7 not yet known.
    """
    d = tmp_path / "reviews"
    d.mkdir()
    for name, qm1, qm2, extra in (("smith", "met", "met", []), ("jones", "partly-met", "met", []), ("patel", "not-met", "partly-met", [PATEL])):
        (d / f"child-d-{name}.yaml").write_text(
            review_text(
                qm,
                title="Child D",
                rating=_rated(QM1=qm1, QM2=qm2),
                actions=lambda m, extra=extra: [SHARED, *extra] if m == "QM1" else [],
                assessors=(name.capitalize(),),
                answer=(lambda m, q: None if (m, q) == ("QM3", 1) else "yes") if name == "patel" else (lambda m, q: "yes"),
            ),
            encoding="utf-8",
        )
    for name, qm3 in (("lee", "met"), ("khan", "partly-met")):
        (d / f"child-e-{name}.yaml").write_text(
            review_text(qm, title="Child E", rating=_rated(QM3=qm3), assessors=(name.capitalize(),),
                        answer=(lambda m, q: None if (m, q) == ("QM8", 2) else "yes") if name == "khan" else (lambda m, q: "yes"),
                        actions=lambda m: [LIAISON] if m == "QM3" else []),
            encoding="utf-8",
        )  # fmt: skip
    (d / "child-e-agreed.yaml").write_text(
        review_text(qm, title="Child E", rating=_rated(QM3="not-met"), assessors=("Lee", "Khan"), extra_review="  assessment: agreed",
                    actions=lambda m: [LIAISON, PUBLISHED] if m == "QM3" else []),
        encoding="utf-8",
    )  # fmt: skip
    (d / "child-h.yaml").write_text(
        review_text(qm, title="Child H", rating=_rated(QM5="not-applicable", QM9="not-met"), actions=lambda m: [ANALYSIS] if m == "QM9" else []),
        encoding="utf-8",
    )
    (d / "child-f.yaml").write_text(
        review_text(qm, title="Child F", stage="progressive", answer=lambda m, q: "partly" if m == "QM1" else "no" if m in ("QM2", "QM3", "QM4", "QM5") else None,
                    rating=lambda m: "partly-met" if m == "QM1" else "not-met" if m in ("QM2", "QM3", "QM4", "QM5") else None,
                    actions=lambda m: [NO_DUE] if m == "QM1" else []),
        encoding="utf-8",
    )  # fmt: skip
    (d / "child-g.yaml").write_text(
        review_text(qm, title="Child G", stage="beginning", answer=lambda m, q: "not-yet" if m in ("QM6", "QM7") else "yes",
                    rating=lambda m: None if m in ("QM6", "QM7") else "partly-met" if m == "QM4" else "met",
                    actions=lambda m: [FAMILY] if m == "QM4" else []),
        encoding="utf-8",
    )  # fmt: skip
    return d


# ----------------------------------------------------------------------------- reading back


def caption(t) -> str:
    cap = t._tbl.tblPr.find(qn("w:tblCaption"))
    return cap.get(qn("w:val")) if cap is not None else ""


def tables(document, start: str) -> list:
    return [t for t in document.tables if caption(t).startswith(start)]


def headings(document, level: int) -> list[str]:
    return [p.text for p in document.paragraphs if p.style is not None and p.style.name == f"Heading {level}"]


def glance(document) -> dict[str, str]:
    """The "At a glance" lines, label -> value."""
    out, inside = {}, False
    for p in document.paragraphs:
        if p.style.name.startswith("Heading") or p.style.name == "TOC Heading":
            inside = p.text == "At a glance"
            continue
        if inside and ": " in p.text:
            label, value = p.text.split(": ", 1)
            out[label] = value
    return out


def percent(text: str) -> int:
    return int(re.match(r"(\d+)%", text).group(1))


def review_rows(document, stage: str) -> dict[str, list[str]]:
    """The reviews table of one stage: title -> the row's cells."""
    (t,) = tables(document, f"Reviews: {stage}")
    return {r.cells[1].text.split("\n")[0]: [c.text for c in r.cells] for r in t.rows[1:]}


def json_of(result) -> dict:
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def export(cli, folder: Path, out: Path, *args: str):
    result = cli("export", folder, "-o", out, "--as-of", AS_OF.isoformat(), *args)
    assert out.is_file(), result.output
    return result, docx.Document(str(out))


# ------------------------------------------------------------------------------ the tests


def test_a_mixed_stage_folder_gives_figures_per_stage_and_no_pooled_mean(cli, mixed, tmp_path, qm):
    result, document = export(cli, mixed, tmp_path / "summary.docx")
    assert result.exit_code == 1  # two files still have errors
    assert "summary record of 5 review(s) from 9 file(s), in 3 parts by stage (never pooled)" in result.stdout
    item = qm.header.item_name
    # a part per stage, under a heading that names it, in summary's order
    assert [h for h in headings(document, 1) if ": " in h] == [
        "Beginning of the review: 1 review",
        "Progressive, while the review runs: 1 review",
        "End of the review: 3 reviews",
    ]
    sections = ("Reviews", f"{item}s ranked", f"Ratings per {item}", f"Ratings by {item} and review")
    for stage in (BEGINNING, PROGRESSIVE, END):
        for section in sections:
            assert f"{section}: {stage}" in headings(document, 2)
            assert len(tables(document, f"{section}: {stage}")) == 1, (section, stage)
    # never a heading, caption or chart without its stage
    assert not [h for h in headings(document, 1) + headings(document, 2) if h in sections]
    assert not [c for c in map(caption, document.tables) if c in sections]
    charts = [p.get("title") for p in document.element.body.iter("{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr")]
    assert charts == [
        f"Ratings of each {item} across 1 review, {BEGINNING}",
        f"Ratings of each {item} across 1 review, {PROGRESSIVE}",
        f"Ratings of each {item} across 3 reviews, {END}",
    ]

    # each stage's overall score is summary's, and no figure pools them
    summary = json_of(cli("summary", "--json", mixed, "--as-of", AS_OF.isoformat()))
    overall = {s["stage"]: s["overall"]["percent"] for s in summary["sets"]}
    lines = glance(document)
    said = {label: value for label, value in lines.items() if label.startswith("Overall score")}
    assert set(said) == {f"Overall score ({stage})" for stage in (BEGINNING, PROGRESSIVE, END)}
    for stage, key in ((BEGINNING, "beginning"), (PROGRESSIVE, "progressive"), (END, "end")):
        assert abs(percent(said[f"Overall score ({stage})"]) - overall[key]) <= 0.51
        rows = review_rows(document, stage)
        total = next(v for k, v in rows.items() if k.startswith("Overall score"))
        assert abs(percent(total[5]) - overall[key]) <= 0.51
    every = [r["ratings"][m.id] for s in summary["sets"] for r in s["reviews"] for m in qm.rated_markers]
    scored = [qm.rating(r).score for r in every if r and qm.rating(r).score is not None]
    pooled = round(100 * sum(scored) / len(scored))
    assert pooled not in {round(v) for v in overall.values()}  # the folder is built so that pooling would show
    assert f"{pooled}%" not in " ".join(said.values())
    assert not any("Mean of the" in p.text for p in document.paragraphs)


def test_the_records_figures_are_summarys_and_actions_own(cli, mixed, tmp_path, qm):
    _, document = export(cli, mixed, tmp_path / "summary.docx")
    summary = json_of(cli("summary", "--json", mixed, "--as-of", AS_OF.isoformat()))
    by_marker = list(csv.DictReader(io.StringIO(cli("summary", "--csv", "--by", "marker", mixed, "--as-of", AS_OF.isoformat()).stdout)))
    needs = {r.id for r in qm.header.rating_scale if r.needs_action}
    labels = {"beginning": BEGINNING, "progressive": PROGRESSIVE, "end": END}
    for s in summary["sets"]:
        stage = labels[s["stage"]]
        # every review's score
        rows = review_rows(document, stage)
        for r in s["reviews"]:
            shown = rows[r["title"]][5]
            assert abs(percent(shown) - r["score"]["percent"]) <= 0.51, (r["title"], shown)
            assert rows[r["title"]][3:5] == [str(r["score"]["rated"]), str(r["score"]["unrated"])]
        assert len(rows) == len(s["reviews"]) + 1  # and the overall row
        # the ranking: the same order as summary's spreadsheet, the same shares
        (ranked,) = tables(document, f"Quality Markers ranked: {stage}")
        order = [r.cells[1].text for r in ranked.rows[1:]]
        assert order == [row["Marker"] for row in by_marker if row["Stage"] == s["stage"]]
        shares = {r.cells[1].text: r.cells[-1].text for r in ranked.rows[1:]}
        for m in s["markers"]:
            needing = sum(n for rid, n in m["counts"].items() if rid in needs)
            if m["rated"]:
                assert shares[m["id"]] == f"{100 * needing / m['rated']:.0f}% ({needing} of {m['rated']})"
            else:
                assert shares[m["id"]] == "none rated"
        # the counts per marker
        (counts,) = tables(document, f"Ratings per Quality Marker: {stage}")
        cells = {r.cells[0].text: [c.text for c in r.cells] for r in counts.rows[1:] if r.cells[0].text.startswith("QM")}
        for m in s["markers"]:
            assert cells[m["id"]][3:] == [str(m["counts"][r.id]) for r in qm.header.rating_scale] + [str(m["unrated"])]
    # Child H's not applicable QM5 is in the denominator, as in summary's spreadsheet: 1 of 3 rated not met for QM9
    (ranked,) = tables(document, f"Quality Markers ranked: {END}")
    assert {r.cells[1].text: r.cells[-1].text for r in ranked.rows[1:]}["QM9"] == "33% (1 of 3)"

    # the actions: the same list as `actions` (every status), judged at the same date
    listed = json_of(cli("actions", "--format", "json", mixed, "--as-of", AS_OF.isoformat(), "--status", "open", "--status", "in-progress", "--status", "done"))
    assert listed["counted"]["not-listed"] == 0
    assert listed["counted"]["actions"] == sum(len(r["actions"]) for s in summary["sets"] for r in s["reviews"]) == 7
    (rollup,) = tables(document, "Actions across the reviews")
    record_rows = [(r.cells[2].text, r.cells[3].text, r.cells[5].text) for r in rollup.rows[1:]]
    assert [(a, o) for a, o, _ in record_rows] == [(a["action"], a["owner"]) for a in listed["actions"]]  # same order too
    for (_, _, status), a in zip(record_rows, listed["actions"]):
        if a["days-overdue"]:
            assert status.startswith(f"Overdue by {a['days-overdue']} days")
        else:
            assert "Overdue" not in status
    overdue = sum(1 for a in listed["actions"] if a["days-overdue"])
    assert glance(document)["Actions"] == f"{listed['counted']['actions']} actions across the reviews, {overdue} overdue as at 1 March 2027."
    assert listed["counted"]["overdue"] == overdue == 3


def test_a_review_of_three_individual_files_shows_summarys_figures_not_yet_moderated(cli, mixed, tmp_path, qm):
    _, document = export(cli, mixed, tmp_path / "summary.docx")
    summary = json_of(cli("summary", "--json", mixed, "--as-of", AS_OF.isoformat()))
    (end,) = [s for s in summary["sets"] if s["stage"] == "end"]
    d = next(r for r in end["reviews"] if r["title"] == "Child D")
    assert d["standing"] == "not-moderated" and d["ratings"]["QM1"] == "partly-met" and d["ratings"]["QM2"] == "met"
    row = review_rows(document, END)["Child D"]
    number = row[0]
    assert row[1].split("\n")[1:] == [
        "child-d-jones.yaml, child-d-patel.yaml, child-d-smith.yaml",
        "3 files: not yet moderated",
        "The assessors differ on QM1, QM2",
    ]
    assert abs(percent(row[5]) - d["score"]["percent"]) <= 0.51 and row[5] == "97%"  # 17 met and 1 partly met
    assert row[6] == f"{d['errors']} error open" == "1 error open"  # Patel's unanswered question, as summary counts it
    # the agreed file stands for Child E: Khan's own error is not Child E's, in summary or here
    e = next(r for r in end["reviews"] if r["title"] == "Child E")
    assert e["errors"] == 0 and review_rows(document, END)["Child E"][6] == "none"
    assert "3 files: agreed (moderated)" in review_rows(document, END)["Child E"][1]
    # its column in the matrix holds the ratings that stand for it: the middle of the three
    (matrix,) = tables(document, f"Ratings by Quality Marker and review: {END}")
    column = [c.text.split("\n")[0] for c in matrix.rows[0].cells].index(number)
    ratings = {r.cells[0].text: r.cells[column].text for r in matrix.rows[1:] if r.cells[0].text.startswith("QM")}
    for m in qm.rated_markers:
        assert ratings[m.id] == qm.rating(d["ratings"][m.id]).label
    assert glance(document)["Not yet moderated"].startswith("1 review with several assessments and no agreed one")


def test_stage_keeps_only_what_it_names(cli, mixed, tmp_path, qm):
    result, document = export(cli, mixed, tmp_path / "end.docx", "--stage", "end")
    assert "summary record of 3 review(s) from 7 file(s); 2 file(s) at another stage left out" in result.stdout
    for name, stage in (("child-f.yaml", "progressive"), ("child-g.yaml", "beginning")):
        assert f"left out {mixed / name}: made at stage {stage}, and only end was asked for (--stage)." in result.stderr
    block = {r.cells[0].text: r.cells[1].text for r in tables(document, "About this record")[0].rows}
    assert block["Left out for their stage"] == "child-f.yaml (made at stage progressive), child-g.yaml (made at stage beginning): only end was asked for (--stage)"
    assert block["Stage"] == "End of the review"
    # one stage left: the record as for a folder of one stage, and nothing of the others in it
    assert {"Reviews", "Quality Markers ranked"} <= set(headings(document, 1))
    body = document.element.body.xml
    for title in ("Child F", "Child G", NO_DUE["action"], FAMILY["action"]):
        assert title not in body
    summary = json_of(cli("summary", "--json", mixed, "--stage", "end", "--as-of", AS_OF.isoformat()))
    (rows,) = tables(document, "Reviews")
    assert [r.cells[1].text.split("\n")[0] for r in rows.rows[1:-1]] == [r["title"] for r in summary["sets"][0]["reviews"]]
    assert glance(document)["Actions"].startswith(f"{sum(len(r['actions']) for r in summary['sets'][0]['reviews'])} actions")

    # two stages named: two parts, and the third left out
    result, document = export(cli, mixed, tmp_path / "two.docx", "--stage", "beginning", "--stage", "END")
    assert "in 2 parts by stage" in result.stdout
    assert [h for h in headings(document, 1) if ": " in h] == ["Beginning of the review: 1 review", "End of the review: 3 reviews"]
    assert "child-f.yaml (made at stage progressive)" in {r.cells[0].text: r.cells[1].text for r in tables(document, "About this record")[0].rows}["Left out for their stage"]

    # a stage no review is at: nothing written, exit 2
    (mixed / "child-g.yaml").unlink()
    out = tmp_path / "none.docx"
    result = cli("export", mixed, "-o", out, "--stage", "beginning")
    assert result.exit_code == 2 and "Nothing was written: none of the 8 review file(s) read is at stage beginning." in result.stderr
    assert not out.exists()
    # one file at another stage: no audit record of it either
    result = cli("export", mixed / "child-f.yaml", "-o", out, "--stage", "end")
    assert result.exit_code == 2 and not out.exists()
    assert cli("export", mixed / "child-f.yaml", "-o", out, "--stage", "progressive").exit_code == 0
    assert [p.text for p in docx.Document(str(out)).paragraphs if p.style.name == "Title"] == ["Child F"]


PHONE, EMAIL, POSTCODE, NHS = "07700 900456", "j.bloggs@example.org", "SW1A 1AA", "943 476 5919"
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def test_redact_leaves_no_identifier_or_control_character_anywhere(cli, tmp_path, qm):
    d = tmp_path / "named"
    d.mkdir()
    action = {"action": f"Ring the family on {PHONE}\x07 to agree the\x1b[31m plan.", "owner": f"Health visitor {EMAIL}\x1f", "due": "2027-01-31"}
    for name, assessor in (("a", "Smith"), ("b", "Jones")):  # one review, two files: the roll-up takes its actions once
        text = review_text(qm, title=f"Child K\x07 of {POSTCODE}", assessors=(assessor,), rating=_rated(QM1="partly-met"),
                           actions=lambda m: [action] if m == "QM1" else [])
        text = text.replace("partnership: Anytown LSCB", f'partnership: "Anytown LSCB\\x1b[2J, patient {NHS}"')
        (d / f"{name}.yaml").write_text(text, encoding="utf-8")  # fmt: skip
    # the files hold the characters themselves (written as YAML escapes): check that they are read so
    readback = json_of(cli("summary", "--json", d))
    assert "\x07" in readback["sets"][0]["reviews"][0]["title"] and "\x1b" in readback["sets"][0]["reviews"][0]["partnership"]
    out = tmp_path / "named.docx"
    result = cli("export", d, "-o", out, "--redact")
    assert result.exit_code == 0, result.output
    assert "summary record of 1 review(s) from 2 file(s)" in result.stdout
    with zipfile.ZipFile(out) as z:
        parts = {n: z.read(n).decode("utf-8") for n in z.namelist() if n.endswith((".xml", ".rels"))}
    assert {"word/document.xml", "docProps/core.xml", "docProps/app.xml"} <= set(parts)
    assert any(n.startswith("word/header") for n in parts) and any(n.startswith("word/footer") for n in parts)
    for name, xml in parts.items():
        for identifier in (PHONE, "900456", EMAIL, "bloggs", POSTCODE, NHS, "4765919"):
            assert identifier not in xml, (name, identifier)
        assert not CONTROL.search(xml), name
        assert not re.search(r"&#(x0*[0-8bcef1]|x0*1[0-9a-f]|x0*7f|x0*[89][0-9a-f]);", xml, re.I), name  # nor as character references
    document = docx.Document(str(out))
    (rollup,) = tables(document, "Actions across the reviews")
    assert [(r.cells[0].text, r.cells[2].text, r.cells[3].text) for r in rollup.rows[1:]] == [
        ("1. Child K of [redacted]", "Ring the family on [redacted] to agree the[31m plan.", "Health visitor [redacted]")
    ]
    assert "Child K of [redacted]" in review_rows_single(document)
    assert document.core_properties.subject.endswith("Child K of [redacted]")
    about = {r.cells[0].text: r.cells[1].text for r in tables(document, "About this record")[0].rows}
    assert about["Partnerships"] == "Anytown LSCB[2J, patient [redacted]"


def review_rows_single(document) -> set[str]:
    (t,) = tables(document, "Reviews")
    return {r.cells[1].text.split("\n")[0] for r in t.rows[1:]}


# ------------------------------------------------------------------ as LibreOffice prints it


def page_fill(pdf: Path, tmp_path: Path) -> list[float]:
    """How far down the text area of each page its content reaches (0 to 1), images included.

    Each page is rendered in greyscale (pdftoppm) and the lowest dark pixel found between
    the top margin (2 cm) and the footer (27 cm of the 29.7 cm page).
    """
    assert PDFTOPPM is not None
    subprocess.run([PDFTOPPM, "-gray", "-r", "40", str(pdf), str(tmp_path / "fill")], check=True, timeout=120)
    out = []
    for page in sorted(tmp_path.glob("fill-*.pgm"), key=lambda p: int(p.stem.split("-")[-1])):
        data = page.read_bytes()
        header = re.match(rb"P5\s+(\d+)\s+(\d+)\s+\d+\s", data)
        assert header, page
        w, h = int(header.group(1)), int(header.group(2))
        pixels = data[header.end() :]
        top, bottom = int(h * 2.0 / 29.7), int(h * 27.0 / 29.7)
        dark = [y for y in range(top, bottom) if min(pixels[y * w : (y + 1) * w]) < 160]
        out.append((dark[-1] - top) / (bottom - top) if dark else 0.0)
    return out


@needs_soffice
@needs_pdftotext
def test_the_mixed_stage_record_as_libreoffice_prints_it(cli, mixed, tmp_path):
    _, _ = export(cli, mixed, tmp_path / "summary.docx")
    pdf = to_pdf(tmp_path / "summary.docx", tmp_path)
    pages = [" ".join(p.split()) for p in pdf_pages(pdf)]
    text = " ".join(pages)
    for stage in ("Beginning of the review: 1 review", "Progressive, while the review runs: 1 review", "End of the review: 3 reviews"):
        assert text.count(stage) >= 2  # the heading and its line in the contents (and the stages in About)
    # every page that starts a stage's chart or table says the stage in its heading
    for page in pages:
        for found in re.finditer(r"Ratings per Quality Marker(: [a-z, ]+)?", page):
            assert found.group(1), page[:200]
    assert "Overall score (end of the review):" in pages[0] and "Overall score:" not in text
    if PDFTOPPM is None:
        pytest.skip("poppler's pdftoppm is not installed: cannot measure how full each page is")
    fill = page_fill(pdf, tmp_path)
    assert len(fill) == len(pages)
    assert all(f >= 0.5 for f in fill[:-1]), fill  # no page but the last more than half empty


def test_reading_on_every_core_and_drawing_beside_the_tables_change_nothing(tmp_path, qm):
    """A summary record's files are read by worker processes and its charts drawn in a
    second one (records.chart.Drawer): what they give is what one process gives, in order,
    a refused file included, with --redact."""
    from scr_audit import export
    from scr_audit.batch import PARALLEL_THRESHOLD
    from scr_audit.checks import CheckOptions
    from scr_audit.markers import Registry
    from scr_audit.records.chart import Drawer, MarkerTally, ratings_chart

    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(PARALLEL_THRESHOLD + 4):
        text = review_text(qm, title=f"Child {i:02d}", rating=_rated(QM1="partly-met" if i % 3 else "not-met"),
                           evidence=lambda m, q, i=i: f"Minutes of {i + q} March; call 07700 900{i:03d}." if q == 1 else "Minutes.")
        (folder / f"child-{i:02d}.yaml").write_text(text, encoding="utf-8")
    (folder / "child-05.yaml").write_text("scr-audit: 1\nmarker-set: no-such-set\n", encoding="utf-8")
    files = sorted(folder.iterdir())
    registry = Registry()
    options = CheckOptions(today=AS_OF)

    def seen(inputs):
        return ([(r.path, r.name, r.review.model_dump(), r.report.findings, r.report.score, r.personal_data, r.redacted, r.mset.id)
                 for r in inputs.reviews], [str(e) for e in inputs.refused], inputs.redacted)

    alone = export.load(files, registry, redact=True, options=options, jobs=1)
    together = export.load(files, registry, redact=True, options=options, jobs=2)
    assert seen(together) == seen(alone)
    assert len(alone.refused) == 1 and alone.redacted >= PARALLEL_THRESHOLD

    tallies = [MarkerTally(m.id, m.title, {"met": i % 4, "not-met": 1}, 2) for i, m in enumerate(qm.rated_markers)]
    with Drawer.start() as drawer:
        first = drawer.submit([(qm, tallies[:9], 7, "")])
        second = drawer.submit([(qm, tallies[9:], 7, "end of the review")])
        drawn = [drawer.chart(second[0]), drawer.chart(first[0])]
    assert (first, second) == ([0], [1])
    assert drawn[0] == ratings_chart(qm, tallies[9:], 7, where="end of the review")
    assert drawn[1] == ratings_chart(qm, tallies[:9], 7)
    here = Drawer()  # no process (one core, no fork): drawn here, the same
    assert here.chart(here.submit([(qm, tallies[:9], 7, "")])[0]) == drawn[1]


def test_a_drawing_process_that_dies_leaves_the_charts_to_this_one(qm):
    """The record never waits on, or loses a chart to, a drawing process that is gone."""
    from scr_audit.records.chart import Drawer, MarkerTally, ratings_chart

    tallies = [MarkerTally(m.id, m.title, {"met": 1}, 0) for m in qm.rated_markers]
    with Drawer.start() as drawer:
        if drawer._process is None:
            pytest.skip("this machine has one core or no fork: charts are always drawn here")
        drawer._process.kill()
        drawer._process.join()
        index = drawer.submit([(qm, tallies, 1, "")])[0]
        assert drawer.chart(index) == ratings_chart(qm, tallies, 1)
