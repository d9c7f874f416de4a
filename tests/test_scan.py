"""`scr-audit scan`: reports in many layouts, as .docx and as the PDF LibreOffice makes of
them, scanned from the command line; the review file written read back as `check` reads it.

What scan should find is known from how each report was built (`reportgen`) and, for the
pages of a PDF, from pdftotext, which shares no code with scr-audit. Where LibreOffice or
pdftotext is missing, the PDF half is skipped with the reason.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from lsp_client import LanguageServer, missing_reason, server_command
from readers import PDFTOTEXT, SOFFICE, convert_all, needs_pdftotext, needs_soffice, pdf_pages
from reportgen import RECS, Spec, build

from scr_audit.cli import main
from scr_audit.documents import read_document
from scr_audit.markers import Registry
from scr_audit.review import answer_for, read_review
from scr_audit.scan import scan

#: name -> (layout, method the report names)
LAYOUTS: dict[str, Spec] = {
    "styled-numbered-list": Spec(),
    "bold-headings-manual-numbers-no-contents": Spec(headings="bold", recs="manual", contents="none"),
    "capitals-recommendation-n-annex": Spec(headings="caps", recs="recommendation-n", appendices="annex"),
    "plain-numbered-headings-bullets-glossary": Spec(headings="numbered", recs="bullets", contents="plain", glossary="lines"),
    "table-with-recommendation-column": Spec(recs="table", appendices="appendices", glossary="table"),
    "table-without-number-column": Spec(recs="table-plain", n_recs=6, headings="numbered", contents="plain"),
    "sub-numbered-across-pages-no-breaks": Spec(recs="subnumbered", n_recs=9, split_recs=True, breaks="none"),
    "every-page-broken": Spec(breaks="every-page", n_recs=5),
    "summary-lists-them-too": Spec(recs_in_summary=True, n_recs=6),
    "no-running-headers-contents-field": Spec(header_footer=False, recs="manual", contents="field", breaks="none", n_recs=11),
    "no-recommendations-no-appendices": Spec(recs="none", appendices="none", method=None),
    "long-table-over-a-page": Spec(recs="table", n_recs=12, split_recs=True),
    "grouped-with-points-under-each": Spec(rec_groups=True, rec_subpoints=True, rec_intro=True, n_recs=8, subheadings=True),
    "bold-grouped-manual-with-letters": Spec(headings="bold", recs="manual", rec_groups=True, rec_subpoints=True, n_recs=6, subheadings=True),
    "recommendation-n-as-headings": Spec(recs="heading-n", n_recs=5, subheadings=True),
    "lettered": Spec(recs="letters", n_recs=6, headings="caps", appendices="appendices"),
    "bullets-with-sub-bullets": Spec(recs="bullets", rec_subpoints=True, rec_intro=True, n_recs=7, headings="numbered", subheadings=True),
    "every-page-table-glossary-appendix": Spec(recs="table", breaks="every-page", n_recs=4, contents="none", glossary="appendix"),
    "plain-paragraphs-conclusions-and-recommendations": Spec(recs="plain", n_recs=6, rec_heading="Conclusions and recommendations", rec_intro=True),
    "bold-plain-paragraphs-no-contents": Spec(recs="plain", n_recs=5, headings="bold", contents="none", appendices="annex"),
    "one-under-each-finding": Spec(recs="per-finding", n_recs=4),
    "contents-without-page-numbers": Spec(contents="titles", headings="bold", recs="manual"),
    "contents-as-a-table": Spec(contents="table", recs="bullets", appendices="annex"),
    "every-paragraph-numbered": Spec(numbered_paragraphs=True, recs="subnumbered", rec_intro=True, n_recs=8, headings="bold"),
    "bold-one-under-each-finding": Spec(recs="per-finding", n_recs=5, headings="bold"),
}


def expected_recs(spec: Spec) -> int:
    return 0 if spec.recs == "none" else spec.n_recs


@pytest.fixture(scope="module")
def reports(tmp_path_factory):  # type: ignore[no-untyped-def]
    """Every layout built as .docx and, where LibreOffice is installed, converted to PDF."""
    tmp = tmp_path_factory.mktemp("reports")
    built = {name: build(tmp / f"{name}.docx", spec) for name, spec in LAYOUTS.items()}
    pdfs: dict[str, Path] = {}
    if SOFFICE is not None:
        pdfs = dict(zip(built, convert_all([b.path for b in built.values()], tmp)))
    return built, pdfs


def run(*args: Any) -> Any:
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False, env={"NO_COLOR": "1", "COLUMNS": "100"})


def scan_to(report: Path, out: Path, *extra: Any) -> Any:
    result = run("scan", report, "-o", out, "--assessed-on", "2026-11-22", *extra)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    return read_review(out)


def answer(read: Any, marker: str, number: int) -> Any:
    return answer_for(read.review.entry(marker), number)[1]


def pdf_truth(pdf: Path) -> tuple[int, int]:
    """(pages, pages of appendices) as pdftotext sees the PDF."""
    pages = pdf_pages(pdf)
    first = None
    for i, text in enumerate(pages, 1):
        if re.search(r"^\s*contents\s*$", text, re.IGNORECASE | re.MULTILINE):
            continue
        if re.search(r"^\s*(appendix a\b|annex 1\b|appendices\s*$)", text, re.IGNORECASE | re.MULTILINE):
            first = i
            break
    return len(pages), (len(pages) - first + 1 if first else 0)


def every_answer_cites_a_page_and_is_marked(read: Any) -> None:
    assert read.findings == []
    written = 0
    for m, entry in read.review.markers.items():
        for number, ans in (entry.answers if entry else {}).items():
            if ans is None or not (ans.has_value or ans.has_evidence):
                continue
            written += 1
            assert ans.suggested_by == "scan", (m, number)
            assert re.search(r"\bpp?\. \d", ans.evidence or ""), (m, number, ans.evidence)
    assert written >= 8


# -------------------------------------------------------------------- the layouts


@needs_soffice
@needs_pdftotext
@pytest.mark.parametrize("name", list(LAYOUTS))
def test_pdf_layouts(reports, tmp_path, name):
    built, pdfs = reports
    spec = LAYOUTS[name]
    read = scan_to(pdfs[name], tmp_path / "review.yaml")
    pages, appendix_pages = pdf_truth(pdfs[name])
    assert answer(read, "RQ2", 2).answer == pages
    assert abs(answer(read, "RQ2", 3).answer - appendix_pages) <= 1
    assert answer(read, "RQ2", 1).answer == ("no" if spec.contents == "none" else "yes")
    assert answer(read, "RQ8", 1).answer == expected_recs(spec)
    every_answer_cites_a_page_and_is_marked(read)


@pytest.mark.parametrize("name", list(LAYOUTS))
def test_docx_layouts(reports, tmp_path, name):
    built, pdfs = reports
    spec = LAYOUTS[name]
    b = built[name]
    read = scan_to(b.path, tmp_path / "review.yaml")
    pages = answer(read, "RQ2", 2)
    if b.pages is not None:  # every page ends in a break: exact
        assert pages.answer == b.pages
        assert answer(read, "RQ2", 3).answer == (b.pages - b.appendix_page + 1 if b.appendix_page else 0)
    elif name in pdfs:  # estimated: close to what LibreOffice lays out, and said to be approximate
        lo_pages = len(pdf_pages(pdfs[name])) if PDFTOTEXT else None
        if lo_pages:
            assert abs(pages.answer - lo_pages) <= max(1, round(lo_pages * 0.1))
        assert "approximate" in pages.evidence
    assert answer(read, "RQ2", 1).answer == ("no" if spec.contents == "none" else "yes")
    assert answer(read, "RQ8", 1).answer == expected_recs(spec)
    every_answer_cites_a_page_and_is_marked(read)


def test_recommendations_listed_with_page_who_and_when(tmp_path):
    b = build(tmp_path / "r.docx", Spec(breaks="every-page", n_recs=12, recs="manual"))
    result = scan(read_document(b.path), Registry().get("scr-report-quality"))
    got = {(s.marker, s.question): s for s in result.suggestions}
    lines = got[("RQ8", 1)].evidence.splitlines()
    assert lines[0].startswith('12 recommendations under p. ') and '"3. Recommendations"' in lines[0] and "(numbered items)" in lines[0]
    for line, rec in zip(lines[1:], RECS):
        assert re.match(r"\d+\. p\. \d+: \"", line)
        assert ("names no one to act" not in line) == rec.who, line
        assert ("no timescale" not in line) == rec.when, line
    assert got[("RQ8", 2)].answer == "partly"
    named = sum(r.who for r in RECS)
    assert got[("RQ8", 2)].evidence.startswith(f"{named} of 12 name who is to act")


def test_method_dates_defensive_conclusion_personal_data_and_redaction(tmp_path, cli):
    b = build(tmp_path / "r.docx", Spec(breaks="every-page", predicted=True, personal=True, redacted=True, dates=True, method="silp"))
    out = tmp_path / "review.yaml"
    read = scan_to(b.path, out)
    assert answer(read, "RQ1", 1).answer == "silp" and "Significant Incident Learning Process" in answer(read, "RQ1", 1).evidence
    assert "Significant Incident Learning Process" in answer(read, "RQ3", 1).evidence and not answer(read, "RQ3", 1).has_value
    assert answer(read, "RQ1", 2).answer == date(2025, 3, 3)
    assert answer(read, "RQ1", 3).answer == date(2025, 4, 17)
    assert answer(read, "RQ1", 4).answer == date(2027, 5, 14)
    flaws = answer(read, "RQ9", 5)
    assert not flaws.has_value and "could not have been predicted and could not have been prevented" in flaws.evidence
    assert "Sidebotham et al., 2016, chapter 9" in flaws.evidence
    anonymised = answer(read, "RQ7", 1)
    assert not anonymised.has_value and "a UK postcode" in anonymised.evidence and "an NHS number" in anonymised.evidence
    text = out.read_text(encoding="utf-8")
    assert "AB1 2DX" not in text and "943 476 5919" not in text  # found, never copied into the record
    redacted = answer(read, "RQ7", 2)
    assert redacted.answer == "yes" and '"[redacted]" on p. ' in redacted.evidence
    checked = json.loads(cli("check", "--format", "json", out).output)["files"][0]
    assert "personal-data" not in {f["rule"] for f in checked["findings"]}


@pytest.mark.parametrize(
    "method, choice",
    [("learning-together", "learning-together"), ("silp", "silp"), ("hybrid", "hybrid"), ("traditional", "traditional"), (None, None)],
)
def test_review_method_is_chosen_only_where_named(tmp_path, method, choice):
    b = build(tmp_path / "r.docx", Spec(breaks="every-page", method=method))
    got = {(s.marker, s.question): s for s in scan(read_document(b.path), Registry().get("scr-report-quality")).suggestions}
    assert (got[("RQ1", 1)].answer if ("RQ1", 1) in got else None) == choice
    assert ("No review method" in got[("RQ3", 1)].evidence) == (method is None)


def test_glossary_and_acronyms_left_unexplained(tmp_path):
    b = build(tmp_path / "r.docx", Spec(breaks="every-page", glossary="table"))
    got = {(s.marker, s.question): s for s in scan(read_document(b.path), Registry().get("scr-report-quality")).suggestions}
    plain = got[("RQ2", 4)].evidence
    assert plain.startswith("Flesch Reading Ease ")
    unexplained = re.search(r"Acronyms used that neither a glossary nor the text explains: (.*?)\.(?: [A-Z]|$)", plain).group(1)  # type: ignore[union-attr]
    assert "MASH (p. " in unexplained and "IRO (p. " in unexplained
    assert "CCG" not in unexplained and "GP " not in unexplained  # the glossary explains them
    assert re.search(r"Glossary: p\. \d+: \"Glossary\"", got[("RQ2", 1)].evidence)


def test_no_recommendations_is_zero_with_the_pages_searched(tmp_path):
    b = build(tmp_path / "r.docx", Spec(breaks="every-page", recs="none"))
    got = {(s.marker, s.question): s for s in scan(read_document(b.path), Registry().get("scr-report-quality")).suggestions}
    assert got[("RQ8", 1)].answer == 0 and f"pp. 1-{b.pages}" in got[("RQ8", 1)].evidence
    assert ("RQ8", 2) not in got


# ------------------------------------------------------------------------ the command


def test_printing_only_writes_nothing_and_shows_each_question_with_pages(tmp_path):
    b = build(tmp_path / "r.docx", Spec(breaks="every-page"))
    result = run("scan", b.path)
    assert result.exit_code == 0, result.output
    assert list(tmp_path.iterdir()) == [b.path]
    out = result.output
    assert out.startswith(f"Scanned {b.path}: a Word .docx of about {b.pages} pages (a .docx: pages from its page breaks")
    assert f"RQ2 q2 How long?\n  suggested answer: {b.pages} pages\n    About {b.pages} pages (pp. 1-{b.pages}) (a .docx: pages from its page breaks" in out
    assert "RQ8 q1 Number of recommendations?\n  suggested answer: 7\n" in out
    assert "RQ7 q1 Appropriately anonymised (confidentiality)?\n  evidence only: the answer is for the assessor" in out


def test_new_file_as_new_writes_it_with_the_options(tmp_path):
    b = build(tmp_path / "r.docx", Spec(breaks="every-page"))
    out = tmp_path / "child-h.yaml"
    read = scan_to(b.path, out, "--title", "Child H", "--partnership", "Anytown SCP", "--assessor", "B. Panel-Member", "--stage", "end")
    info = read.review.review
    assert (info.title, info.partnership, info.assessors, info.stage, info.assessed_on) == ("Child H", "Anytown SCP", ["B. Panel-Member"], "end", date(2026, 11, 22))
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=scr-report-quality.schema.json")
    assert (tmp_path / "scr-report-quality.schema.json").is_file()  # beside it, as `new` writes it
    assert "# 2. How long?" in text  # the question texts, as `new` writes them
    assert re.search(r'^      "2": \{answer: \d+, evidence: .*, suggested-by: scan\}$', text, re.MULTILINE)


def test_output_is_refused_before_any_work(tmp_path):
    b = build(tmp_path / "r.docx", Spec(breaks="every-page"))
    existing = tmp_path / "review.yaml"
    existing.write_text("mine\n", encoding="utf-8")
    refused = run("scan", b.path, "-o", existing)
    assert refused.exit_code == 2 and "already exists; add --force" in refused.output and existing.read_text() == "mine\n"
    assert run("scan", b.path, "-o", existing, "--force").exit_code == 0 and "suggested-by: scan" in existing.read_text()
    wrong = run("scan", b.path, "-o", tmp_path / "review.txt")
    assert wrong.exit_code == 2 and "ending in .yaml or .yml" in wrong.output
    both = run("scan", b.path, "-o", tmp_path / "a.yaml", "--into", existing)
    assert both.exit_code == 2 and "choose one of -o" in both.output
    assert run("scan", tmp_path / "missing.pdf", "-o", tmp_path / "b.yaml").exit_code == 2
    assert not (tmp_path / "b.yaml").exists() and not (tmp_path / "a.yaml").exists()


def test_scanned_image_pdf_exits_2_with_the_message_and_writes_nothing(tmp_path):
    from test_documents import _scanned_pdf

    pdf = _scanned_pdf(tmp_path / "scanned.pdf", pages=3)
    result = run("scan", pdf, "-o", tmp_path / "review.yaml")
    assert result.exit_code == 2
    assert "no text in this PDF: it looks like a scanned image, which scr-audit cannot read" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "review.yaml").exists()


@pytest.mark.parametrize("content", [b"", b"%PDF-1.4\n1 0 obj <<", b"PK\x03\x04junk"])
def test_broken_files_exit_2_without_a_traceback(tmp_path, content):
    path = tmp_path / ("r.pdf" if content.startswith(b"%") or not content else "r.docx")
    path.write_bytes(content)
    result = run("scan", path)
    assert result.exit_code == 2 and result.output.startswith("scr-audit: ") and "Traceback" not in result.output


def test_text_from_the_report_is_shown_escaped(tmp_path):
    import docx

    d = docx.Document()
    d.add_heading("Recommendations", 1)
    d.add_paragraph("The Board \u202eshould act\u202c within six months.", style="List Number")
    path = tmp_path / "r.docx"
    d.save(path)
    out = run("scan", path).output
    assert "\u202e" not in out and "\\u202e" in out


# ------------------------------------------------------------------------------ --into


def _assessor_file(tmp_path: Path, report: Path) -> Path:
    """A file an assessor has begun: some of the questions scan answers are already theirs."""
    path = tmp_path / "review.yaml"
    assert run("new", path, "--set", "scr-report-quality", "--title", "Child H").exit_code == 0
    text = path.read_text(encoding="utf-8")
    mine = text.replace('      "2":\n      # 3. How long appendices?', "      \"2\": {answer: 40, evidence: 'My own count, without the cover.'}  # mine\n      # 3. How long appendices?")
    assert mine != text
    text = mine.replace('      "1":\n      # 2. Are recommendations', '      "1":\n        evidence: I have not counted them yet; they are on p. 8.\n      # 2. Are recommendations')
    assert text != mine
    text = text.replace("markers:\n", "markers:\n  # a comment the assessor wrote\n", 1)
    path.write_text(text, encoding="utf-8")
    return path


def test_into_fills_only_what_no_assessor_recorded(tmp_path):
    b = build(tmp_path / "r.docx", Spec(breaks="every-page"))
    path = _assessor_file(tmp_path, b.path)
    result = run("scan", b.path, "--into", path)
    assert result.exit_code == 0, result.output
    assert "Left as recorded: RQ2 q2, RQ8 q1" in result.output
    text = path.read_text(encoding="utf-8")
    assert "\"2\": {answer: 40, evidence: 'My own count, without the cover.'}  # mine" in text
    assert "# a comment the assessor wrote" in text
    read = read_review(path)
    assert read.findings == []
    mine = answer(read, "RQ2", 2)
    assert (mine.answer, mine.suggested_by) == (40, None)
    note = answer(read, "RQ8", 1)
    assert (note.answer, note.evidence, note.suggested_by) == (None, "I have not counted them yet; they are on p. 8.", None)
    assert answer(read, "RQ2", 3).suggested_by == "scan" and answer(read, "RQ8", 2).suggested_by == "scan"
    # a second scan replaces its own suggestions and still leaves the assessor's alone
    before = path.read_text(encoding="utf-8")
    again = run("scan", b.path, "--into", path)
    assert again.exit_code == 0 and path.read_text(encoding="utf-8") == before


def test_into_a_confirmed_suggestion_is_the_assessors(tmp_path):
    b = build(tmp_path / "r.docx", Spec(breaks="every-page"))
    out = tmp_path / "review.yaml"
    scan_to(b.path, out)
    text = out.read_text(encoding="utf-8")
    confirmed = re.sub(r'(      "2": \{answer: \d+, evidence: [^\n]*?), suggested-by: scan\}', r"\1}", text, count=1)
    assert confirmed != text
    out.write_text(confirmed.replace(f"answer: {b.pages},", "answer: 99,", 1), encoding="utf-8")
    assert run("scan", b.path, "--into", out).exit_code == 0
    assert answer(read_review(out), "RQ2", 2).answer == 99


def test_into_refuses_files_it_cannot_fill(tmp_path, write_review):
    b = build(tmp_path / "r.docx", Spec(breaks="every-page"))
    qm = write_review("qm.yaml")
    before = qm.read_text()
    wrong_set = run("scan", b.path, "--into", qm)
    assert wrong_set.exit_code == 2 and "scan fills the report-quality template" in wrong_set.output and qm.read_text() == before
    broken = tmp_path / "broken.yaml"
    broken.write_text("scr-audit: 1\nmarker-set: scr-report-quality\nreview: [unclosed\n", encoding="utf-8")
    result = run("scan", b.path, "--into", broken)
    assert result.exit_code == 2 and "broken.yaml" in result.output and "Traceback" not in result.output
    missing = run("scan", b.path, "--into", tmp_path / "none.yaml")
    assert missing.exit_code == 2 and "does not exist" in missing.output
    assert run("scan", b.path, "--into", b.path).exit_code == 2
    assert run("scan", b.path, "--into", tmp_path / "x.yaml", "--title", "T").exit_code == 2


# ---------------------------------------------------- suggestions are not answers


@pytest.fixture
def scanned(tmp_path):  # type: ignore[no-untyped-def]
    """A review file straight from scan: suggestions only, nothing an assessor confirmed."""
    b = build(tmp_path / "r.docx", Spec(breaks="every-page"))
    out = tmp_path / "scanned.yaml"
    read = scan_to(b.path, out, "--title", "Child H")
    answers = sum(1 for e in read.review.markers.values() if e for a in e.answers.values() if a is not None and a.has_value)
    return b, out, answers


def test_check_reports_suggestions_and_counts_none_answered(scanned, cli):
    _, out, answers = scanned
    report = json.loads(cli("check", "--format", "json", out).output)["files"][0]
    assert report["answered"] == 0
    assert sum(1 for f in report["findings"] if f["rule"] == "unconfirmed-suggestion" and f["severity"] == "warning") == answers


def test_summary_counts_no_figure_or_choice_from_a_suggestion(scanned, cli):
    b, out, _ = scanned
    summary = json.loads(cli("summary", "--json", out).output)["sets"][0]["reviews"][0]
    assert summary["answered"] == 0 and set(summary["figures"].values()) == {None} and set(summary["choices"].values()) == {None}
    row = cli("summary", "--csv", out).output.splitlines()[1]
    assert f",{b.pages}," not in row and "learning-together" not in row


def test_compare_shows_a_suggestion_as_not_answered(scanned, cli, tmp_path):
    _, out, _ = scanned
    confirmed = tmp_path / "confirmed.yaml"
    confirmed.write_text(out.read_text(encoding="utf-8").replace(", suggested-by: scan}", "}"), encoding="utf-8")
    compared = cli("compare", out, confirmed).output
    assert "Question 2: How long? (not answered by scanned)" in compared
    assert "scanned: not answered" in compared


def test_the_word_record_labels_a_suggestion(scanned, cli, tmp_path):
    import docx as python_docx

    b, out, _ = scanned
    record = tmp_path / "record.docx"
    exported = cli("export", out, "-o", record)
    assert exported.exit_code == 1 and "still open" in exported.output  # unanswered questions: it falls short
    cells = [c.text for t in python_docx.Document(str(record)).tables for row in t.rows for c in row.cells]
    assert f"{b.pages} pages (suggested by scan, not confirmed)" in cells
    assert f"{b.pages} pages" not in cells  # never shown bare, as an assessor's answer


# ------------------------------------------------- PDFs from another program (reportlab)

try:
    import reportlab  # noqa: F401

    HAVE_REPORTLAB = True
except ImportError:  # pragma: no cover - in the test extra
    HAVE_REPORTLAB = False

needs_reportlab = pytest.mark.skipif(not HAVE_REPORTLAB, reason="reportlab is not installed (pip install '.[test]'): cannot write the second producer's PDFs")


@needs_reportlab
@needs_pdftotext
@pytest.mark.parametrize(
    "name, spec",
    [
        ("numbered", dict()),
        ("ruled-table-over-a-page", dict(recs="table", n_recs=12, pad=10)),
        ("recommendation-n-no-contents-annex", dict(recs="recommendation-n", contents=False, appendix="Annex 1: Terms of reference")),
        ("bullets-appendices", dict(recs="bullets", appendix="Appendices", pad=12)),
        ("numbered-over-a-page", dict(pad=14, n_recs=10)),
    ],
)
def test_pdfs_from_reportlab(tmp_path, name, spec):
    from pdfgen import PdfSpec, build_pdf

    pdf = tmp_path / f"{name}.pdf"
    recs = build_pdf(pdf, PdfSpec(**spec))
    read = scan_to(pdf, tmp_path / "review.yaml")
    pages, appendix_pages = pdf_truth(pdf)
    assert answer(read, "RQ2", 2).answer == pages
    assert abs(answer(read, "RQ2", 3).answer - appendix_pages) <= 1
    assert answer(read, "RQ2", 1).answer == ("yes" if spec.get("contents", True) else "no")
    assert answer(read, "RQ8", 1).answer == len(recs)
    assert answer(read, "RQ1", 1).answer == "silp"
    every_answer_cites_a_page_and_is_marked(read)


# ------------------------------------------------------------------------- the example

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "reports"


def test_example_report_scans_to_its_review_file(tmp_path):
    out = tmp_path / "child-h-scanned.yaml"
    result = run("scan", EXAMPLE / "child-h-report.pdf", "-o", out, "--title", "Child H", "--partnership", "Anytown Safeguarding Children Partnership", "--assessed-on", "2026-11-22")
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == (EXAMPLE / "child-h-scanned.yaml").read_text(encoding="utf-8")
    schema_file = "scr-report-quality.schema.json"
    assert (tmp_path / schema_file).read_text(encoding="utf-8") == (EXAMPLE / schema_file).read_text(encoding="utf-8")
    read = read_review(out)
    assert (answer(read, "RQ2", 2).answer, answer(read, "RQ8", 1).answer, answer(read, "RQ8", 2).answer) == (8, 7, "partly")
    assert (answer(read, "RQ1", 1).answer, answer(read, "RQ1", 2).answer, answer(read, "RQ1", 3).answer) == ("learning-together", date(2025, 3, 3), date(2025, 4, 17))


def test_example_report_as_docx_finds_the_same(tmp_path):
    read = scan_to(EXAMPLE / "child-h-report.docx", tmp_path / "r.yaml")
    pdf = read_review(EXAMPLE / "child-h-scanned.yaml")
    for marker, number in (("RQ1", 1), ("RQ1", 2), ("RQ1", 3), ("RQ1", 4), ("RQ2", 1), ("RQ8", 1), ("RQ8", 2)):
        assert answer(read, marker, number).answer == answer(pdf, marker, number).answer, (marker, number)
    assert abs(answer(read, "RQ2", 2).answer - answer(pdf, "RQ2", 2).answer) <= 1


def test_into_is_refused_at_once_while_a_walkthrough_holds_the_file(tmp_path):
    locks = pytest.importorskip("scr_audit.locks", reason="the walkthrough's file locks (scr_audit.locks) are not in this build")
    import subprocess
    import sys

    b = build(tmp_path / "r.docx", Spec(breaks="every-page"))
    path = _assessor_file(tmp_path, b.path)
    before = path.read_bytes()
    holder = subprocess.Popen(
        [sys.executable, "-c", f"import sys, time; from scr_audit import locks\nwith locks.hold({str(path)!r}, 'a walkthrough'):\n    print('held', flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        result = run("scan", b.path, "--into", path)
        assert result.exit_code == 2 and "walkthrough" in result.output and "Traceback" not in result.output
        assert path.read_bytes() == before
    finally:
        holder.kill()
        holder.wait()
    assert locks is not None and run("scan", b.path, "--into", path).exit_code == 0  # free again once the sitting ends


@needs_soffice
def test_pdf_with_some_scanned_pages_is_read_and_the_pages_named(reports, tmp_path):
    import pypdfium2 as pdfium
    from test_documents import _scanned_pdf

    built, pdfs = reports
    text_pdf = pdfs["every-page-broken"]
    scanned = _scanned_pdf(tmp_path / "scanned.pdf", pages=2)
    mixed = pdfium.PdfDocument(str(text_pdf))
    mixed.import_pages(pdfium.PdfDocument(str(scanned)))
    path = tmp_path / "mixed.pdf"
    mixed.save(str(path))
    n = len(mixed)
    result = run("scan", path)
    assert result.exit_code == 0, result.output
    assert f"2 page(s) have no text (scanned images?): {n - 1}, {n}; nothing on them was read." in result.output
    assert f"suggested answer: {n} pages" in result.output


needs_server = pytest.mark.skipif(server_command() is None, reason=missing_reason())
needs_checker = pytest.mark.skipif(
    shutil.which("check-jsonschema") is None and not (Path(sys.executable).parent / "check-jsonschema").exists(),
    reason="check-jsonschema is not installed (pip install -e '.[test]')",
)


@needs_server
def test_a_scanned_file_opens_clean_in_the_editors_language_server(tmp_path):
    b = build(tmp_path / "r.docx", Spec(breaks="every-page", personal=True, redacted=True, dates=True, predicted=True))
    out = tmp_path / "review.yaml"
    scan_to(b.path, out)
    assert (tmp_path / "scr-report-quality.schema.json").is_file()  # written beside it, as `new` does
    with LanguageServer(tmp_path) as server:
        assert server.open(out) == []


@needs_checker
def test_the_schema_accepts_what_scan_writes(tmp_path):
    b = build(tmp_path / "r.docx", Spec(breaks="every-page", dates=True))
    out = tmp_path / "review.yaml"
    scan_to(b.path, out)
    exe = shutil.which("check-jsonschema") or str(Path(sys.executable).parent / "check-jsonschema")
    proc = subprocess.run([exe, "--schemafile", str(tmp_path / "scr-report-quality.schema.json"), str(out)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_table_with_a_title_row_and_group_rows(tmp_path):
    import docx as python_docx

    d = python_docx.Document()
    d.add_heading("Recommendations", 1)
    t = d.add_table(rows=2, cols=3)
    t.style = "Table Grid"
    t.cell(0, 0).merge(t.cell(0, 2)).text = "Recommendations"
    for c, v in zip(t.rows[1].cells, ("No.", "Recommendation", "Lead")):
        c.text = v
    for n, (group, who) in enumerate((("For the Board", "Board"), ("For health agencies", "ICB"))):
        row = t.add_row().cells
        row[0].merge(row[2]).text = group
        for i in range(3):
            cells = t.add_row().cells
            cells[0].text, cells[1].text, cells[2].text = str(3 * n + i + 1), f"The {who} should act on point {3 * n + i + 1}.", who
    path = tmp_path / "r.docx"
    d.save(path)
    reports = [path]
    if SOFFICE is not None:
        reports += convert_all([path], tmp_path)
    for report in reports:
        got = {s.key: s for s in scan(read_document(report), Registry().get("scr-report-quality")).suggestions}
        assert got["recommendations"].answer == 6, report
        assert got["addressed"].answer == "yes"
        assert "1. p. 1: \"The Board should act on point 1.\" (who: Board; no timescale)" in got["recommendations"].evidence
