"""The summary record of many reviews: how they do across the markers.

The kind of table a national analysis draws: one row per review with its score; a
marker-by-review matrix of shaded ratings (on landscape pages, in as many tables as the
reviews need so that a column never becomes too narrow to read); and per marker how many
reviews met it, partly met it, did not, did not apply or are unrated.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Length

from scr_audit import __version__, display, scoring
from scr_audit.records.style import (
    MUTED,
    SMALL_SIZE,
    Column,
    Furniture,
    add_row,
    cell_text,
    group_row,
    heading,
    new_document,
    new_section,
    page_break_before,
    paragraph,
    rating_cell,
    set_properties,
    shade,
    spacer,
    table,
    text_width,
    title_block,
)
from scr_audit.markers import MarkerSet, Registry
from scr_audit.summary import ChoiceStats, FigureStats, summarise
from scr_audit.validation import plural

if TYPE_CHECKING:
    from scr_audit.export import ExportOptions, Reviewed

RIGHT = WD_ALIGN_PARAGRAPH.RIGHT
CENTER = WD_ALIGN_PARAGRAPH.CENTER
#: Narrowest review column in the matrix: "Not applicable" in 9pt on two lines.
MIN_REVIEW_COLUMN = Cm(1.9)
MAX_REVIEW_COLUMN = Cm(3.2)
#: A column counting one rating: "Not applicable" in bold 9pt on two lines.
COUNT_COLUMN = Cm(2.1)
PORTRAIT_WIDTH = Cm(17.0)


def _count_width(fixed: Length, columns: int, keep: Length = Cm(3.0)) -> Length:
    """Rating-count columns as wide as COUNT_COLUMN, narrower for a set with many ratings."""
    return Length(min(COUNT_COLUMN, (PORTRAIT_WIDTH - fixed - keep) // max(1, columns)))


def build_summary(
    reviews: Sequence["Reviewed"], options: "ExportOptions", registry: Registry, *, left_out: Sequence[str] = ()
) -> Document:
    mset = reviews[0].mset
    generated = options.generated
    title = f"Summary of {plural(len(reviews), 'review')}"
    doc = new_document()
    furniture = Furniture(options.marking, f"{title} · generated {display.long_date(generated)}")
    furniture.apply(doc.sections[0])
    review_titles = "; ".join(r.review.review.title for r in reviews)
    set_properties(
        doc,
        title=title,
        subject=f"Reviews audited against the {mset.title} ({mset.version}): {review_titles}",
        author="scr-audit",
        created=generated,
        keywords=f"{mset.title}; summary record",
        comments=f"Written by scr-audit {__version__} from {', '.join(r.name for r in reviews)}.",
        category=mset.title,
        status=options.marking or "",
    )
    partnerships = sorted({r.review.review.partnership for r in reviews if r.review.review.partnership})
    rows: list[tuple[str, object]] = [
        ("Reviews", f"{len(reviews)}, listed below"),
        ("Partnerships", "; ".join(partnerships) or "not recorded"),
        ("Marker set", f"{mset.title}, version {mset.version}"),
        ("Source", mset.header.source.citation()),
    ]
    if left_out:
        rows.append(("Left out", f"{', '.join(left_out)}: could not be read as review files (run scr-audit check on them)"))
    rows.append(("Generated", f"{display.long_date(generated)} by scr-audit {__version__}"))
    title_block(doc, title, f"Audit summary: {mset.title}", rows)
    spacer(doc)

    _reviews_table(doc, mset, reviews)
    new_section(doc, furniture, landscape=True)
    _matrix(doc, mset, reviews)
    new_section(doc, furniture, landscape=False)
    _per_marker(doc, mset, reviews)
    stats = summarise([r.report for r in reviews], registry).sets[0]
    if stats.figures:
        _figures(doc, stats.figures)
    if stats.choices:
        _choices(doc, stats.choices)
    return doc


def _reviews_table(doc: Document, mset: MarkerSet, reviews: Sequence["Reviewed"]) -> None:
    heading(doc, "Reviews", 1)
    scale = mset.header.rating_scale
    # "Not rated" is left to the Rated column, to leave the review's title room on a portrait page
    fixed = Cm(0.9 + 2.1 + 1.4 + 1.5)
    count = _count_width(fixed, len(scale))
    columns = [
        Column("No.", Cm(0.9), RIGHT),
        Column("Review", Length(PORTRAIT_WIDTH - fixed - count * len(scale))),
        Column("Stage", Cm(2.1)),
        Column("Score", Cm(1.4), RIGHT),
        Column("Rated", Cm(1.5), RIGHT),
        *[Column(r.label, count, CENTER) for r in scale],
    ]
    tbl = table(doc, columns)
    header = tbl.rows[0].cells
    for cell, r in zip(header[5:], scale):
        shade(cell, r.fill)
    for n, review in enumerate(reviews, start=1):
        score = review.report.score or scoring.score_ratings(mset, [])
        cells = add_row(
            tbl,
            [
                n,
                None,
                (review.review.review.stage or "not recorded").capitalize(),
                score.describe(),
                f"{score.rated}/{score.total}",
                *[score.counts.get(r.id, 0) for r in scale],
            ],
        )
        cell_text(cells[1], review.review.review.title, bold=True)
        cell_text(cells[1], review.name, size=SMALL_SIZE, colour=MUTED)
    if mset.header.scoring_note:
        paragraph(doc, mset.header.scoring_note, style="Note")


def _chunks(reviews: Sequence["Reviewed"], per_table: int) -> list[tuple[int, Sequence["Reviewed"]]]:
    return [(i, reviews[i : i + per_table]) for i in range(0, len(reviews), per_table)]


def _matrix(doc: Document, mset: MarkerSet, reviews: Sequence["Reviewed"]) -> None:
    heading(doc, f"Ratings by {mset.header.item_name} and review", 1)
    width = text_width(doc.sections[-1])
    id_width, title_width = Cm(1.5), Cm(5.5)
    room = width - id_width - title_width
    per_table = max(1, int(room // MIN_REVIEW_COLUMN))
    chunks = _chunks(reviews, per_table)
    for start, chunk in chunks:
        if len(chunks) > 1:
            par = paragraph(doc, f"Reviews {start + 1} to {start + len(chunk)} of {len(reviews)}", bold=True)
            if start:
                page_break_before(par)
        column = Length(min(MAX_REVIEW_COLUMN, room // len(chunk)))
        columns = [Column("ID", id_width), Column(mset.header.item_name, title_width)]
        columns += [Column(f"{start + i + 1}\n{r.review.review.title}", column, CENTER) for i, r in enumerate(chunk)]
        tbl = table(doc, columns)
        for cluster in mset.clusters:
            markers = mset.markers_in(cluster.id, rated=True)
            if not markers:
                continue
            group_row(tbl, cluster.title)
            for m in markers:
                cells = add_row(tbl, [m.id, m.title, *[None] * len(chunk)])
                for cell, review in zip(cells[2:], chunk):
                    rid = review.report.ratings.get(m.id)
                    option = mset.rating(rid) if rid else None
                    if option is not None:
                        rating_cell(cell, option.label, option.fill)
                    else:
                        cell_text(cell, "Not rated", italic=True, colour=MUTED)
        spacer(doc)
    paragraph(doc, "Reviews are numbered as in the table of reviews. A rating is shaded in its colour from the marker set.", style="Note")


def _per_marker(doc: Document, mset: MarkerSet, reviews: Sequence["Reviewed"]) -> None:
    heading(doc, f"Ratings per {mset.header.item_name}", 1)
    paragraph(doc, f"How many of the {plural(len(reviews), 'review')} gave each {mset.header.item_name} each rating.")
    scale = mset.header.rating_scale
    fixed = Cm(1.4 + 1.8)
    count = _count_width(fixed, len(scale) + 1)
    columns = [
        Column("ID", Cm(1.4)),
        Column(mset.header.item_name, Length(PORTRAIT_WIDTH - fixed - count * (len(scale) + 1))),
        Column("Score", Cm(1.8), RIGHT),
        *[Column(r.label, count, CENTER) for r in scale],
        Column("Not rated", count, CENTER),
    ]
    tbl = table(doc, columns)
    for cell, r in zip(tbl.rows[0].cells[3:], scale):
        shade(cell, r.fill)
    for cluster in mset.clusters:
        markers = mset.markers_in(cluster.id, rated=True)
        if not markers:
            continue
        group_row(tbl, cluster.title)
        for m in markers:
            score = scoring.score_ratings(mset, [r.report.ratings.get(m.id) for r in reviews])
            add_row(tbl, [m.id, m.title, score.describe(), *[score.counts.get(r.id, 0) for r in scale], score.unrated])
    paragraph(
        doc,
        f"Score: the mean of the reviews' rating scores for the {mset.header.item_name}; not applicable and "
        "unrated are left out, as in each review's score.",
        style="Note",
    )


def _figures(doc: Document, figures: Sequence[FigureStats]) -> None:
    """Numbers the set records rather than scores (pages, recommendations, months to publish)."""
    heading(doc, "Figures", 1)
    tbl = table(
        doc,
        [
            Column("Figure", Cm(7.0)),
            Column("Reviews", Cm(2.0), RIGHT),
            Column("Mean", Cm(2.0), RIGHT),
            Column("Median", Cm(2.0), RIGHT),
            Column("Lowest", Cm(2.0), RIGHT),
            Column("Highest", Cm(2.0), RIGHT),
        ],
    )
    for f in figures:
        unit = f" ({f.figure.unit})" if f.figure.unit else ""
        shown = [display.number(round(v, 1)) if v is not None else "-" for v in (f.mean, f.median, f.low, f.high)]
        add_row(tbl, [f.figure.label + unit, f.values, *shown])


def _choices(doc: Document, choices: Sequence[ChoiceStats]) -> None:
    """How often each option of a choice question was chosen (the review method, say)."""
    heading(doc, "Choices", 1)
    tbl = table(doc, [Column("Answer", Cm(14.0)), Column("Reviews", Cm(3.0), RIGHT)])
    for c in choices:
        group_row(tbl, c.label)
        for label, n in c.counts.items():
            add_row(tbl, [label, n])
        add_row(tbl, ["No answer", c.unanswered])
