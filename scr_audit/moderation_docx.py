"""The moderation record in Word, for the panel's meeting and the Board's minutes.

Built with python-docx on Word's own Title, Heading and table styles, so the navigation
pane and a table of contents work in Word and LibreOffice alike. Protective marking in
header and footer, "Page X of Y" from Word's PAGE and NUMPAGES fields. Every piece of
text from the review files passes through `clean`, because XML cannot hold most control
characters and a file Word has to repair is a file a Board cannot trust.

Self-contained on purpose: the house-style helpers of the audit record (`export`) are
being written in parallel; this module's small helpers (`_shade`, `_field`, `_table`,
`_marking`) are the ones to point at them when they land.
"""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path
from typing import Any, Optional, Sequence

from docx import Document
from docx.enum.table import WD_ROW_HEIGHT_RULE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from scr_audit import __version__
from scr_audit.agreement import BANDS_SOURCE, HIGH_CHANCE, band
from scr_audit.moderation import DIFFER, OPEN, PARTIAL, Comparison, Measure, Point, Position
from scr_audit.moderation_render import HIGH_CHANCE_NOTE, high_chance, left_out_text, plural, share

DEFAULT_MARKING = "OFFICIAL-SENSITIVE"
TABLE_STYLE = "Table Grid"
#: Shading of the rows the panel has to settle (not a rating colour: this record marks
#: disagreement, not quality).
MARGIN_CM = 2.54
TEXT_WIDTH_CM = 21.0 - 2 * MARGIN_CM
POSITION_WIDTHS = [3.2, 3.0, TEXT_WIDTH_CM - 6.2]
OUTCOME_HEIGHT_CM = 1.6
SIGN_HEIGHT_CM = 1.0
DIFFER_FILL = "F4B183"
PARTIAL_FILL = "FFE699"
HEADER_FILL = "D9E2F3"

# XML 1.0 allows tab, newline, carriage return and most of the rest of Unicode; nothing else.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def clean(text: Any) -> str:
    """Text Word can hold: characters XML 1.0 forbids are dropped."""
    return _NOT_XML.sub("", "" if text is None else str(text))


def build(comp: Comparison, *, marking: Optional[str] = DEFAULT_MARKING, today: date) -> bytes:
    """The moderation record as .docx bytes (the caller writes them atomically)."""
    doc = Document()
    _page(doc)
    item = comp.mset.header.item_name
    title = f"Moderation record: {comp.title}"
    props = doc.core_properties
    props.title = clean(title)
    props.subject = clean(f"{comp.mset.title}: moderation of {len(comp.assessments)} assessments")
    props.author = "scr-audit"
    props.keywords = "moderation; serious case review; quality markers"
    props.comments = f"Made by scr-audit {__version__} compare on {today.isoformat()}."
    if marking:
        props.category = clean(marking)
    _header_footer(doc, title, marking)

    doc.add_paragraph(clean(title), style="Title")
    doc.add_paragraph(
        clean(
            f"How far the panel's independent assessments of {comp.title} agree, and the points the panel has to "
            f"settle. Made by scr-audit compare on {today.isoformat()}. Nothing here settles a disagreement: the agreed "
            "outcome of each point is for the panel to record below."
        )
    )
    _details(doc, comp, today)

    doc.add_heading("Agreement", level=1)
    _agreement(doc, comp)

    doc.add_heading(clean(f"Ratings by {item}"), level=1)
    _ratings_table(doc, comp)

    doc.add_heading("Points to settle", level=1)
    _points(doc, comp)

    differing = [d for d in comp.details if d.status == DIFFER]
    if differing:
        doc.add_heading("Review details that differ", level=1)
        t = _table(doc, ["Detail", *comp.names], _share([3.5], len(comp.names)))
        for d in differing:
            _row(t, [d.name, *[p.label for p in d.positions]])

    doc.add_heading("Sign-off", level=1)
    doc.add_paragraph("The panel agrees the outcomes recorded above.")
    t = _table(doc, ["Name", "Role", "Signature", "Date"], [4.5, 3.5, 5.0, 3.0])
    for name in [*comp.names, ""]:
        _row(t, [name, "Assessor" if name else "Chair of the panel", "", ""], height_cm=SIGN_HEIGHT_CM)

    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


# ------------------------------------------------------------------------------ sections


def _details(doc: Any, comp: Comparison, today: date) -> None:
    first = comp.assessments[0].review.review
    src = comp.mset.header.source
    rows = [
        ("Review", first.title),
        ("Partnership", first.partnership or "-"),
        ("Stage", first.stage or "-"),
        ("Marker set", f"{comp.mset.title}, version {comp.mset.version}"),
        ("Source", src.citation()),
        ("Assessments compared", "\n".join(f"{a.name} ({Path(a.path).name})" for a in comp.assessments)),
        ("Compared on", today.isoformat()),
    ]
    if comp.warnings:
        rows.append(("Warnings", "\n".join(comp.warnings)))
    t = _table(doc, None, [4.5, 11.5])
    for label, value in rows:
        cells = _row(t, [label, value])
        _bold(cells[0])


def _figure_cell(m: Optional[Measure]) -> str:
    if m is None:
        return "-"
    s = m.stat
    if s.value is None:
        return f"Not computed: {s.reason}."
    if m.key == "percent-agreement":
        return f"{100 * s.value:.1f}% ({round(s.value * s.items)} of {s.items})"
    text = f"{s.value:.2f} ({band(s.value)}), over {s.items}"
    if s.expected is not None and s.expected >= HIGH_CHANCE:
        text += f"; chance agreement {share(s.expected)} (see note)"
    return text


def _agreement(doc: Any, comp: Comparison) -> None:
    r, a = comp.ratings, comp.answers
    t = _table(doc, ["Figure", f"Ratings ({plural(r.total, r.noun)})", f"Answers ({plural(a.total, a.noun)})"], [4.5, 5.75, 5.75])
    answers = {m.key: m for m in a.measures}
    for m in r.measures:
        _row(t, [m.name, _figure_cell(m), _figure_cell(answers.get(m.key))])
    if high_chance(r) or high_chance(a):
        p = doc.add_paragraph()
        p.add_run("Note: ").bold = True
        p.add_run(f"where chance agreement is {HIGH_CHANCE:.2f} or more: {HIGH_CHANCE_NOTE}")
    for summary in (r, a):
        notes = []
        for m in summary.measures:
            if m.left_out:
                notes.append(f"{m.name}: {left_out_text(m.left_out)}")
        if notes:
            p = doc.add_paragraph()
            p.add_run(f"Left out of the figures on {summary.subject}: ").bold = True
            p.add_run(clean("; ".join(notes) + "."))
    doc.add_paragraph(
        "Percentage agreement is the share of points on which every assessor gave the same value. Kappa "
        "corrects it for the agreement expected by chance: 1 is complete agreement, 0 is no better than chance, "
        "below 0 worse than chance. "
        + ("Cohen's kappa compares two assessors; the weighted kappa counts a near miss (met against partly met) "
           "as half an agreement. " if len(comp.assessments) == 2 else "Fleiss' kappa compares three or more assessors. ")
        + f"The words beside each kappa are from {BANDS_SOURCE}. A kappa is not computed when too few points were "
        "compared, or when everyone gave every point the same value (agreement by chance is then 100%)."
    )


def _ratings_table(doc: Any, comp: Comparison) -> None:
    item = comp.mset.header.item_name
    widths = [2.2, 4.3, *[(TEXT_WIDTH_CM - 2.2 - 4.3 - 2.8) / len(comp.names)] * len(comp.names), 2.8]
    t = _table(doc, [item if len(item) <= 8 else "Marker", "Title", *comp.names, "Agreement"], widths)
    for mc in comp.markers:
        if not mc.marker.rated:
            continue
        point = mc.rating
        status = point.status
        mark = {DIFFER: "Differs", PARTIAL: f"Not rated by {', '.join(point.missing)}", OPEN: "Not rated"}.get(status, "Agreed")
        cells = _row(t, [mc.marker.id, mc.marker.title, *[p.label if p.given else "-" for p in point.positions], mark])
        fill = DIFFER_FILL if status == DIFFER else PARTIAL_FILL if status == PARTIAL else None
        if fill:
            for cell in cells:
                _shade(cell, fill)
            _bold(cells[-1])
    p = doc.add_paragraph()
    p.add_run("Shaded: ").bold = True
    p.add_run("the assessors gave different ratings (darker) or only some of them rated the marker (lighter).")


def _points(doc: Any, comp: Comparison) -> None:
    settle = [mc for mc in comp.markers if mc.to_settle]
    if not settle:
        doc.add_paragraph("Nothing to settle: every rating and answer given by one assessor was given the same by all.")
        return
    for mc in settle:
        doc.add_heading(clean(f"{mc.marker.id} {mc.marker.title}"), level=2)
        if mc.marker.statement:
            p = doc.add_paragraph()
            p.add_run(f"{comp.mset.header.statement_label}: ").bold = True
            p.add_run(clean(mc.marker.statement)).italic = True
        if mc.rating.status in (DIFFER, PARTIAL):
            _point_heading(doc, "Rating", mc.rating)
            t = _table(doc, ["Assessor", "Rating", "Rationale"], POSITION_WIDTHS)
            for pos in mc.rating.positions:
                _row(t, _position_cells(pos))
        for point in mc.answers_to_settle:
            q = point.question
            assert q is not None
            _point_heading(doc, f"Question {q.number}: {q.text}", point)
            t = _table(doc, ["Assessor", "Answer", "Evidence"], POSITION_WIDTHS)
            for pos in point.positions:
                _row(t, _position_cells(pos))
        outcome = doc.add_paragraph()
        outcome.paragraph_format.space_before = Pt(8)
        outcome.paragraph_format.keep_with_next = True
        outcome.add_run("Agreed outcome").bold = True
        t = _table(doc, None, [4.5, 11.5])
        rows = ["Agreed rating"] if mc.rating.status in (DIFFER, PARTIAL) else []
        rows += [f"Agreed answer to question {p.question.number}" for p in mc.answers_to_settle if p.question]
        rows += ["Reasons", "Actions"]
        for label in rows:
            _bold(_row(t, [label, ""], height_cm=OUTCOME_HEIGHT_CM)[0])


def _point_heading(doc: Any, text: str, point: Point) -> None:
    why = "the assessors differ" if point.status == DIFFER else f"not given by {', '.join(point.missing)}"
    p = doc.add_paragraph()
    p.paragraph_format.space_before = Pt(8)
    p.paragraph_format.keep_with_next = True
    p.add_run(clean(text)).bold = True
    p.add_run(clean(f" ({why})"))


def _position_cells(pos: Position) -> list[str]:
    return [pos.assessor, pos.label if pos.given else f"({pos.label})", pos.note or "-"]


# ----------------------------------------------------------------------- house style


def _page(doc: Any) -> None:
    """A4 with 2.54 cm margins: the paper these records are printed on."""
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(MARGIN_CM))


def _share(fixed: list[float], n: int) -> list[float]:
    """Fixed column widths, then `n` columns sharing the rest of the text width."""
    return [*fixed, *[(TEXT_WIDTH_CM - sum(fixed)) / n] * n]


def _table(doc: Any, headers: Optional[Sequence[str]], widths_cm: Sequence[float]) -> Any:
    """A table in the built-in style, columns `widths_cm` wide; a header row, repeated
    on every page, if given. Widths go on the grid and on every cell, as Word and
    LibreOffice each read a different one."""

    t = doc.add_table(rows=0, cols=len(widths_cm))
    t.style = doc.styles[TABLE_STYLE]
    t.autofit = False
    for column, width in zip(t.columns, widths_cm):
        column.width = Cm(width)
    if headers:
        cells = _row(t, headers)
        for cell in cells:
            _bold(cell)
            _shade(cell, HEADER_FILL)
        tr_pr = t.rows[0]._tr.get_or_add_trPr()
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        tr_pr.append(repeat)
    return t


def _row(t: Any, values: Sequence[Any], *, height_cm: Optional[float] = None) -> list[Any]:
    """A row of text cells; `height_cm` leaves at least that much room to write by hand."""
    row = t.add_row()
    if height_cm is not None:
        row.height = Cm(height_cm)
        row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
    for cell, value, column in zip(row.cells, values, t.columns):
        cell.text = clean(value)
        cell.width = column.width
    return list(row.cells)


def _bold(cell: Any) -> None:
    for paragraph in cell.paragraphs:
        for run in paragraph.runs:
            run.bold = True


def _shade(cell: Any, fill: str) -> None:

    tc_pr = cell._tc.get_or_add_tcPr()
    for old in tc_pr.findall(qn("w:shd")):
        tc_pr.remove(old)
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tc_pr.append(shd)


def _field(paragraph: Any, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word and LibreOffice fill in when they lay out."""

    def fld_char(kind: str) -> Any:
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        return el

    paragraph.add_run()._r.append(fld_char("begin"))
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    paragraph.add_run()._r.append(instr)
    paragraph.add_run()._r.append(fld_char("separate"))
    paragraph.add_run("1")
    paragraph.add_run()._r.append(fld_char("end"))


def _marking(paragraph: Any, marking: str) -> None:

    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(clean(marking))
    run.bold = True


def _header_footer(doc: Any, title: str, marking: Optional[str]) -> None:

    section = doc.sections[0]
    header = section.header
    first = header.paragraphs[0]
    if marking:
        _marking(first, marking)
        line = header.add_paragraph()
    else:
        line = first
    line.alignment = WD_ALIGN_PARAGRAPH.CENTER
    line.add_run(clean(title))

    footer = section.footer
    page = footer.paragraphs[0]
    page.alignment = WD_ALIGN_PARAGRAPH.CENTER
    page.add_run("Page ")
    _field(page, "PAGE")
    page.add_run(" of ")
    _field(page, "NUMPAGES")
    if marking:
        _marking(footer.add_paragraph(), marking)
