"""The moderation record in Word, for the panel's meeting and the Board's minutes.

It is one of the tool's records, so it wears the house style of `records.style` like the
audit record: the same marking at the top and bottom of every page, the same title block,
headings, tables and safe text. What it holds is the panel's: how far the independent
assessments agree, the marker-by-assessor ratings with every disagreement shaded and
named, each disputed point with every assessor's words, room for the outcome the panel
agrees, and a sign-off. It shows no scores, so it needs no word about scoring.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Optional

from docx.document import Document
from docx.shared import Cm, Length
from docx.table import _Cell

from scr_audit import __version__, display
from scr_audit.agreement import BANDS_SOURCE, HIGH_CHANCE, band, shown
from scr_audit.records.style import (
    MUTED,
    Column,
    Furniture,
    add_row,
    add_text,
    cell_text,
    heading,
    key_value_table,
    label_value,
    new_document,
    new_section,
    paragraph,
    set_properties,
    shade,
    signature_table,
    spacer,
    table,
    text_width,
    title_block,
    to_bytes,
)
from scr_audit.moderation import DIFFER, OPEN, PARTIAL, TO_SETTLE, Comparison, Measure, Point, Position
from scr_audit.moderation_render import HIGH_CHANCE_NOTE, high_chance, left_out_text, share
from scr_audit.validation import plural

#: Shading of the rows the panel has to settle. Not a rating colour: this record marks
#: disagreement, not quality, and the Agreement column names what the shade means.
DIFFER_FILL = "F4B183"
PARTIAL_FILL = "FFE699"
#: Room to write an agreed outcome by hand.
OUTCOME_ROW = Cm(1.6)
#: The ratings table's ID, title and agreement columns; the assessors share the rest.
RATINGS_FIXED = (Cm(1.8), Cm(4.6), Cm(3.0))
#: Narrowest assessor column ("Partly met", a name, on two lines in 9pt); below it the
#: ratings table gets a landscape page.
MIN_ASSESSOR_COLUMN = Cm(1.9)


def build(comp: Comparison, *, marking: Optional[str], generated: datetime) -> bytes:
    """The moderation record as .docx bytes (the caller writes them atomically)."""
    mset = comp.mset
    doc = new_document()
    furniture = Furniture(marking, f"{comp.title} · moderation record · generated {display.long_date(generated)}")
    furniture.apply(doc.sections[0])
    assessors = list(dict.fromkeys(n for a in comp.assessments for n in a.review.review.assessors))
    set_properties(
        doc,
        title=record_title(comp),
        subject=f"Moderation of {plural(len(comp.assessments), 'assessment')} of {comp.title} against the {mset.title} ({mset.version})",
        author=display.names(assessors) if assessors else "scr-audit",
        created=generated,
        keywords=f"{mset.title}; moderation record; {comp.title}",
        comments=f"Written by scr-audit {__version__} compare from {', '.join(Path(a.path).name for a in comp.assessments)}.",
        category=mset.title,
        status=marking or "",
    )
    _title_block(doc, comp, generated)
    paragraph(
        doc,
        f"How far the panel's independent assessments of {comp.title} agree, and the points the panel has to settle. "
        "Nothing here settles a disagreement: the agreed outcome of each point is for the panel to record below.",
    )

    heading(doc, "Agreement", 1)
    _agreement(doc, comp)
    wide = _shares(doc, list(RATINGS_FIXED), len(comp.names))[-1] < MIN_ASSESSOR_COLUMN
    if wide:  # a large panel: a landscape page keeps every assessor's column readable
        new_section(doc, furniture, landscape=True)
    heading(doc, f"Ratings by {mset.header.item_name}", 1)
    _ratings_table(doc, comp)
    if wide:
        new_section(doc, furniture, landscape=False)
    heading(doc, "Points to settle", 1)
    _points(doc, comp)
    _details_that_differ(doc, comp)

    heading(doc, "Sign-off", 1)
    paragraph(doc, "The panel agrees the outcomes recorded above.").paragraph_format.keep_with_next = True
    signature_table(doc, [*[(name, "Assessor") for name in comp.names], (None, "Chair of the panel")])
    return to_bytes(doc)


def record_title(comp: Comparison) -> str:
    return f"Moderation record: {comp.title}"


def _title_block(doc: Document, comp: Comparison, generated: datetime) -> None:
    mset, first = comp.mset, comp.assessments[0].review.review
    rows: list[tuple[str, object]] = [
        ("Review", first.title),
        ("Partnership", first.partnership or "not recorded"),
        ("Stage", display.stage(first.stage)),
        ("Marker set", f"{mset.title}, version {mset.version}"),
        ("Source", mset.header.source.citation()),
        ("Assessments compared", "\n".join(f"{a.name} ({Path(a.path).name})" for a in comp.assessments)),
        ("Generated", f"{display.long_date(generated)} by scr-audit {__version__} (compare)"),
    ]
    if comp.warnings:
        rows.append(("Warnings", "\n".join(comp.warnings)))
    title_block(doc, record_title(comp), f"Moderation of {plural(len(comp.assessments), 'assessment')}: {mset.title}", rows)
    spacer(doc)


def _shares(doc: Document, fixed: list[Length], n: int) -> list[Length]:
    """Fixed column widths, then `n` columns sharing the rest of the text width."""
    rest = text_width(doc.sections[-1]) - sum(fixed)
    return [*fixed, *[Length(rest // n)] * n]


def _muted(cell: _Cell, text: str) -> None:
    """Text that says something is missing, set apart from what people wrote."""
    cell_text(cell, text, italic=True, colour=MUTED)


# --------------------------------------------------------------------------- agreement


def _figure_cell(m: Optional[Measure]) -> str:
    if m is None:
        return "-"
    s = m.stat
    if s.value is None:
        return f"Not computed: {s.reason}."
    if m.key == "percent-agreement":
        return f"{100 * s.value:.1f}% ({round(s.value * s.items)} of {s.items})"
    text = f"{shown(s.value)} ({band(s.value)}), over {s.items}"
    if s.expected is not None and s.expected >= HIGH_CHANCE:
        text += f"; chance agreement {share(s.expected)} (see note)"
    return text


def _agreement(doc: Document, comp: Comparison) -> None:
    r, a = comp.ratings, comp.answers
    figure, rest = Cm(4.5), _shares(doc, [Cm(4.5)], 2)[1:]
    tbl = table(
        doc,
        [
            Column("Figure", figure),
            Column(f"Ratings ({plural(r.total, r.noun)})", rest[0]),
            Column(f"Answers ({plural(a.total, a.noun)})", rest[1]),
        ],
    )
    answers = {m.key: m for m in a.measures}
    for m in r.measures:
        add_row(tbl, [m.name, _figure_cell(m), _figure_cell(answers.get(m.key))])
    if high_chance(r) or high_chance(a):
        label_value(doc, "Note", f"where chance agreement is {HIGH_CHANCE:.2f} or more: {HIGH_CHANCE_NOTE}").paragraph_format.space_before = Cm(0.2)
    for summary in (r, a):
        notes = [f"{m.name}: {left_out_text(m.left_out)}" for m in summary.measures if m.left_out]
        if notes:
            label_value(doc, f"Left out of the figures on {summary.subject}", "; ".join(notes) + ".")
    two = len(comp.assessments) == 2
    paragraph(
        doc,
        "Percentage agreement is the share of points on which every assessor gave the same value. Kappa "
        "corrects it for the agreement expected by chance: 1 is complete agreement, 0 is no better than chance, "
        "below 0 worse than chance. "
        + ("Cohen's kappa compares two assessors; the weighted kappa counts a near miss (met against partly met) "
           "as half an agreement. " if two else "Fleiss' kappa compares three or more assessors. ")
        + f"The words beside each kappa are from {BANDS_SOURCE}. A kappa is not computed when too few points were "
        "compared, or when everyone gave every point the same value (agreement by chance is then 100%).",
        style="Note",
    )  # fmt: skip


# ----------------------------------------------------------------------------- ratings


def _ratings_table(doc: Document, comp: Comparison) -> None:
    item = comp.mset.header.item_name
    widths = _shares(doc, list(RATINGS_FIXED), len(comp.names))
    columns = [Column(item if len(item) <= 8 else "Marker", widths[0]), Column("Title", widths[1])]
    columns += [Column(name, width) for name, width in zip(comp.names, widths[3:])]
    columns.append(Column("Agreement", widths[2]))
    tbl = table(doc, columns)
    for mc in comp.markers:
        if not mc.marker.rated:
            continue  # an item that records facts takes no rating
        point = mc.rating
        cells = add_row(tbl, [mc.marker.id, mc.marker.title, *[p.label if p.given else None for p in point.positions], None])
        for cell, p in zip(cells[2:-1], point.positions):
            if not p.given:
                _muted(cell, "Not rated")
        status = point.status
        mark = {DIFFER: "Differs", PARTIAL: f"Not rated by {', '.join(point.missing)}", OPEN: "Not rated"}.get(status, "Agreed")
        fill = DIFFER_FILL if status == DIFFER else PARTIAL_FILL if status == PARTIAL else None
        cell_text(cells[-1], mark, bold=fill is not None)
        if fill:
            for cell in cells:
                shade(cell, fill)
    paragraph(doc, "Shaded: the assessors gave different ratings (darker) or only some of them rated the marker (lighter).", style="Note")


# ---------------------------------------------------------------------- points to settle


def _points(doc: Document, comp: Comparison) -> None:
    settle = [mc for mc in comp.markers if mc.to_settle]
    if not settle:
        paragraph(doc, "Nothing to settle: every rating and answer given by one assessor was given the same by all.")
        return
    for mc in settle:
        heading(doc, f"{mc.marker.id} {mc.marker.title}", 2)
        if mc.marker.statement:
            label_value(doc, comp.mset.header.statement_label, mc.marker.statement).paragraph_format.keep_with_next = True
        outcome = []
        if mc.rating.status in TO_SETTLE:
            _point(doc, "Rating", mc.rating, ("Rating", "Rationale"))
            outcome.append("Agreed rating")
        for point in mc.answers_to_settle:
            q = point.question
            assert q is not None
            _point(doc, f"Question {q.number}: {q.text}", point, ("Answer", "Evidence"))
            outcome.append(f"Agreed answer to question {q.number}")
        par = paragraph(doc, "Agreed outcome", bold=True)
        par.paragraph_format.space_before = Cm(0.3)
        par.paragraph_format.keep_with_next = True
        key_value_table(doc, [(label, None) for label in [*outcome, "Reasons", "Actions"]], min_height=OUTCOME_ROW)


def _point(doc: Document, text: str, point: Point, headers: tuple[str, str]) -> None:
    """One disputed point: what was asked, why it is open, and every assessor's position."""
    verb = "rated" if point.question is None else "answered"
    why = "the assessors differ" if point.status == DIFFER else f"not {verb} by {', '.join(point.missing)}"
    par = paragraph(doc, text, bold=True)
    add_text(par, f" ({why})")
    par.paragraph_format.space_before = Cm(0.3)
    par.paragraph_format.keep_with_next = True
    tbl = table(doc, _columns(doc, ["Assessor", *headers], [Cm(3.2), Cm(3.0)]))
    for pos in point.positions:
        _position(add_row(tbl, [pos.assessor, None, None]), pos)


def _columns(doc: Document, headers: list[str], fixed: list[Length]) -> list[Column]:
    return [Column(h, w) for h, w in zip(headers, _shares(doc, fixed, len(headers) - len(fixed)))]


def _position(cells: list[_Cell], pos: Position) -> None:
    if pos.given:
        cell_text(cells[1], pos.label)
    else:
        _muted(cells[1], pos.label.capitalize())
    if pos.note:
        cell_text(cells[2], pos.note)
    else:
        _muted(cells[2], "none recorded")


def _details_that_differ(doc: Document, comp: Comparison) -> None:
    differing = [d for d in comp.details if d.status == DIFFER]
    if not differing:
        return
    heading(doc, "Review details that differ", 1)
    tbl = table(doc, _columns(doc, ["Detail", *comp.names], [Cm(3.5)]))
    for d in differing:
        add_row(tbl, [d.name, *[p.label for p in d.positions]])
