"""The three Word records as a Board meets them: read back with python-docx, and opened by
LibreOffice and read again from its PDF with pdftotext (where those are installed).

What a Board needs of a paper it tables unedited: page 1 holds the conclusion, every
marker that falls short, what the Board is asked to do and the overdue actions; no table
row breaks across pages; every table says what it is; headings are real headings; no page
is left nearly empty; the ratings read in black and white; the summary has a chart with
alt text and ranks the markers; the moderation record lists the points to settle first.
"""

from __future__ import annotations

import random
import re
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from readers import PDFTOTEXT, needs_pdftotext, needs_soffice, pdf_pages, to_pdf

from conftest import review_text
from scr_audit.markers import Registry
from scr_audit.records.findings import plain
from scr_audit.results import Finding

AS_OF = date(2027, 2, 15)
DUES = [date(2026, 10, 31), date(2027, 1, 31), date(2027, 4, 30), date(2027, 7, 31), None]
OWNERS = ["LSCB business manager", "Chair of the panel", "Designated nurse", None]
ASKED = ["Note this assessment against the Quality Markers.", "Agree the action plan and ask the subgroup to report on QM17 in March."]
SUMMARY = "The review was commissioned promptly and well run, but the family's view was sought late and publication slipped by six months."
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"


def generated(mset, *, seed: int, title: str, short: int = 5) -> str:
    """A complete review at stage end: `short` markers fall short, each with actions due on
    dates either side of AS_OF; a conclusion with what the Board is asked to do."""
    rng = random.Random(seed)
    falling = set(rng.sample([m.id for m in mset.rated_markers], short))
    ratings = {m: ("not-met" if i % 3 == 0 else "partly-met") for i, m in enumerate(sorted(falling))}
    plan: dict[str, list[dict]] = {}
    for i, m in enumerate(sorted(falling)):
        due = DUES[i % len(DUES)]
        action = {"action": f"Agree how the Board will know that the {m} changes made a difference, and report back.", "status": "open"}
        if OWNERS[i % len(OWNERS)]:
            action["owner"] = OWNERS[i % len(OWNERS)]
        if due:
            action["due"] = due.isoformat()
        plan[m] = [action]

    def answer(m: str, q: int) -> str:
        return ("no" if q == 1 else "partly") if m in falling else "yes"

    text = review_text(
        mset,
        title=title,
        answer=answer,
        rating=lambda m: ratings.get(m, "met"),
        actions=lambda m: plan.get(m, []),
        conclusion=SUMMARY,
    )
    text = text.replace('    rationale: "Rationale for ', '    rationale: "The panel judged this from the minutes and the report. More on ')
    return text + "  board-asked-to:\n" + "".join(f"    - {a}\n" for a in ASKED) + "  strengths: [Clear terms of reference]\n"


@pytest.fixture(scope="module")
def qm():
    return Registry().get("scr-quality-markers")


@pytest.fixture(scope="module")
def records(tmp_path_factory, qm):
    """The three records of generated reviews, written once for the module through the CLI."""
    from click.testing import CliRunner

    from scr_audit.cli import main

    base = tmp_path_factory.mktemp("records")
    review = base / "child-q.yaml"
    review.write_text(generated(qm, seed=11, title="Child Q"), encoding="utf-8")
    folder = base / "reviews"
    folder.mkdir()
    for n in range(6):
        (folder / f"r{n}.yaml").write_text(generated(qm, seed=n, title=f"Child {chr(65 + n)}", short=3 + n % 4), encoding="utf-8")
    smith = base / "smith.yaml"
    jones = base / "jones.yaml"
    smith.write_text(review_text(qm, assessors=("A. Smith",), rating=lambda m: {"QM2": "met", "QM5": "met"}.get(m, "met"),
                                 answer=lambda m, q: "no" if (m, q) == ("QM4", 2) else "yes",
                                 evidence=lambda m, q: "Panel minutes of 3 March." if (m, q) == ("QM4", 2) else f"Evidence {m} {q}"), encoding="utf-8")
    jones.write_text(review_text(qm, assessors=("B. Jones",), rating=lambda m: {"QM2": "partly-met", "QM5": "not-met"}.get(m, "met"),
                                 evidence=lambda m, q: "panel minutes of 3  March." if (m, q) == ("QM4", 2) else f"Evidence {m} {q}"), encoding="utf-8")
    runner = CliRunner()
    out = {"audit": base / "audit.docx", "summary": base / "summary.docx", "moderation": base / "moderation.docx"}
    cover = ["--meeting", "Anytown Safeguarding Children Partnership Board", "--meeting-date", "2027-03-10",
             "--agenda-item", "7", "--author", "LSCB business manager", "--purpose", "decision"]
    results = {
        "audit": runner.invoke(main, ["export", str(review), "-o", str(out["audit"]), "--as-of", AS_OF.isoformat(), *cover]),
        "summary": runner.invoke(main, ["export", str(folder), "-o", str(out["summary"]), "--as-of", AS_OF.isoformat()]),
        "moderation": runner.invoke(main, ["compare", str(smith), str(jones), "-o", str(out["moderation"])]),
    }
    for kind, result in results.items():
        assert out[kind].is_file(), (kind, result.output)
    return {"paths": out, "results": results, "review": review, "base": base}


@pytest.fixture(scope="module")
def pdfs(records, tmp_path_factory):
    """Each record converted by LibreOffice and read back page by page (None without the tools)."""
    from readers import SOFFICE

    if SOFFICE is None or PDFTOTEXT is None:
        return None
    out = {}
    for kind, path in records["paths"].items():
        pdf = to_pdf(path, tmp_path_factory.mktemp(f"pdf-{kind}"))
        raw = subprocess.run([PDFTOTEXT, "-raw", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split("\f")
        out[kind] = {"layout": pdf_pages(pdf), "raw": [" ".join(p.split()) for p in raw if p.strip()]}
    return out


def _xml(path: Path, part: str = "word/document.xml") -> str:
    with zipfile.ZipFile(path) as z:
        return z.read(part).decode("utf-8")


def _all_records(records):
    return [(kind, docx.Document(str(p))) for kind, p in records["paths"].items()]


def _falling_short(qm, text: str):
    from scr_audit.review import read_review

    review = read_review(Path("x.yaml"), text=text).review
    return [m for m in qm.rated_markers if review.entry(m.id).rating in ("not-met", "partly-met")], review


# ------------------------------------------------------------------------------ page 1


@needs_soffice
@needs_pdftotext
def test_audit_record_page_1_holds_what_the_board_must_read(records, pdfs, qm):
    page1 = pdfs["audit"]["raw"][0]
    assert "Executive summary" in page1
    assert " ".join(SUMMARY.split()) in page1
    short, review = _falling_short(qm, records["review"].read_text(encoding="utf-8"))
    assert len(short) == 5
    for m in short:
        assert f"{m.id} {m.title}" in page1 or (m.id in page1 and m.title in page1), m.id
    assert "The Board is asked to" in page1
    for a in ASKED:
        assert a in page1
    # every overdue action, with how many days, on page 1
    overdue = [(m.id, a) for m in qm.markers for a in review.entry(m.id).actions if a.due and a.due < AS_OF and a.status != "done"]
    assert overdue
    layout1 = pdfs["audit"]["layout"][0]
    for marker_id, a in overdue:
        days = (AS_OF - a.due).days
        assert re.search(rf"\b{marker_id}\b.*\b{days} days\b", layout1), (marker_id, days)
    # the cover sheet from the options, and the open findings counted
    for line in ("Meeting: Anytown Safeguarding Children Partnership Board", "Date of meeting: 10 March 2027", "Agenda item: 7",
                 "Author: LSCB business manager", "Purpose: For decision"):
        assert line in page1
    assert "Open findings:" in page1 and "Appendix A" in page1
    assert "Contents" not in page1  # the contents list starts page 2


def test_cover_lines_are_left_out_when_not_given(cli, write_review, tmp_path):
    out = tmp_path / "r.docx"
    assert cli("export", write_review(), "-o", out).exit_code == 0
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs[:12])
    for label in ("Meeting:", "Date of meeting:", "Agenda item:", "Author:", "Purpose:"):
        assert label not in text
    assert "Review: Child D, Anytown LSCB" in text


def test_cover_options_are_checked(cli, write_review, tmp_path):
    path = write_review()
    bad = cli("export", path, "-o", tmp_path / "r.docx", "--purpose", "approval")
    assert bad.exit_code == 2 and "decision" in bad.output
    empty = cli("export", path, "-o", tmp_path / "r.docx", "--meeting", "  ")
    assert empty.exit_code == 2 and "--meeting" in empty.output
    date_ = cli("export", path, "-o", tmp_path / "r.docx", "--meeting-date", "10/03/2027")
    assert date_.exit_code == 2
    assert not (tmp_path / "r.docx").exists()


@needs_soffice
@needs_pdftotext
def test_a_review_with_much_falling_short_still_fits_page_1(cli, qm, tmp_path):
    """Twelve markers short, twelve actions overdue: page 1 shortens texts at a word to keep them all."""
    path = tmp_path / "much.yaml"
    text = generated(qm, seed=3, title="Child M", short=12).replace("due: 2027-04-30", "due: 2027-01-30").replace("due: 2027-07-31", "due: 2026-12-31")
    path.write_text(text, encoding="utf-8")
    out = tmp_path / "much.docx"
    assert cli("export", path, "-o", out, "--as-of", "2027-12-31").exit_code == 0
    pages = pdf_pages(to_pdf(out, tmp_path))
    raw1 = " ".join(pages[0].split())
    short, _ = _falling_short(qm, text)
    for m in short:
        assert m.id in raw1
    assert "Contents" not in pages[0] and "Contents" in pages[1]
    assert sum(1 for line in pages[1].splitlines() if line.strip()) >= 12  # page 1 did not spill over
    assert "…" not in pages[0].split("Why")[0]  # only the table texts are ever shortened


# ------------------------------------------------------------------- tables and structure


def test_every_table_row_is_kept_on_one_page(records):
    for kind, path in records["paths"].items():
        xml = _xml(path)
        rows = re.findall(r"<w:tr[ >].*?</w:tr>", xml, re.S)
        assert rows, kind
        assert all("<w:cantSplit/>" in r for r in rows), kind


def test_every_table_has_a_caption_and_description_and_a_repeating_header(records):
    for kind, document in _all_records(records):
        for t in document.tables:
            pr = t._tbl.tblPr
            caption, description = pr.find(qn("w:tblCaption")), pr.find(qn("w:tblDescription"))
            assert caption is not None and caption.get(qn("w:val")).strip(), kind
            assert description is not None and len(description.get(qn("w:val"))) > 20, (kind, caption.get(qn("w:val")))
            if len(t.rows) > 2:  # more than one row of data: a header row that repeats
                assert t.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None, (kind, caption.get(qn("w:val")))


def test_no_bold_normal_paragraph_stands_in_for_a_heading_and_levels_run_in_order(records):
    for kind, document in _all_records(records):
        body = [p for p in document.paragraphs]
        for p in body:
            runs = [r for r in p.runs if r.text.strip()]
            if p.style.name == "Normal" and runs:
                assert not all(r.bold for r in runs), (kind, p.text)
        levels = [0 if p.style.name == "Title" else int(p.style.name.split()[-1]) for p in body if p.style.name == "Title" or p.style.name.startswith("Heading ")]
        assert levels[0] == 0
        for before, after in zip(levels, levels[1:]):
            assert after <= before + 1, (kind, levels)
        assert max(levels) <= 3


@needs_soffice
@needs_pdftotext
def test_no_page_but_the_last_is_nearly_empty(pdfs):
    for kind, pages in pdfs.items():
        counts = [sum(1 for line in p.splitlines() if line.strip()) for p in pages["layout"]]
        assert all(n >= 12 for n in counts[:-1]), (kind, counts)


def test_the_language_is_en_gb_throughout(records):
    for kind, path in records["paths"].items():
        langs = set(re.findall(r'<w:lang w:val="([^"]+)"', _xml(path, "word/styles.xml") + _xml(path)))
        assert langs == {"en-GB"}, (kind, langs)
        assert docx.Document(str(path)).core_properties.language == "en-GB"


def test_rating_fills_differ_in_greyscale_in_every_bundled_set():
    def luminance(hex_: str) -> float:
        c = [int(hex_[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        c = [x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4 for x in c]
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]

    registry = Registry()
    for set_id in ("scr-quality-markers", "scr-report-quality"):
        scored = [r for r in registry.get(set_id).header.rating_scale if r.score is not None]
        assert len(scored) == 3
        values = [luminance(r.fill) for r in scored]
        for i, a in enumerate(values):
            for b in values[i + 1 :]:
                assert abs(a - b) >= 0.10, (set_id, values)


def test_rating_cells_carry_their_word_on_their_fill(records, qm):
    document = docx.Document(str(records["paths"]["audit"]))
    fills = {r.fill.upper(): r.label for r in qm.header.rating_scale}
    seen = 0
    for tc in document.element.body.iter(qn("w:tc")):
        shd = tc.find(f"{qn('w:tcPr')}/{qn('w:shd')}")
        if shd is not None and shd.get(qn("w:fill")) in fills:
            text = "".join(t.text or "" for t in tc.iter(qn("w:t")))
            assert fills[shd.get(qn("w:fill"))] == text or text.isdigit() or text in fills.values()
            seen += 1
    assert seen > 18


def test_statements_are_quoted_with_their_page_and_guidance_is_the_standards(cli, qm, tmp_path, write_review):
    out = tmp_path / "g.docx"
    assert cli("export", write_review(), "-o", out, "--include-guidance").exit_code == 0
    document = docx.Document(str(out))
    text = [p.text for p in document.paragraphs]
    qm4 = qm.marker("QM4")
    assert f"Quality statement: “{qm4.statement}” (SCIE & NSPCC 2016, p. {qm4.page})" in text
    h3 = [p.text for p in document.paragraphs if p.style.name == "Heading 3"]
    assert f"The standard's rationale (SCIE & NSPCC 2016, p. {qm4.page})" in h3
    assert "Rationale" not in text and "Rationale and the assessor's rationale" not in h3
    assert "Rating and the assessor's rationale" in h3


def test_an_unconfirmed_suggestion_is_labelled_not_shown_as_the_assessors_answer(cli, write_review, tmp_path):
    path = write_review()
    text = path.read_text(encoding="utf-8").replace(
        '      1: {answer: yes, evidence: "Evidence for QM4 question 1: minutes of the panel meeting."}',
        '      1: {answer: yes, evidence: "Report, p 4.", suggested-by: scan}',
    )
    assert "suggested-by: scan" in text
    path.write_text(text, encoding="utf-8")
    out = tmp_path / "s.docx"
    cli("export", path, "-o", out)
    document = docx.Document(str(out))
    table = next(t for t in document.tables if t._tbl.tblPr.find(qn("w:tblCaption")).get(qn("w:val")) == "QM4 questions and answers")
    assert table.rows[1].cells[2].text == "Yes (suggested by scan, not confirmed)"


# ---------------------------------------------------------------------- the action plan


def test_action_plan_is_one_table_overdue_first_as_at_a_date(records, qm):
    document = docx.Document(str(records["paths"]["audit"]))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert "Action plan as at 15 February 2027" in headings
    assert "actions as at 15 February 2027" in document.sections[0].footer.paragraphs[1].text
    plan = next(t for t in document.tables if t._tbl.tblPr.find(qn("w:tblCaption")).get(qn("w:val")).startswith("Action plan"))
    rows = [[c.text for c in r.cells] for r in plan.rows]
    assert rows[0] == ["Quality Marker", "Action", "Owner", "Due", "Status"]
    statuses = [r[4] for r in rows[1:]]
    overdue = [s for s in statuses if s.startswith("Overdue by ")]
    assert overdue and statuses[: len(overdue)] == overdue  # overdue first
    days = [int(s.split()[2]) for s in overdue]
    assert days == sorted(days, reverse=True)  # the most overdue first
    # the rest by due date, then those with none
    rest = [r[3] for r in rows[1 + len(overdue) :]]
    assert rest[-1] == "No due date set"
    assert "No owner named" in [r[2] for r in rows[1:]]
    for r, tr in zip(rows[1:], plan.rows[1:]):
        if r[4].startswith("Overdue"):
            assert tr.cells[4].paragraphs[0].runs[0].bold
            assert tr.cells[1]._tc.tcPr.find(qn("w:shd")) is not None
    owners = next(t for t in document.tables if t._tbl.tblPr.find(qn("w:tblCaption")).get(qn("w:val")) == "Actions per owner")
    by_owner = {r.cells[0].text: [c.text for c in r.cells[1:]] for r in owners.rows[1:]}
    assert by_owner["All owners"][0] == str(len(rows) - 1)
    assert sum(int(v[0]) for k, v in by_owner.items() if k != "All owners") == len(rows) - 1


def test_sign_off_has_separate_columns_and_a_row_for_the_boards_decision(records):
    for kind, document in _all_records(records):
        caps = {t._tbl.tblPr.find(qn("w:tblCaption")).get(qn("w:val")): t for t in document.tables}
        signatures = [t for c, t in caps.items() if c in ("Assessed by", "Prepared by", "Panel sign-off")]
        assert signatures, kind
        assert [c.text for c in signatures[0].rows[0].cells][1:] == ["Role", "Signature", "Date"]
        decision = caps["The Board's decision"]
        assert [c.text for c in decision.rows[0].cells] == ["The Board's decision", "Date of decision"]


# ------------------------------------------------------------------------- open findings


def _finding(rule: str, message: str, severity: str = "warning") -> Finding:
    return Finding("x.yaml", 3, 5, severity, rule, message)


@pytest.mark.parametrize(
    "rule, message, words",
    [
        ("missing-evidence", "QM4 question 2: 'partly' without evidence (What is missing, and where is the evidence for what is there?)",
         "QM4 question 2 is answered “Partly” but has no evidence."),
        ("missing-evidence", "QM4 question 2: 'not-applicable' without a reason (Why does this question not apply to this review?)",
         "QM4 question 2 is answered “Not applicable” with no reason given."),
        ("unanswered-question", "QM4 question 2 is not answered: Is the standard correspondence that is used for family members about…",
         "QM4 question 2 has no answer."),
        ("unanswered-question", "QM4: 3 of 4 questions not answered yet (1, 2, 4)", "QM4 has 3 of its 4 questions still to answer (questions 1, 2 and 4)."),
        ("unrated-marker", "QM4 (Informing the family) is not rated", "QM4 Informing the family is not rated."),
        ("rating-contradicts-answers", "QM1 is rated met but its answers suggest not-met (mean answer score 0.00 over 3 answers); revisit the rating, or explain the judgement in rationale",
         "QM1 is rated Met, but its answers suggest Not met."),
        ("missing-action", "QM2 is rated partly-met but has no improvement action; add one under actions", "QM2 is rated Partly met but has no improvement action."),
        ("vague-action", "QM2 action 1 has no owner and no due date: Agree a written protocol with every agency, and check it is use…",
         "QM2 action 1 has no owner and no due date."),
        ("overdue-action", "QM2 action 1 was due 2027-01-31 and is in-progress: Agree a written protocol with every agency, and chec…",
         "QM2 action 1 was due on 31 January 2027 and is still in progress."),
        ("slow-review", "8.6 months from decision (2025-01-10) to completed (2025-09-30), over the 6-month expectation, and no delay-reasons recorded; say why under review: delay-reasons",
         "The review took 8.6 months from decision (10 January 2025) to completed (30 September 2025), over the 6-month expectation, and no reasons for the delay are recorded."),
        ("date-order", "published (2025-01-01) is before completed (2025-09-30); the order is incident, referral, decision, completed, published",
         "The published date (1 January 2025) is before the completed date (30 September 2025)."),
        ("personal-data", "QM2 question 1 evidence: looks like a UK phone number ([redacted]); remove or anonymise it",
         "QM2 question 1 evidence holds what looks like a UK phone number ([redacted]); anonymise it, or export with --redact."),
        ("missing-conclusion", "no conclusion: add conclusion: summary: with the overall judgement of how the review was run, for page 1 of the audit record",
         "The review file has no conclusion: the assessor's overall judgement that opens this record."),
        ("unconfirmed-suggestion", "QM4 question 1: the answer 'yes' was suggested by scan and is not yet confirmed by an assessor",
         "QM4 question 1 has an answer suggested by scan that no assessor has confirmed yet."),
        ("marker-set-version", "made against version '2015' of scr-quality-markers, but the set is now version '2016'; check the answers still match the questions, then update marker-set-version",
         "The review file was made against version 2015 of the Serious Case Review Quality Markers; the set is now version 2016."),
        ("some-new-rule", "QM3 something new happened: with a quoted bit cut short…; how to fix it", "QM3 something new happened."),
    ],
)
def test_findings_are_said_in_plain_words_never_cut_off(qm, rule, message, words):
    found = plain(_finding(rule, message), qm)
    assert found.text == words
    assert "…" not in found.text and "..." not in found.text and "line" not in found.text


def test_the_findings_appendix_has_no_line_numbers(cli, write_review, tmp_path):
    path = write_review(answer=lambda m, q: "partly" if (m, q) == ("QM4", 2) else "yes", evidence=lambda m, q: None if (m, q) == ("QM4", 2) else "Minutes.")
    out = tmp_path / "f.docx"
    cli("export", path, "-o", out)
    document = docx.Document(str(out))
    table = next(t for t in document.tables if t._tbl.tblPr.find(qn("w:tblCaption")).get(qn("w:val")) == "Open findings")
    rows = [[c.text for c in r.cells] for r in table.rows]
    assert rows[0] == ["Severity", "What is wrong", "Rule"]
    assert ["Warning", "QM4 question 2 is answered “Partly” but has no evidence.", "missing-evidence"] in rows
    assert not any("…" in r[1] or re.search(r"\bline\b|:\d+:", r[1]) for r in rows)
    cover = " ".join(p.text for p in document.paragraphs[:20])
    assert "Open findings: scr-audit check still reports 1 warning" in cover


# ------------------------------------------------------------------------- summary record


def test_summary_record_has_a_chart_with_alt_text_and_ranks_the_markers(records, qm):
    document = docx.Document(str(records["paths"]["summary"]))
    pictures = list(document.element.body.iter(f"{WP}docPr"))
    assert len(pictures) == 1
    alt = pictures[0].get("descr")
    assert alt.startswith("Horizontal stacked bar chart") and "of the 6 reviews" in alt
    for m in qm.rated_markers:
        assert re.search(rf"{m.id} {re.escape(m.title)}: \d+ met, \d+ partly met, \d+ not met, \d+ not applicable, \d+ not rated\.", alt)
    assert pictures[0].get("title") == "Ratings of each Quality Marker across 6 reviews"
    ranked = next(t for t in document.tables if t._tbl.tblPr.find(qn("w:tblCaption")).get(qn("w:val")) == "Quality Markers ranked")
    shares = [int(r.cells[-1].text.split("%")[0]) for r in ranked.rows[1:]]
    assert len(shares) == 18 and shares == sorted(shares, reverse=True) and shares[0] > 0
    assert [c.text for c in ranked.rows[0].cells][:5] == ["Rank", "ID", "Quality Marker", "Partly met", "Not met"]
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert "Quality Markers ranked" in headings and "Actions across the reviews as at 15 February 2027" in headings
    assert "TOC \\o" in document.element.body.xml  # a contents list


def test_summary_counts_each_review_once_and_flags_errors_and_personal_data(cli, write_review, qm, tmp_path):
    d = tmp_path / "folder"
    d.mkdir()
    write_review("folder/smith.yaml", title="Child D", assessors=("A. Smith",), rating=lambda m: "partly-met" if m == "QM1" else "met",
                 actions=lambda m: [{"action": "Brief the panel.", "owner": "Chair", "due": "2027-01-31"}] if m == "QM1" else [])
    agreed = write_review("folder/agreed.yaml", title="Child D", assessors=("A. Smith", "B. Jones"), rating=lambda m: "not-met" if m == "QM1" else "met",
                          actions=lambda m: [{"action": "Brief the panel.", "owner": "Chair", "due": "2027-01-31"}] if m == "QM1" else [])
    agreed.write_text(agreed.read_text(encoding="utf-8").replace("  stage: end\n", "  stage: end\n  assessment: agreed\n"), encoding="utf-8")
    write_review("folder/e.yaml", title="Child E", evidence=lambda m, q: "Mum on 07700 900123." if (m, q) == ("QM2", 1) else "Minutes.",
                 answer=lambda m, q: None if (m, q) == ("QM3", 1) else "yes")
    out = tmp_path / "s.docx"
    result = cli("export", d, "-o", out, "--as-of", "2027-03-01")
    assert result.exit_code == 1  # an error still open, personal data repeated
    assert "summary record of 2 review(s) from 3 file(s)" in result.stdout
    document = docx.Document(str(out))
    assert [p.text for p in document.paragraphs if p.style.name == "Title"] == ["Summary of 2 reviews"]
    reviews = next(t for t in document.tables if t._tbl.tblPr.find(qn("w:tblCaption")).get(qn("w:val")) == "Reviews")
    rows = {r.cells[1].text.split("\n")[0]: [c.text for c in r.cells] for r in reviews.rows[1:]}
    assert set(rows) == {"Child D", "Child E", "Overall score of the 2 reviews"}
    assert "2 files: agreed (moderated)" in rows["Child D"][1]
    assert rows["Child E"][6] == "1 error open; personal data (1)"
    assert rows["Child D"][6] == "none"
    # the agreed file's rating stands: QM1 not met, not the individual's partly met
    matrix = next(t for t in document.tables if t._tbl.tblPr.find(qn("w:tblCaption")).get(qn("w:val")).startswith("Ratings by Quality Marker and review"))
    qm1 = next(r for r in matrix.rows if r.cells[0].text == "QM1")
    assert qm1.cells[1].text == "Not met"
    # the action both files hold is listed once
    rollup = next(t for t in document.tables if t._tbl.tblPr.find(qn("w:tblCaption")).get(qn("w:val")).startswith("Actions across"))
    assert [r.cells[2].text for r in rollup.rows[1:]] == ["Brief the panel."]
    assert rollup.rows[1].cells[5].text.startswith("Overdue by 29 days")


def test_matplotlib_is_imported_only_to_draw_a_chart(tmp_path, write_review):
    path = write_review()
    probe = (
        "import sys\nfrom scr_audit.cli import main\n"
        f"try:\n    main(['export', {str(path)!r}, '-o', {str(tmp_path / 'a.docx')!r}])\n"
        "except SystemExit:\n    pass\nprint('matplotlib' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip().splitlines()[-1] == "False"
    help_probe = "import sys\nfrom scr_audit.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass\nprint(sorted(m for m in ('docx', 'matplotlib') if m in sys.modules))\n"
    result = subprocess.run([sys.executable, "-c", help_probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip().splitlines()[-1] == "[]"


# ---------------------------------------------------------------------- moderation record


@needs_soffice
@needs_pdftotext
def test_moderation_record_lists_the_points_to_settle_on_page_1(pdfs):
    page1 = pdfs["moderation"]["raw"][0]
    assert "Points to settle" in page1
    assert "3 points to settle: ratings on 2 Quality Markers and answers on 1 question" in page1
    assert re.search(r"1\. QM2 Decision-making: the rating \(A\. Smith: Met; B\. Jones: Partly met\)", page1)
    assert re.search(r"2\. QM4 question 2: the answer \(A\. Smith: No; B\. Jones: Yes\); the same evidence is cited for different answers", page1)
    assert re.search(r"3\. QM5 Clarity of purpose: the rating", page1)


def test_moderation_outcome_forms_print_the_options_and_keep_together(records, qm):
    document = docx.Document(str(records["paths"]["moderation"]))
    forms = [t for t in document.tables if t._tbl.tblPr.find(qn("w:tblCaption")).get(qn("w:val")).startswith("Agreed outcome for")]
    assert len(forms) == 3
    rows = {r.cells[0].text: r.cells[1].text for r in forms[0].rows}
    assert rows["Agreed rating (point 1)"] == "   ".join(f"☐ {r.label}" for r in qm.header.rating_scale)
    answer_form = {r.cells[0].text: r.cells[1].text for r in forms[1].rows}
    assert answer_form["Agreed answer to question 2 (point 2)"] == "☐ Yes   ☐ Partly   ☐ No   ☐ Not applicable"
    for form in forms:  # each row kept with the next: the form stays on one page
        for row in form.rows[:-1]:
            assert all(p.paragraph_format.keep_with_next for c in row.cells for p in c.paragraphs)
    notes = [p.text for p in document.paragraphs if "cite the same evidence but answer differently" in p.text]
    assert notes == ["A. Smith and B. Jones cite the same evidence but answer differently (A. Smith No, B. Jones Yes): the panel may need to agree what that evidence shows."]


def test_page_1_keeps_the_reasons_readable_before_listing_actions_not_yet_due(cli, tmp_path):
    """Child D at 31 January 2027: nine markers fall short, no action is overdue yet.

    A reason cut to a few words ("Well organised and transparent about…") tells the Board
    nothing, while every action not yet due is in the action plan: so page 1 keeps each
    reason to at least 80 characters (whole, when the first sentence is shorter) and lists
    what actions still fit, rather than five actions under reasons of forty characters.
    """
    from scr_audit.records.style import first_sentence
    from scr_audit.review import read_review

    example = Path(__file__).resolve().parent.parent / "examples" / "reviews" / "child-d-end.yaml"
    out = tmp_path / "d.docx"
    assert cli("export", example, "-o", out, "--as-of", "2027-01-31").exit_code == 0
    review = read_review(example).review
    short, key = docx.Document(str(out)).tables[:2]
    assert short.rows[0].cells[3].text.startswith("Why")
    for row in short.rows[1:]:
        marker_id, why = row.cells[0].text, row.cells[3].text
        whole = first_sentence(review.entry(marker_id).rationale)
        if why != whole:
            assert why.endswith("…") and len(why) >= 70 and whole.startswith(why[:-1].rstrip()), (marker_id, why)
    assert key.rows[0].cells[1].text == "Action" and len(key.rows) >= 2  # at least one key action listed
