"""The moderation record in Word, for the panel's meeting and the Board's minutes.

It is one of the tool's records, so it wears the house style of `records.style` like the
audit record: the same marking at the top and bottom of every page, the same title block,
headings, tables and safe text. What it holds is the panel's: page 1 lists every point to
settle, numbered, so the chair can take the meeting through them; then how far the
independent assessments agree, the marker-by-assessor ratings with every disagreement
shaded and named, each disputed point with every assessor's words (and a word where they
cite the same evidence yet answer differently), a form per marker for the outcome the panel
agrees (kept on one page, the options printed to tick), and a sign-off. It shows no
scores, so it needs no word about scoring.
"""

from __future__ import annotations

from dataclasses import dataclass
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
    cell_text,
    decision_table,
    heading,
    keep_together,
    key_value_table,
    label_value,
    new_document,
    new_section,
    paragraph,
    set_properties,
    shade,
    signature_table,
    table,
    text_width,
    title_block,
    to_bytes,
)
from scr_audit.moderation import DIFFER, OPEN, PARTIAL, TO_SETTLE, Comparison, MarkerComparison, Measure, Point, Position
from scr_audit.moderation_render import HIGH_CHANCE_NOTE, high_chance, left_out_text, share
from scr_audit.validation import plural

#: Shading of the rows the panel has to settle. Not a rating colour: this record marks
#: disagreement, not quality, and the Agreement column names what the shade means.
DIFFER_FILL = "F4B183"
PARTIAL_FILL = "FFE699"
#: Room to write an agreed outcome by hand.
OUTCOME_ROW = Cm(1.4)
#: A box to tick beside each option on the agreed-outcome form.
TICK_BOX = "☐"
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
    points = numbered_points(comp)
    heading(doc, "Points to settle", 1)
    _points_list(doc, comp, points)

    heading(doc, "Agreement", 1)
    _agreement(doc, comp)
    wide = _shares(doc, list(RATINGS_FIXED), len(comp.names))[-1] < MIN_ASSESSOR_COLUMN
    if wide:  # a large panel: a landscape page keeps every assessor's column readable
        new_section(doc, furniture, landscape=True)
    heading(doc, f"Ratings by {mset.header.item_name}", 1)
    _ratings_table(doc, comp)
    if wide:
        new_section(doc, furniture, landscape=False)
    if points:
        heading(doc, "Each point, and the outcome agreed", 1)
        paragraph(
            doc,
            f"Each {mset.header.item_name} with points to settle: every assessor's position on each point, then a form "
            "for the outcome the panel agrees. Nothing here settles a disagreement: the agreed outcome is for the panel to record.",
        )
        _points(doc, comp, points)
    _details_that_differ(doc, comp)

    heading(doc, "Sign-off", 1)
    paragraph(doc, "The panel agrees the outcomes recorded above.").paragraph_format.keep_with_next = True
    signature_table(doc, [*[(name, "Assessor") for name in comp.names], (None, "Chair of the panel")], caption="Panel sign-off")
    paragraph(doc, "For the Board: its decision on this record, and the date.").paragraph_format.keep_with_next = True
    decision_table(doc)
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
        caption="Agreement figures",
        description="How far the assessors agree on the ratings and on the answers: percentage agreement and kappa.",
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
    tbl = table(
        doc,
        columns,
        caption=f"Ratings by {item}",
        description=f"Each assessor's rating of every {item}; rows where the ratings differ, or only some assessors rated, are shaded and say so.",
    )
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


@dataclass(frozen=True)
class Numbered:
    """A point to settle with its number in the record (1, 2, 3... on page 1 and in its form)."""

    number: int
    marker: MarkerComparison
    point: Point

    @property
    def what(self) -> str:
        q = self.point.question
        return "rating" if q is None else f"question {q.number}"


def numbered_points(comp: Comparison) -> list[Numbered]:
    """Every point to settle, in the set's order: each marker's rating, then its answers."""
    out: list[Numbered] = []
    for mc in comp.markers:
        points = ([mc.rating] if mc.rating.status in TO_SETTLE else []) + list(mc.answers_to_settle)
        for point in points:
            out.append(Numbered(len(out) + 1, mc, point))
    return out


def same_evidence(point: Point) -> list[list[Position]]:
    """Groups of assessors who cite the same evidence (ignoring case and spacing) but answer differently.

    Only for answers: a rating's note is its rationale, which is an argument, not evidence.
    """
    if point.question is None:
        return []
    groups: dict[str, list[Position]] = {}
    for pos in point.positions:
        if pos.given and pos.note and pos.note.strip():
            groups.setdefault(" ".join(pos.note.lower().split()), []).append(pos)
    return [g for g in groups.values() if len(g) > 1 and len({p.key for p in g}) > 1]


def _positions_text(point: Point) -> str:
    return "; ".join(f"{p.assessor}: {p.label if p.given else ('not rated' if point.question is None else 'not answered')}" for p in point.positions)


def _points_list(doc: Document, comp: Comparison, points: list[Numbered]) -> None:
    """Page 1: how many points, and each one numbered, so the chair can take the panel through them."""
    item = comp.mset.header.item_name
    ratings = [n for n in points if n.point.question is None]
    answers = [n for n in points if n.point.question is not None]
    if not points:
        paragraph(doc, "Nothing to settle: every rating and answer given by one assessor was given the same by all.")
        return
    differ_r = sum(1 for n in ratings if n.point.status == DIFFER)
    differ_a = sum(1 for n in answers if n.point.status == DIFFER)
    parts = []
    if ratings:
        partial = len(ratings) - differ_r
        extra = f" ({differ_r} differ, {partial} rated by only some assessors)" if partial and differ_r else (" (rated by only some assessors)" if partial else "")
        parts.append(f"ratings on {plural(len(ratings), item)}{extra}")
    if answers:
        partial = len(answers) - differ_a
        extra = f" ({differ_a} differ, {partial} answered by only some assessors)" if partial and differ_a else (" (answered by only some assessors)" if partial else "")
        parts.append(f"answers on {plural(len(answers), 'question')}{extra}")
    paragraph(
        doc,
        f"{plural(len(points), 'point')} to settle: {' and '.join(parts)}. "
        "Each is set out below with every assessor's words, and a form for the agreed outcome.",
    )
    for n in points:
        mc, point = n.marker, n.point
        if point.question is None:
            text = f"{mc.marker.id} {mc.marker.title}: the rating ({_positions_text(point)})"
        else:
            text = f"{mc.marker.id} question {point.question.number}: the answer ({_positions_text(point)})"
        if same_evidence(point):
            text += "; the same evidence is cited for different answers"
        par = paragraph(doc, f"{n.number}.\t{text}.")
        fmt = par.paragraph_format
        fmt.left_indent, fmt.first_line_indent, fmt.space_after = Cm(0.8), Cm(-0.8), Cm(0.05)
        fmt.tab_stops.add_tab_stop(Cm(0.8))


def _points(doc: Document, comp: Comparison, points: list[Numbered]) -> None:
    by_marker: dict[str, list[Numbered]] = {}
    for n in points:
        by_marker.setdefault(n.marker.marker.id, []).append(n)
    for marker_points in by_marker.values():
        mc = marker_points[0].marker
        numbers = [str(n.number) for n in marker_points]
        heading(doc, f"{mc.marker.id} {mc.marker.title}", 2)
        if mc.marker.statement:
            label_value(doc, comp.mset.header.statement_label, f"“{mc.marker.statement}”").paragraph_format.keep_with_next = True
        for n in marker_points:
            if n.point.question is None:
                _point(doc, n, f"Point {n.number}: the rating", ("Rating", "Rationale"))
            else:
                _point(doc, n, f"Point {n.number}: question {n.point.question.number}", ("Answer", "Evidence"))
        _outcome_form(doc, comp, mc, marker_points, numbers)


def _options(comp: Comparison, n: Numbered) -> Optional[str]:
    """The options to tick for a point ("☐ Met ☐ Partly met ..."), or None to write by hand."""
    mset = comp.mset
    q = n.point.question
    if q is None:
        labels = [r.label for r in mset.header.rating_scale]
    elif q.type == "scale":
        stage = comp.assessments[0].review.review.stage
        labels = [a.label for a in mset.header.answer_scale if a.stages is None or stage in a.stages]
    elif q.type == "choice":
        labels = [o.label for o in q.options or ()]
    else:
        return None
    return "   ".join(f"{TICK_BOX} {label}" for label in labels)


def _outcome_form(doc: Document, comp: Comparison, mc: MarkerComparison, points: list[Numbered], numbers: list[str]) -> None:
    """The agreed-outcome form for one marker, kept whole on one page."""
    heading(doc, f"Agreed outcome for {mc.marker.id} (point{'s' if len(numbers) > 1 else ''} {', '.join(numbers)})", 3)
    rows: list[tuple[str, object]] = []
    for n in points:
        label = "Agreed rating" if n.point.question is None else f"Agreed answer to question {n.point.question.number}"
        rows.append((f"{label} (point {n.number})", _options(comp, n)))
    rows += [("Reasons", None), ("Actions", None)]
    tbl = key_value_table(
        doc,
        rows,
        (Cm(4.6), Cm(12.4)),
        header=("Point", "Agreed outcome"),
        caption=f"Agreed outcome for {mc.marker.id}",
        description=f"A form for the panel to record the agreed outcome of each point to settle on {mc.marker.id}: "
        "tick the agreed option, then the reasons and any actions.",
        min_height=OUTCOME_ROW,
    )
    keep_together(tbl)


def _point(doc: Document, n: Numbered, title: str, headers: tuple[str, str]) -> None:
    """One disputed point: what was asked, why it is open, and every assessor's position."""
    point = n.point
    verb = "rated" if point.question is None else "answered"
    why = "the assessors differ" if point.status == DIFFER else f"not {verb} by {', '.join(point.missing)}"
    heading(doc, f"{title} ({why})", 3)
    if point.question is not None:
        paragraph(doc, point.question.text).paragraph_format.keep_with_next = True
    tbl = table(
        doc,
        _columns(doc, ["Assessor", *headers], [Cm(3.2), Cm(3.0)]),
        caption=title,
        description=f"Each assessor's {headers[0].lower()} and {headers[1].lower()} on this point.",
    )
    for pos in point.positions:
        _position(add_row(tbl, [pos.assessor, None, None]), pos)
    keep_together(tbl)
    for group in same_evidence(point):
        who = " and ".join(p.assessor for p in group)
        answers = ", ".join(f"{p.assessor} {p.label}" for p in group)
        paragraph(doc, f"{who} cite the same evidence but answer differently ({answers}): the panel may need to agree what that evidence shows.", style="Note")


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
    tbl = table(
        doc,
        _columns(doc, ["Detail", *comp.names], [Cm(3.5)]),
        caption="Review details that differ",
        description="Each review detail (partnership, dates) the assessors' files give differently, as each gives it.",
    )
    for d in differing:
        add_row(tbl, [d.name, *[p.label for p in d.positions]])
