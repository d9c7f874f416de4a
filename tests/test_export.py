"""`scr-audit export`: the Word audit record and the summary record, read back as a user would.

Every document is opened again with python-docx and checked for what a Board member sees:
the standard's words, the reviewer's answers and evidence, the shaded ratings, the
protective marking, the page fields. Where LibreOffice is installed the records are also
converted to PDF, so CI opens each kind of record in a real reader.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from readers import SOFFICE, needs_soffice, to_pdf

from scr_audit.records.style import direction_runs, safe_text

PHONE = "07700 900123"
EMAIL = "mum.smith@example.com"
ARABIC = "قال الأخصائي الاجتماعي إن الزيارة تمت في الموعد"
HOSTILE = (
    "Bell\x07 NUL\x00 escape\x1b[31m DEL\x7f C1\x85\x9f nonchar\ufffe\uffff form\x0c feed; "
    f"emoji 👶🏽👨‍👩‍👧 ✅; Arabic: {ARABIC}; Hebrew: שלום; markup <w:p><w:r><w:t>x</w:t></w:r></w:p> "
    "]]> &amp; <![CDATA[ y ]]> {{field}} \\ end"
)


# ----------------------------------------------------------------------------- helpers


_TEXT, _TAB, _BR = qn("w:t"), qn("w:tab"), qn("w:br")


def paragraph_text(p) -> str:
    """A paragraph's text as Word shows it: tabs and line breaks included."""
    parts = []
    for el in p.iter(_TEXT, _TAB, _BR):
        if el.tag == _TEXT:
            parts.append(el.text or "")
        elif el.getparent().tag == qn("w:r"):  # not a tab stop definition in w:pPr
            parts.append("\t" if el.tag == _TAB else "\n")
    return "".join(parts)


def paragraphs(document: docx.document.Document) -> Iterator[str]:
    """The text of every paragraph in the body, tables included, in document order."""
    for p in document.element.body.iter(qn("w:p")):
        yield paragraph_text(p)


def texts(document: docx.document.Document) -> set[str]:
    return set(paragraphs(document))


def styled(document: docx.document.Document, style: str) -> list[str]:
    return [p.text for p in document.paragraphs if p.style is not None and p.style.name == style]


def fills(document: docx.document.Document) -> dict[str, set[str]]:
    """Cell text -> the shading fills it appears on."""
    out: dict[str, set[str]] = {}
    for tc in document.element.body.iter(qn("w:tc")):
        shd = tc.find(f"{qn('w:tcPr')}/{qn('w:shd')}")
        if shd is None:
            continue
        text = "".join(t.text or "" for t in tc.iter(qn("w:t")))
        out.setdefault(text, set()).add(shd.get(qn("w:fill")))
    return out


def all_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return "\n".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))


def by_caption(document: docx.document.Document, caption: str) -> list:
    """The tables whose caption (w:tblCaption, their alt text) starts with `caption`."""
    out = []
    for t in document.tables:
        cap = t._tbl.tblPr.find(qn("w:tblCaption"))
        if cap is not None and cap.get(qn("w:val")).startswith(caption):
            out.append(t)
    return out


def header_texts(document: docx.document.Document) -> list[str]:
    return ["\n".join(p.text for p in s.header.paragraphs) for s in document.sections]


def footer_texts(document: docx.document.Document) -> list[str]:
    return ["\n".join(p.text for p in s.footer.paragraphs) for s in document.sections]


def varied_ratings(m: str) -> str:
    return {"QM1": "not-met", "QM2": "partly-met", "QM3": "not-applicable"}.get(m, "met")


def actions_for(m: str) -> list[dict]:
    if m in ("QM1", "QM2"):
        return [{"action": f"Agree a written protocol for {m}.", "owner": "LSCB business manager", "due": "2027-01-31", "status": "open"}]
    return []


def evidence_of(m: str, q: int) -> str:
    return f"Evidence for {m} question {q}: minutes of the panel meeting."


# ------------------------------------------------------------------ the audit record


@pytest.fixture
def complete(write_review):
    return write_review("child-d.yaml", rating=varied_ratings, actions=actions_for)


def test_record_holds_every_marker_question_and_evidence(cli, complete, qm, tmp_path):
    out = tmp_path / "record.docx"
    result = cli("export", complete, "-o", out)
    assert result.exit_code == 0, result.output
    assert f"Wrote {out}" in result.stdout
    document = docx.Document(str(out))
    found = texts(document)
    headings2 = styled(document, "Heading 2")
    assert len(qm.markers) == 18 and qm.question_count == 107
    for m in qm.markers:
        assert f"{m.id} {m.title}" in headings2
        assert m.statement in "\n".join(found)
        for q in m.questions:
            assert q.text in found, f"{m.id} question {q.number} is not in the record word for word"
            assert evidence_of(m.id, q.number) in found
    # the summary's marker table, the action plan
    assert "Agree a written protocol for QM1." in found
    assert "LSCB business manager" in found


def test_record_uses_word_styles_and_sets_properties(cli, complete, qm, tmp_path):
    out = tmp_path / "record.docx"
    assert cli("export", complete, "-o", out).exit_code == 0
    document = docx.Document(str(out))
    assert styled(document, "Title") == ["Child D"]
    headings1 = styled(document, "Heading 1")
    assert {"Executive summary", "Ratings", "Timeliness", "Sign-off", "Appendix A: open findings"} <= set(headings1)
    assert any(h.startswith("Action plan as at ") for h in headings1)
    assert [c.title for c in qm.clusters] == [h for h in styled(document, "Heading 1") if h in {c.title for c in qm.clusters}]
    props = document.core_properties
    assert props.title == "Child D: audit record"
    assert qm.title in props.subject
    assert props.author == "B. Panel-Member"
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    assert props.created is not None and abs(props.created.replace(tzinfo=None) - now) < timedelta(minutes=5)
    body = document.element.body.xml
    assert 'TOC \\o "1-2"' in body
    assert document.settings.element.find(qn("w:updateFields")) is not None
    tables = {t.style.name for t in document.tables}
    assert tables == {"Light Grid Accent 1"}
    # no stale second copy of the styles (Word 2010's stylesWithEffects) from the template
    with zipfile.ZipFile(out) as z:
        assert not [n for n in z.namelist() if "stylesWithEffects" in n or "thumbnail" in n]


def test_record_title_block_names_the_review_and_the_standard(cli, complete, qm, tmp_path):
    out = tmp_path / "record.docx"
    assert cli("export", complete, "-o", out).exit_code == 0
    block = by_caption(docx.Document(str(out)), "About this review")[0]
    rows = {r.cells[0].text: r.cells[1].text for r in block.rows}
    assert rows["Detail"] == "Recorded"  # a header row, repeated on every page
    assert rows["Review"] == "Child D"
    assert rows["Partnership"] == "Anytown LSCB"
    assert rows["Lead reviewers"] == "A. Reviewer"
    assert rows["Assessors"] == "B. Panel-Member"
    assert rows["Assessment date"] == "1 November 2026"
    assert rows["Marker set"] == f"{qm.title}, version {qm.version}"
    assert rows["Source"] == qm.header.source.citation()
    assert rows["Review file"] == "child-d.yaml"
    assert "scr-audit" in rows["Generated"]


def test_rating_cells_are_shaded_with_the_sets_colours(cli, complete, qm, tmp_path):
    out = tmp_path / "record.docx"
    assert cli("export", complete, "-o", out).exit_code == 0
    shaded = fills(docx.Document(str(out)))
    for rid in ("met", "partly-met", "not-met", "not-applicable"):
        rating = qm.rating(rid)
        assert shaded[rating.label] == {rating.fill.upper()}, rid
    # the summary table of all markers: 18 shaded rating cells, one per marker
    summary_table = next(t for t in docx.Document(str(out)).tables if t.rows[0].cells[-1].text == "Rating")
    rating_cells = [r.cells[3] for r in summary_table.rows[1:] if r.cells[0].text.startswith("QM")]
    assert len(rating_cells) == 18
    assert rating_cells[0].text == "Not met"
    assert rating_cells[0]._tc.tcPr.find(qn("w:shd")).get(qn("w:fill")) == qm.rating("not-met").fill.upper()


def test_marking_and_page_fields_in_header_and_footer(cli, complete, tmp_path):
    out = tmp_path / "record.docx"
    assert cli("export", complete, "-o", out).exit_code == 0
    document = docx.Document(str(out))
    section = document.sections[0]
    assert section.header.paragraphs[0].text == "OFFICIAL-SENSITIVE"
    assert section.header.paragraphs[0].alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.CENTER
    footer = footer_texts(document)[0]
    assert footer.startswith("OFFICIAL-SENSITIVE\n")
    assert "Child D" in footer and "generated" in footer and "Page " in footer and " of " in footer
    instructions = [i.text.strip() for i in section.footer._element.iter(qn("w:instrText"))]
    assert instructions == ["PAGE", "NUMPAGES"]
    kinds = [c.get(qn("w:fldCharType")) for c in section.footer._element.iter(qn("w:fldChar"))]
    assert kinds == ["begin", "separate", "end"] * 2


def test_no_marking_and_own_marking(cli, complete, tmp_path):
    plain = tmp_path / "plain.docx"
    assert cli("export", complete, "-o", plain, "--no-marking").exit_code == 0
    document = docx.Document(str(plain))
    assert "OFFICIAL" not in "".join(header_texts(document) + footer_texts(document))
    assert "Page " in footer_texts(document)[0]
    assert document.core_properties.content_status == ""

    own = tmp_path / "own.docx"
    assert cli("export", complete, "-o", own, "--marking", "OFFICIAL").exit_code == 0
    document = docx.Document(str(own))
    assert document.sections[0].header.paragraphs[0].text == "OFFICIAL"
    assert footer_texts(document)[0].startswith("OFFICIAL\n")


def test_marking_options_that_contradict_are_refused(cli, complete, tmp_path):
    out = tmp_path / "record.docx"
    both = cli("export", complete, "-o", out, "--marking", "OFFICIAL", "--no-marking")
    assert both.exit_code == 2 and "not both" in both.output
    empty = cli("export", complete, "-o", out, "--marking", "  ")
    assert empty.exit_code == 2 and "--no-marking" in empty.output
    assert not out.exists()


def test_markers_section_shows_suggested_rating_rationale_and_actions(cli, write_review, qm, tmp_path):
    # QM1 rated met although every answer is no: the suggestion from the answers is shown
    path = write_review(
        answer=lambda m, q: "no" if m == "QM1" else "yes",
        rating=lambda m: "met",
        actions=lambda m: [{"action": "Explain the delay.", "owner": "Chair", "due": "2027-03-01", "status": "in-progress"}] if m == "QM1" else [],
    )
    out = tmp_path / "record.docx"
    result = cli("export", path, "-o", out)
    assert result.exit_code == 0, result.output
    found = texts(docx.Document(str(out)))
    assert any(t.startswith(f"Suggested by the answers: {qm.rating('not-met').label} (a guide from the answers") for t in found)
    assert "Rationale for QM1" in found
    assert {"Explain the delay.", "Chair", "1 March 2027", "In progress"} <= found


def test_include_guidance_adds_each_rationale(cli, complete, qm, tmp_path):
    out = tmp_path / "record.docx"
    assert cli("export", complete, "-o", out, "--include-guidance").exit_code == 0
    found = texts(docx.Document(str(out)))
    first = qm.marker("QM1").rationale.splitlines()[0]
    assert first in found
    plain = tmp_path / "plain.docx"
    assert cli("export", complete, "-o", plain).exit_code == 0
    assert first not in texts(docx.Document(str(plain)))


def test_timeliness_measures_against_the_sets_expectation(cli, write_review, qm, tmp_path):
    from datetime import date

    path = write_review(
        dates={"decision": date(2025, 1, 10), "completed": date(2025, 9, 30)},
        delay_reasons="Parallel criminal trial until June.",
    )
    out = tmp_path / "record.docx"
    result = cli("export", path, "-o", out)
    found = "\n".join(paragraphs(docx.Document(str(out))))
    assert f"{qm.header.timeliness.months}-month expectation" in found
    assert "8 months 20 days (263 days)" in found and "over the 6-month expectation" in found
    assert "Parallel criminal trial until June." in found
    assert result.exit_code == 0, result.output


def test_open_findings_are_listed_and_errors_give_exit_1(cli, write_review, tmp_path):
    path = write_review(answer=lambda m, q: None if (m, q) == ("QM4", 2) else "yes")
    out = tmp_path / "record.docx"
    result = cli("export", path, "-o", out)
    assert result.exit_code == 1
    assert "1 error(s) still open" in result.stderr
    document = docx.Document(str(out))
    findings = by_caption(document, "Open findings")[0]
    rows = [[c.text for c in r.cells] for r in findings.rows]
    assert rows[0] == ["Severity", "What is wrong", "Rule"]
    assert ["Error", "QM4 question 2 has no answer.", "unanswered-question"] in rows
    assert "Not answered" in texts(document)


# ------------------------------------------------------------------------ typed questions


TYPED_SET = """\
id: typed-test
title: Typed test set
version: "1"
item-name: Section
source: {publisher: Test, year: 2026, title: A set with typed questions}
clusters: [{id: all, title: Everything}]
answer-scale:
  - {id: "yes", label: "Yes", score: 1}
  - {id: "no", label: "No", score: 0}
  - {id: not-applicable, label: Not applicable, score: null, aliases: [n/a]}
rating-scale:
  - {id: good, label: Good, score: 1, colour: green, fill: 00B050}
  - {id: poor, label: Poor, score: 0, colour: red, fill: FF0000}
thresholds: [{rating: good, min-score: 0.5}, {rating: poor, min-score: 0}]
"""

TYPED_MARKER = """\
id: S1
number: 1
title: Timing and content
cluster: all
statement: the report says when things happened
questions:
  - {number: 1, text: "How many weeks did the review take?", type: number, unit: weeks, min: 0}
  - {number: 2, text: "When was the report published?", type: date}
  - number: 3
    text: How often did the panel meet?
    type: choice
    options: [{id: weekly, label: Every week}, {id: monthly, label: Every month}]
  - {number: 4, text: "What was the main finding?", type: text}
  - {number: 5, text: "Was the family involved?"}
  - {number: 6, text: "How many agencies took part?", type: number}
"""


def test_typed_questions_are_shown_as_what_they_are(cli, tmp_path):
    sets = tmp_path / "sets" / "typed-test"
    sets.mkdir(parents=True)
    (sets / "set.yaml").write_text(TYPED_SET, encoding="utf-8")
    (sets / "S1.yaml").write_text(TYPED_MARKER, encoding="utf-8")
    review = tmp_path / "typed.yaml"
    review.write_text(
        "scr-audit: 1\nmarker-set: typed-test\nmarker-set-version: '1'\n"
        "review: {title: Review T, stage: end}\n"
        "markers:\n  S1:\n    answers:\n"
        "      1: {answer: 26, evidence: From the timeline.}\n"
        "      2: 2025-02-14\n"
        "      3: monthly\n"
        "      4: Agencies did not share information.\n"
        "      5: 'yes'\n"
        "      6: n/a\n"
        "    rating: good\n",
        encoding="utf-8",
    )
    out = tmp_path / "typed.docx"
    result = cli("--markers", tmp_path / "sets", "export", review, "-o", out)
    assert result.exit_code == 0, result.output
    document = docx.Document(str(out))
    questions = next(t for t in document.tables if t.rows[0].cells[1].text == "Question")
    answers = {r.cells[0].text: r.cells[2].text for r in questions.rows[1:]}
    assert answers == {
        "1": "26 weeks",
        "2": "14 February 2025",
        "3": "Every month",
        "4": "Agencies did not share information.",
        "5": "Yes",
        "6": "Not applicable",
    }
    assert "S1 Timing and content" in styled(document, "Heading 2")
    assert fills(document)["Good"] == {"00B050"}


# ------------------------------------------------------------------------ personal data


@pytest.fixture
def identifying(write_review):
    def ev(m: str, q: int) -> str:
        if (m, q) == ("QM2", 1):
            return f"Mother rang from {PHONE} about the visit."
        if (m, q) == ("QM9", 3):
            return f"Police wrote to {EMAIL}."
        return evidence_of(m, q)

    return write_review("named.yaml", evidence=ev)


def test_without_redact_warns_and_findings_never_quote_the_identifier(cli, identifying, tmp_path):
    out = tmp_path / "record.docx"
    result = cli("export", identifying, "-o", out)
    assert result.exit_code == 1, result.output  # written, but not fit to circulate as it stands
    assert "2 personal-data finding(s)" in result.stderr and "--redact" in result.stderr and "warns on page 1" in result.stderr
    document = docx.Document(str(out))
    warning = styled(document, "Warning")
    assert len(warning) == 1 and warning[0].startswith("Warning: personal data. 2 passages")
    assert "a UK phone number" in warning[0] and "an e-mail address" in warning[0] and "--redact" in warning[0]
    findings = by_caption(document, "Open findings")[0]
    messages = [r.cells[1].text for r in findings.rows[1:] if r.cells[2].text == "personal-data"]
    assert len(messages) == 2
    assert all("[redacted]" in m and PHONE not in m and EMAIL not in m for m in messages)
    assert any("UK phone number" in m for m in messages)
    # the evidence itself is the reviewer's text, kept unless --redact is asked for
    assert f"Mother rang from {PHONE} about the visit." in texts(document)


def test_redact_replaces_identifiers_everywhere_and_counts_them(cli, identifying, tmp_path):
    out = tmp_path / "record.docx"
    result = cli("export", identifying, "-o", out, "--redact")
    assert result.exit_code == 0, result.output
    assert "Redacted 2 personal identifier(s)" in result.stderr
    xml = all_xml(out)
    assert PHONE not in xml and EMAIL not in xml and "900123" not in xml
    found = texts(docx.Document(str(out)))
    assert "Mother rang from [redacted] about the visit." in found
    assert "Police wrote to [redacted]." in found


# ------------------------------------------------------------------------------ writing


def test_refuses_to_write_over_an_input(cli, complete, tmp_path):
    before = complete.read_bytes()
    for extra in ((), ("--force",)):
        result = cli("export", complete, "-o", complete, *extra)
        assert result.exit_code == 2
        assert "is one of the files being read" in result.stderr  # refused before its input is touched
        assert complete.read_bytes() == before


def test_refuses_an_existing_record_unless_forced(cli, complete, tmp_path):
    out = tmp_path / "record.docx"
    out.write_bytes(b"someone's work")
    refused = cli("export", complete, "-o", out)
    assert refused.exit_code == 2 and "already exists; add --force" in refused.stderr
    assert out.read_bytes() == b"someone's work"
    forced = cli("export", complete, "-o", out, "--force")
    assert forced.exit_code == 0
    assert styled(docx.Document(str(out)), "Title") == ["Child D"]


def test_refuses_a_name_that_is_not_docx(cli, complete, tmp_path):
    result = cli("export", complete, "-o", tmp_path / "record.doc")
    assert result.exit_code == 2 and ".docx" in result.stderr


def test_an_interrupted_export_leaves_no_file(cli, complete, tmp_path, monkeypatch):
    import scr_audit.records.style

    def interrupted(document):
        raise KeyboardInterrupt

    monkeypatch.setattr(scr_audit.records.style, "to_bytes", interrupted)
    out = tmp_path / "record.docx"
    result = cli("export", complete, "-o", out)
    assert result.exit_code == 130
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".record.docx")]


def test_a_file_that_is_not_a_review_is_refused_with_its_location(cli, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("scr-audit: 1\nmarker-set: scr-quality-markers\nreview:\n  title: X\n  stage: end\n  colour: red\n", encoding="utf-8")
    out = tmp_path / "record.docx"
    result = cli("export", bad, "-o", out)
    assert result.exit_code == 2
    assert f"{bad}:6:3:" in result.stderr and "colour" in result.stderr
    assert "Nothing was written" in result.stderr
    assert not out.exists()


def test_missing_input_is_exit_2(cli, tmp_path):
    result = cli("export", tmp_path / "nope.yaml", "-o", tmp_path / "r.docx")
    assert result.exit_code == 2 and "no such file" in result.stderr


# ------------------------------------------------------------------------ summary record


@pytest.fixture
def folder(tmp_path, write_review):
    d = tmp_path / "reviews"
    d.mkdir()
    write_review("reviews/a.yaml", title="Child D")
    write_review("reviews/b.yaml", title="Child E", rating=varied_ratings, actions=actions_for)
    write_review("reviews/c.yaml", title="Family F", rating=lambda m: None if m == "QM5" else "met", stage="progressive")
    return d


def test_summary_record_of_three_reviews_names_all_three(cli, folder, qm, tmp_path):
    out = tmp_path / "summary.docx"
    result = cli("export", folder, "-o", out)
    assert result.exit_code == 0, result.output
    assert "summary record of 3 review(s), in 2 parts by stage (never pooled)" in result.stdout
    document = docx.Document(str(out))
    found = texts(document)
    for title in ("Child D", "Child E", "Family F"):
        assert title in found
    assert styled(document, "Title") == ["Summary of 3 reviews"]
    # two stages: a part for each, under a heading that names it, its sections one level down
    assert ["Progressive, while the review runs: 1 review", "End of the review: 2 reviews"] == [
        h for h in styled(document, "Heading 1") if h.endswith(("review", "reviews"))
    ]
    item = qm.header.item_name
    for stage in ("progressive, while the review runs", "end of the review"):
        assert {f"Reviews: {stage}", f"Ratings by {item} and review: {stage}", f"Ratings per {item}: {stage}"} <= set(styled(document, "Heading 2"))
    # portrait pages only, with no section break that could leave a page half empty
    assert [s.orientation for s in document.sections] == [WD_ORIENT.PORTRAIT]
    for header in header_texts(document):
        assert header == "OFFICIAL-SENSITIVE"
    for section in document.sections:
        assert [i.text.strip() for i in section.footer._element.iter(qn("w:instrText"))] == ["PAGE", "NUMPAGES"]

    end = by_caption(document, "Reviews: end of the review")[0]
    assert [c.text for c in end.rows[0].cells] == ["No.", "Review", "Stage", "Rated", "Not rated", "Score", "Flags"]
    rows = {r.cells[1].text.split("\n")[0]: [c.text for c in r.cells] for r in end.rows[1:]}
    assert set(rows) == {"Child D", "Child E", "Overall score of the 2 reviews"}
    assert rows["Child D"][0] == "2" and rows["Child D"][1] == "Child D\na.yaml"  # numbered across the record
    assert rows["Child D"][3:7] == ["18", "0", "100%", "none"]
    # Child E: (0 + 0.5 + 15 x 1) / 17 scored = 91.2%; overall, the 35 scored ratings of both: 33.5 / 35 = 95.7%
    assert rows["Child E"][5] == "91%" and rows["Overall score of the 2 reviews"][5] == "96%"
    progressive = by_caption(document, "Reviews: progressive")[0]
    rows = {r.cells[1].text.split("\n")[0]: [c.text for c in r.cells] for r in progressive.rows[1:]}
    assert rows["Family F"][0] == "1" and rows["Family F"][2] == "Progressive" and rows["Family F"][3:5] == ["17", "1"]
    assert rows["Overall score of this review"][5] == "100%"

    matrix = by_caption(document, f"Ratings by {item} and review: end of the review")[0]
    assert [c.text for c in matrix.rows[0].cells[1:]] == ["2\nChild D", "3\nChild E"]
    qm1 = next(r for r in matrix.rows if r.cells[0].text == "QM1")
    assert [c.text for c in qm1.cells[1:]] == ["Met", "Not met"]
    assert qm1.cells[2]._tc.tcPr.find(qn("w:shd")).get(qn("w:fill")) == qm.rating("not-met").fill.upper()
    matrix = by_caption(document, f"Ratings by {item} and review: progressive")[0]
    qm5 = next(r for r in matrix.rows if r.cells[0].text == "QM5")
    assert qm5.cells[1].text == "Not rated"

    per_marker = by_caption(document, f"Ratings per {item}: end of the review")[0]
    labels = [c.text for c in per_marker.rows[0].cells]
    assert labels[3:] == [r.label for r in qm.header.rating_scale] + ["Not rated"]
    qm1 = next(r for r in per_marker.rows if r.cells[0].text == "QM1")
    assert [c.text for c in qm1.cells[3:]] == ["1", "0", "1", "0", "0"]
    per_marker = by_caption(document, f"Ratings per {item}: progressive")[0]
    qm5 = next(r for r in per_marker.rows if r.cells[0].text == "QM5")
    assert qm5.cells[-1].text == "1"


def test_summary_record_of_one_stage_has_no_stage_parts(cli, folder, qm, tmp_path):
    (folder / "c.yaml").unlink()
    out = tmp_path / "summary.docx"
    result = cli("export", folder, "-o", out)
    assert result.exit_code == 0, result.output
    assert "summary record of 2 review(s) (" in result.stdout
    document = docx.Document(str(out))
    item = qm.header.item_name
    assert {"Reviews", f"{item}s ranked", f"Ratings by {item} and review", f"Ratings per {item}"} <= set(styled(document, "Heading 1"))
    assert not styled(document, "Heading 2")[:-2]  # only the sign-off's "Prepared by" and "The Board's decision"
    block = {r.cells[0].text: r.cells[1].text for r in by_caption(document, "About this record")[0].rows}
    assert block["Stage"] == "End of the review"


def test_summary_leaves_out_a_bad_file_reports_it_and_exits_1(cli, folder, tmp_path):
    (folder / "notes.yaml").write_text("just: some notes\n", encoding="utf-8")
    out = tmp_path / "summary.docx"
    result = cli("export", folder, "-o", out)
    assert result.exit_code == 1
    assert f"{folder / 'notes.yaml'}:1:1:" in result.stderr
    document = docx.Document(str(out))
    block = {r.cells[0].text: r.cells[1].text for r in by_caption(document, "About this record")[0].rows}
    assert block["Left out"].startswith("notes.yaml")
    assert styled(document, "Title") == ["Summary of 3 reviews"]


def test_summary_refuses_reviews_on_different_sets(cli, folder, tmp_path):
    sets = tmp_path / "sets" / "typed-test"
    sets.mkdir(parents=True)
    (sets / "set.yaml").write_text(TYPED_SET, encoding="utf-8")
    (sets / "S1.yaml").write_text(TYPED_MARKER, encoding="utf-8")
    (folder / "t.yaml").write_text("scr-audit: 1\nmarker-set: typed-test\nreview: {title: T, stage: progressive}\n", encoding="utf-8")
    out = tmp_path / "summary.docx"
    result = cli("--markers", tmp_path / "sets", "export", folder, "-o", out)
    assert result.exit_code == 2 and "different marker sets" in result.stderr
    assert not out.exists()


# ------------------------------------------------------------------------- hostile text


def test_safe_text_drops_what_xml_cannot_hold_and_keeps_the_rest():
    assert safe_text("a\x00b\x07c\x1bd\x7fe\x85f\ufffeg\uffffh\ud800i") == "abcdefghi"
    assert safe_text("line\r\nnext\rlast\u2028end") == "line\nnext\nlast\nend"
    assert safe_text(f"tab\there {ARABIC} 👶🏽 <w:p>") == f"tab\there {ARABIC} 👶🏽 <w:p>"
    assert safe_text(None) == "" and safe_text(12) == "12"


def test_right_to_left_runs_hold_no_left_to_right_letters():
    runs = direction_runs(f"Note: {ARABIC} (translated), 12 pages.")
    rtl = [text for text, is_rtl in runs if is_rtl]
    assert rtl == [ARABIC]
    assert "".join(text for text, _ in runs) == f"Note: {ARABIC} (translated), 12 pages."
    assert direction_runs("plain English") == [("plain English", False)]


@pytest.fixture
def hostile(write_review):
    long_note = ("A very long evidence note, pasted from the chronology. " * 400)[:20_000]

    def ev(m: str, q: int) -> str:
        if (m, q) == ("QM1", 1):
            return HOSTILE
        if (m, q) == ("QM1", 2):
            return ARABIC
        if (m, q) == ("QM2", 1):
            return long_note
        return evidence_of(m, q)

    path = write_review("hostile.yaml", title="Child <w:t> \x01 👶", evidence=ev)
    # YAML files cannot hold these raw, only as escapes in double quotes (where they sit)
    text = path.read_text(encoding="utf-8")
    for ch in "\x7f\x85\x9f\ufffe\uffff":
        text = text.replace(ch, f"\\u{ord(ch):04X}")
    path.write_text(text, encoding="utf-8")
    return path, long_note


def test_hostile_text_exports_and_reads_back(cli, hostile, qm, tmp_path):
    path, long_note = hostile
    out = tmp_path / "hostile.docx"
    result = cli("export", path, "-o", out)
    assert result.exit_code == 0, result.output
    document = docx.Document(str(out))
    found = texts(document)
    assert safe_text(HOSTILE) in found
    assert long_note in found and len(long_note) == 20_000
    assert ARABIC in found
    for q in qm.markers[0].questions:
        assert q.text in found
    assert styled(document, "Title") == ["Child <w:t> 👶"]
    xml = all_xml(out)
    assert "\x00" not in xml and "\x07" not in xml and "\x1b" not in xml
    # right-to-left evidence: a right-to-left paragraph, its Arabic run marked rtl
    arabic = next(p for p in document.element.body.iter(qn("w:p")) if paragraph_text(p) == ARABIC)
    assert arabic.find(f"{qn('w:pPr')}/{qn('w:bidi')}") is not None
    assert arabic.find(f"{qn('w:r')}/{qn('w:rPr')}/{qn('w:rtl')}") is not None
    # the markup-looking text is text, not structure
    assert "<w:p><w:r><w:t>x</w:t></w:r></w:p>" in "".join(found)


@needs_soffice
def test_complete_record_converts_to_pdf(cli, complete, tmp_path):
    out = tmp_path / "record.docx"
    assert cli("export", complete, "-o", out).exit_code == 0
    to_pdf(out, tmp_path)


@needs_soffice
def test_hostile_record_converts_to_pdf(cli, hostile, tmp_path):
    path, _ = hostile
    out = tmp_path / "hostile.docx"
    assert cli("export", path, "-o", out).exit_code == 0
    to_pdf(out, tmp_path)


@needs_soffice
def test_summary_record_converts_to_pdf(cli, folder, tmp_path):
    out = tmp_path / "summary.docx"
    assert cli("export", folder, "-o", out).exit_code == 0
    to_pdf(out, tmp_path)


@pytest.mark.skipif(shutil.which("pdftotext") is None or SOFFICE is None, reason="needs LibreOffice and pdftotext")
def test_pdf_shows_marking_and_page_numbers(cli, complete, tmp_path):
    out = tmp_path / "record.docx"
    assert cli("export", complete, "-o", out).exit_code == 0
    pdf = to_pdf(out, tmp_path)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = text.split("\f")
    pages = [p for p in pages if p.strip()]
    assert len(pages) > 5
    assert all("OFFICIAL-SENSITIVE" in p for p in pages)
    assert f"Page 1 of {len(pages)}" in pages[0] and f"Page {len(pages)} of {len(pages)}" in pages[-1]
    assert os.path.getsize(pdf) > 0


def test_many_reviews_split_the_matrix_so_no_column_is_too_narrow(cli, tmp_path, write_review):
    d = tmp_path / "many"
    d.mkdir()
    for n in range(1, 21):
        write_review(f"many/r{n:02d}.yaml", title=f"Review {n:02d} of a long series, named at length " + "x" * 200)
    out = tmp_path / "summary.docx"
    result = cli("export", d, "-o", out)
    assert result.exit_code == 0, result.output
    document = docx.Document(str(out))
    matrices = by_caption(document, "Ratings by Quality Marker and review")
    assert len(matrices) >= 2
    numbers = [c.text.split("\n")[0] for t in matrices for c in t.rows[0].cells[1:]]
    assert numbers == [str(n) for n in range(1, 21)]
    assert len(document.core_properties.subject) <= 255 and len(document.core_properties.comments) <= 255


def test_a_very_long_title_fits_the_properties_and_footer(cli, write_review, tmp_path):
    title = "Child D " + "and a very long anonymised name " * 20
    path = write_review(title=title)
    out = tmp_path / "record.docx"
    assert cli("export", path, "-o", out).exit_code == 0
    document = docx.Document(str(out))
    assert styled(document, "Title") == [" ".join(title.split())]
    assert len(document.core_properties.title) <= 255
    assert len(footer_texts(document)[0]) < 200


def test_output_folder_must_exist(cli, complete, tmp_path):
    result = cli("export", complete, "-o", tmp_path / "no-such-folder" / "record.docx")
    assert result.exit_code == 2 and "does not exist" in result.stderr


def test_export_is_listed_in_help(cli):
    result = cli("--help")
    assert result.exit_code == 0 and "export" in result.output


# ---------------------------------------------------------- the report-quality template


def test_record_of_a_report_quality_review(cli, registry, tmp_path):
    from test_report_quality import complete as report_review

    rq = registry.get("scr-report-quality")
    path = tmp_path / "report.yaml"
    path.write_text(report_review(rq), encoding="utf-8")
    out = tmp_path / "report.docx"
    result = cli("export", path, "-o", out)
    assert result.exit_code == 0, result.output
    document = docx.Document(str(out))
    found = texts(document)
    for m in rq.markers:
        assert f"{m.id} {m.title}" in styled(document, "Heading 2")
        for q in m.questions:
            assert q.text in found
    # the item that records facts takes no rating, and says so; typed answers read as what they are
    assert "Takes no rating" in found
    assert {"Significant Incident Learning Process (SILP)", "10 January 2025", "48 pages"} <= found
    interval = rq.header.intervals[0]
    assert f"{interval.text} 10.7 months (from RQ1 question 2 to RQ1 question 4)" in found
    assert rq.header.questions_label in found
    assert fills(document)["Good"] == {rq.rating("good").fill.upper()}


def test_summary_of_report_quality_reviews_has_figures_and_choices(cli, registry, tmp_path):
    from test_report_quality import complete as report_review

    rq = registry.get("scr-report-quality")
    d = tmp_path / "reports"
    d.mkdir()
    for n, pages in enumerate((48, 60, 90), start=1):
        text = report_review(rq, {("RQ2", 2): pages}).replace('title: "Child E"', f'title: "Child E{n}"')
        (d / f"r{n}.yaml").write_text(text, encoding="utf-8")
    out = tmp_path / "summary.docx"
    result = cli("export", d, "-o", out)
    assert result.exit_code == 0, result.output
    document = docx.Document(str(out))
    assert {"Figures", "Choices"} <= set(styled(document, "Heading 1"))
    figures = next(t for t in document.tables if t.rows[0].cells[0].text == "Figure")
    pages = next(r for r in figures.rows if r.cells[0].text.startswith("RQ2 q2"))
    assert [c.text for c in pages.cells[1:]] == ["3", "66", "60", "48", "90"]
    choices = next(t for t in document.tables if t.rows[0].cells[0].text == "Answer")
    silp = next(r for r in choices.rows if r.cells[0].text == "Significant Incident Learning Process (SILP)")
    assert silp.cells[1].text == "3"
    matrix = next(t for t in document.tables if t.rows[0].cells[-1].text.startswith("3\n"))
    assert "RQ1" not in [r.cells[0].text for r in matrix.rows]  # takes no rating
