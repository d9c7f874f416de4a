"""The summary record of many reviews: how they do across the markers, for a Board meeting.

The kind of paper a business manager takes to the Board, and the kind of table a national
analysis draws: what the reviews are and how each scores (each review counted once, however
many assessment files it has: `grouping` decides, exactly as `summary` does); which markers
the reviews most often fail to meet, ranked, with percentages; a chart of the ratings per
marker, readable in greyscale; a marker-by-review matrix; every action across the reviews,
overdue first; and a flag on each review with open errors or personal data.

It is all on portrait pages with no forced page breaks, so no page is left half empty: the
matrix is split into as many tables as the reviews need for a column never to be too
narrow to read. Each section is one function in SECTIONS.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Optional, Sequence

from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Length, Pt

from scr_audit import __version__, actions, display, grouping, scoring
from scr_audit.markers import MarkerSet, Registry
from scr_audit.records.chart import MarkerTally, ratings_chart
from scr_audit.records.style import (
    ATTENTION_FILL,
    MUTED,
    SMALL_SIZE,
    Column,
    Contents,
    Furniture,
    add_row,
    cell_text,
    decision_table,
    group_row,
    heading,
    key_value_table,
    label_value,
    new_document,
    one_line,
    paragraph,
    picture,
    rating_cell,
    set_properties,
    shade,
    shorten,
    signature_table,
    table,
    update_fields_on_open,
)
from scr_audit.results import Score
from scr_audit.summary import ChoiceStats, FigureStats, summarise
from scr_audit.validation import plural

if TYPE_CHECKING:
    from scr_audit.export import ExportOptions, Reviewed

RIGHT = WD_ALIGN_PARAGRAPH.RIGHT
CENTER = WD_ALIGN_PARAGRAPH.CENTER
#: Narrowest review column in the matrix: "Not applicable" in 9pt on two lines.
MIN_REVIEW_COLUMN = Cm(1.9)
MAX_REVIEW_COLUMN = Cm(3.2)
PORTRAIT_WIDTH = Cm(17.0)
ID_COLUMN = Cm(1.5)
NO_OWNER = "No owner named"
NO_DUE = "No due date set"


@dataclass
class Counted:
    """One review as the summary counts it: its files, and the figures that stand for it."""

    number: int
    group: grouping.ReviewGroup["Reviewed"]
    ratings: dict[str, Optional[str]]
    score: Score
    actions: list[actions.ActionRow]

    @property
    def first(self) -> "Reviewed":
        return self.group.first

    @property
    def title(self) -> str:
        return self.first.review.review.title

    @property
    def errors(self) -> int:
        return sum(r.report.errors for r in self.group.members)

    @property
    def personal_data(self) -> int:
        return sum(r.personal_data for r in self.group.members)


def count_reviews(reviews: Sequence["Reviewed"], options: "ExportOptions") -> list[Counted]:
    """The reviews among the files, each counted once, with the figures that stand for it."""
    from scr_audit.export import review_groups

    mset = reviews[0].mset
    out = []
    for n, group in enumerate(review_groups(reviews), start=1):
        ratings = group.ratings(mset, lambda r: r.report.ratings)
        per_file = [actions.rows_for(r.review, r.mset, r.name, as_of=options.judged_at) for r in _agreed_first(group)]
        out.append(
            Counted(n, group, ratings, scoring.score_ratings(mset, ratings.values()), actions.merge_files(per_file))
        )
    return out


def _agreed_first(group: grouping.ReviewGroup["Reviewed"]) -> list["Reviewed"]:
    return ([group.agreed] if group.agreed is not None else []) + [m for m in group.members if m is not group.agreed]


class SummaryRecord:
    def __init__(self, reviews: Sequence["Reviewed"], options: "ExportOptions", registry: Registry, left_out: Sequence[str]) -> None:
        self.files = list(reviews)
        self.options = options
        self.registry = registry
        self.left_out = list(left_out)
        self.mset: MarkerSet = reviews[0].mset
        self.counted = count_reviews(reviews, options)
        self.as_of = options.judged_at
        self.tallies = [
            MarkerTally(
                m.id,
                m.title,
                (s := scoring.score_ratings(self.mset, [c.ratings.get(m.id) for c in self.counted])).counts,
                s.unrated,
            )
            for m in self.mset.rated_markers
        ]

    @property
    def items(self) -> str:
        return self.mset.header.item_name + "s"

    def title(self) -> str:
        return f"Summary of {plural(len(self.counted), 'review')}"

    # ------------------------------------------------------------------ opening

    def opening(self, doc: Document) -> None:
        mset, options = self.mset, self.options
        heading(doc, self.title(), 0)
        paragraph(doc, f"Audit summary: {mset.title}", style="Subtitle")
        from scr_audit.export import PURPOSES

        last = None
        for label, value in (
            ("Meeting", options.meeting),
            ("Date of meeting", display.long_date(options.meeting_date) or None),
            ("Agenda item", options.agenda_item),
            ("Author", options.author),
            ("Purpose", PURPOSES.get(options.purpose or "")),
        ):
            if value:
                last = label_value(doc, label, value)
                last.paragraph_format.space_after = 0
        if last is not None:
            last.paragraph_format.space_after = Pt(6)  # room before the table that follows
        partnerships = sorted({r.review.review.partnership for r in self.files if r.review.review.partnership})
        files = len(self.files)
        rows: list[tuple[str, object]] = [
            ("Reviews", f"{len(self.counted)}, from {plural(files, 'review file')}, listed below" if files != len(self.counted) else f"{files}, listed below"),
            ("Partnerships", "; ".join(partnerships) or "not recorded"),
            ("Marker set", f"{mset.title}, version {mset.version}"),
            ("Source", mset.header.source.citation()),
        ]
        if self.left_out:
            rows.append(("Left out", f"{', '.join(self.left_out)}: could not be read as review files (run scr-audit check on them)"))
        rows.append(("Actions judged at", display.long_date(self.as_of)))
        rows.append(("Generated", f"{display.long_date(options.generated)} by scr-audit {__version__}"))
        key_value_table(
            doc, rows, header=("Detail", "Recorded"), caption="About this record",
            description="Which reviews this record summarises, against which standard, and when it was made.",
        )  # fmt: skip
        self.at_a_glance(doc)

    def at_a_glance(self, doc: Document) -> None:
        heading(doc, "At a glance", 1)
        scores = [c.score.percent for c in self.counted if c.score.percent is not None]
        mean = f"{statistics.fmean(scores):.0f}%" if scores else "no score yet"
        label_value(doc, "Mean score", f"{mean} across the {plural(len(scores), 'review')} with a score (of {len(self.counted)} counted).")
        ranked = self.ranked()
        top = [f"{t.id} {t.title} ({share:.0f}%)" for t, share, _, _ in ranked[:3] if share > 0]
        label_value(doc, f"{self.items} most often not met or partly met", "; ".join(top) + "." if top else "none.")
        rows = [r for c in self.counted for r in c.actions]
        overdue = sum(1 for r in rows if r.overdue)
        label_value(doc, "Actions", f"{plural(len(rows), 'action')} across the reviews, {overdue} overdue as at {display.long_date(self.as_of)}.")
        flagged = [c for c in self.counted if c.errors or c.personal_data]
        label_value(doc, "Flagged", f"{plural(len(flagged), 'review')} with open errors or personal data (see the reviews table)." if flagged else "no review has open errors or personal data.")
        moderated = [c for c in self.counted if c.group.standing == grouping.NOT_MODERATED]
        if moderated:
            label_value(
                doc,
                "Not yet moderated",
                f"{plural(len(moderated), 'review')} with several assessments and no agreed one; for these, {grouping.RULE_TEXT}.",
            )

    # ---------------------------------------------------------------- sections

    def reviews_table(self, doc: Document, contents: Contents) -> None:
        contents.heading(doc, "Reviews", 1)
        tbl = table(
            doc,
            [
                Column("No.", Cm(0.9), RIGHT),
                Column("Review", Cm(5.6)),
                Column("Stage", Cm(2.2)),
                Column("Rated", Cm(1.5), RIGHT),
                Column("Not rated", Cm(1.6), RIGHT),
                Column("Score", Cm(1.4), RIGHT),
                Column("Flags", Cm(3.8)),
            ],
            caption="Reviews",
            description="Each review counted once, numbered, with its stage, how many markers are rated and not rated, "
            "its score, and a flag where a file of it has open errors or personal data; then the mean score.",
        )
        for c in self.counted:
            cells = add_row(tbl, [c.number, None, (c.first.review.review.stage or "not recorded").capitalize(), c.score.rated, c.score.unrated, c.score.describe(), None])
            cell_text(cells[1], c.title, bold=True)
            names = ", ".join(r.name for r in c.group.members)
            cell_text(cells[1], names, size=SMALL_SIZE, colour=MUTED)
            if len(c.group.members) > 1:
                cell_text(cells[1], f"{plural(len(c.group.members), 'file')}: {grouping.STANDING_LABELS[c.group.standing].lower()}", size=SMALL_SIZE)
            flags = []
            if c.errors:
                flags.append(f"{plural(c.errors, 'error')} open")
            if c.personal_data:
                flags.append(f"personal data ({c.personal_data})")
            if flags:
                cell_text(cells[6], "; ".join(flags), bold=True)
                shade(cells[6], ATTENTION_FILL)
            else:
                cell_text(cells[6], "none", italic=True, colour=MUTED)
        scores = [c.score.percent for c in self.counted if c.score.percent is not None]
        cells = add_row(tbl, [None] * 7)
        cell_text(cells[1], f"Mean of the {plural(len(scores), 'review')} with a score", bold=True)
        cell_text(cells[5], f"{statistics.fmean(scores):.0f}%" if scores else "no score", bold=True)
        note = "A review's score is the mean of its rating scores; the mean score is the mean of the reviews' scores, each review counted once."
        if self.mset.header.scoring_note:
            note += " " + self.mset.header.scoring_note
        paragraph(doc, note, style="Note")
        titles: dict[str, list[int]] = {}
        for c in self.counted:
            titles.setdefault(" ".join(c.title.split()).casefold(), []).append(c.number)
        for numbers in titles.values():
            if len(numbers) > 1:
                paragraph(
                    doc,
                    f"Reviews {', '.join(map(str, numbers))} share a title but differ in partnership or stage, so they are counted as "
                    "different reviews; if they are one review, make their partnership and stage the same.",
                    style="Note",
                )

    def ranked(self) -> list[tuple[MarkerTally, float, int, int]]:
        """Markers by the share of the reviews that rated them not met or partly met, highest first."""
        short = [r.id for r in self.mset.header.rating_scale if r.score is not None and r.score < max(x.score or 0 for x in self.mset.header.rating_scale)]
        out = []
        for t in self.tallies:
            scored = sum(t.counts.get(r.id, 0) for r in self.mset.header.rating_scale if r.score is not None)
            falling = sum(t.counts.get(rid, 0) for rid in short)
            out.append((t, 100.0 * falling / scored if scored else 0.0, falling, scored))
        order = {t.id: i for i, t in enumerate(self.tallies)}
        return sorted(out, key=lambda x: (-x[1], -x[2], order[x[0].id]))

    def ranking(self, doc: Document, contents: Contents) -> None:
        mset = self.mset
        short = [r for r in mset.header.rating_scale if r.score is not None and r.score < max(x.score or 0 for x in mset.header.rating_scale)]
        words = " or ".join(r.label.lower() for r in short)
        contents.heading(doc, f"{self.items} ranked", 1)
        paragraph(
            doc,
            f"Each {mset.header.item_name} by the share of the reviews that rated it {words}, highest first. The share is of "
            "the reviews that gave it a scored rating: not applicable and not rated are left out of it.",
        )
        tbl = table(
            doc,
            [Column("Rank", Cm(1.3), RIGHT), Column("ID", Cm(1.4)), Column(mset.header.item_name, Cm(6.1))]
            + [Column(r.label, Cm(1.9), RIGHT) for r in short]
            + [Column(f"Share {words}", Length(Cm(17.0 - 1.3 - 1.4 - 6.1 - 1.9 * len(short))))],
            caption=f"{self.items} ranked",
            description=f"Each {mset.header.item_name} ranked by the share of the reviews that rated it {words}, with the counts.",
        )
        for cell, r in zip(tbl.rows[0].cells[3:], short):
            shade(cell, r.fill)
        rank = 0
        previous: Optional[tuple[float, int]] = None
        for i, (t, share, falling, scored) in enumerate(self.ranked(), start=1):
            if previous != (round(share, 6), falling):
                rank = i
                previous = (round(share, 6), falling)
            add_row(tbl, [rank, t.id, t.title, *[t.counts.get(r.id, 0) for r in short], f"{share:.0f}% ({falling} of {scored})" if scored else "none rated"])

    def chart_and_counts(self, doc: Document, contents: Contents) -> None:
        mset = self.mset
        contents.heading(doc, f"Ratings per {mset.header.item_name}", 1)
        chart = ratings_chart(mset, self.tallies, len(self.counted))
        picture(doc, chart.png, Cm(chart.width_cm), alt_text=chart.alt_text, title=chart.title)
        paragraph(doc, f"Figure 1. {chart.title}. The fills, hatching and counts on each bar tell the ratings apart in black and white.", style="Note")
        scale = mset.header.rating_scale
        count = Cm(2.1)  # "Not applicable" in bold 9pt on two lines
        columns = [
            Column("ID", Cm(1.4)),
            Column(mset.header.item_name, Length(PORTRAIT_WIDTH - Cm(1.4) - Cm(1.6) - count * (len(scale) + 1))),
            Column("Score", Cm(1.6), RIGHT),
            *[Column(r.label, count, CENTER) for r in scale],
            Column("Not rated", count, CENTER),
        ]
        tbl = table(
            doc,
            columns,
            caption=f"Ratings per {mset.header.item_name}",
            description=f"How many of the reviews gave each {mset.header.item_name} each rating, and its mean score across them.",
        )
        for cell, r in zip(tbl.rows[0].cells[3:], scale):
            shade(cell, r.fill)
        for cluster in mset.clusters:
            markers = mset.markers_in(cluster.id, rated=True)
            if not markers:
                continue
            group_row(tbl, cluster.title)
            for m in markers:
                score = scoring.score_ratings(mset, [c.ratings.get(m.id) for c in self.counted])
                add_row(tbl, [m.id, m.title, score.describe(), *[score.counts.get(r.id, 0) for r in scale], score.unrated])
        paragraph(
            doc,
            f"Score: the mean of the reviews' rating scores for the {mset.header.item_name}; not applicable and "
            "unrated are left out, as in each review's score.",
            style="Note",
        )

    def matrix(self, doc: Document, contents: Contents) -> None:
        mset = self.mset
        contents.heading(doc, f"Ratings by {mset.header.item_name} and review", 1)
        room = PORTRAIT_WIDTH - ID_COLUMN
        per_table = max(1, int(room // MIN_REVIEW_COLUMN))
        counted = self.counted
        chunks = [counted[i : i + per_table] for i in range(0, len(counted), per_table)]
        for chunk in chunks:
            first, last = chunk[0].number, chunk[-1].number
            if len(chunks) > 1:
                heading(doc, f"Reviews {first} to {last} of {len(counted)}", 2)
            column = Length(min(MAX_REVIEW_COLUMN, room // len(chunk)))
            columns = [Column("ID", ID_COLUMN)]
            columns += [Column(f"{c.number}\n{shorten(one_line(c.title), 40)}", column, CENTER) for c in chunk]
            tbl = table(
                doc,
                columns,
                caption=f"Ratings by {mset.header.item_name} and review" + (f", reviews {first} to {last}" if len(chunks) > 1 else ""),
                description=f"Each review's rating of each {mset.header.item_name}; reviews numbered as in the reviews table.",
            )
            for cluster in mset.clusters:
                markers = mset.markers_in(cluster.id, rated=True)
                if not markers:
                    continue
                group_row(tbl, cluster.title)
                for m in markers:
                    cells = add_row(tbl, [m.id, *[None] * len(chunk)])
                    for cell, c in zip(cells[1:], chunk):
                        rid = c.ratings.get(m.id)
                        option = mset.rating(rid) if rid else None
                        if option is not None:
                            rating_cell(cell, option.label, option.fill)
                        else:
                            cell_text(cell, "Not rated", italic=True, colour=MUTED)
        paragraph(doc, "Reviews are numbered as in the reviews table. A rating is shaded in its fill from the marker set and always named.", style="Note")

    def action_rollup(self, doc: Document, contents: Contents) -> None:
        as_at = display.long_date(self.as_of)
        contents.heading(doc, f"Actions across the reviews as at {as_at}", 1)
        rows = actions.sort_rows([r for c in self.counted for r in c.actions])
        if not rows:
            paragraph(doc, "No improvement actions are recorded in these reviews.")
            return
        overdue = sum(1 for r in rows if r.overdue)
        paragraph(doc, f"{plural(len(rows), 'action')}, {overdue} overdue as at {as_at}: overdue first (the most overdue at the top), then by due date.")
        number = {id(r): c.number for c in self.counted for r in c.actions}
        tbl = table(
            doc,
            [
                Column("Review", Cm(2.6)),
                Column(self.mset.header.item_name, Cm(1.5)),
                Column("Action", Cm(6.0)),
                Column("Owner", Cm(2.7)),
                Column("Due", Cm(2.2)),
                Column("Status", Cm(2.0)),
            ],
            caption=f"Actions across the reviews as at {as_at}",
            description="Every improvement action in the reviews, overdue first, then by due date: the review, its marker, "
            "the action, its owner, due date and status. Overdue rows are shaded and say by how many days.",
        )
        for r in rows:
            cells = add_row(tbl, [f"{number.get(id(r), '')}. {r.review_title}", r.marker_id, r.action, r.owner or NO_OWNER, display.long_date(r.due) or NO_DUE, None])
            if r.overdue:
                cell_text(cells[5], f"Overdue by {plural(r.days_overdue or 0, 'day')}", bold=True)
                cell_text(cells[5], display.status(r.status))
                for cell in cells:
                    shade(cell, ATTENTION_FILL)
            else:
                cell_text(cells[5], display.status(r.status))

    def figures_and_choices(self, doc: Document, contents: Contents) -> None:
        stats = summarise([c.first.report for c in self.counted], self.registry).sets[0]
        if stats.figures:
            _figures(doc, contents, stats.figures)
        if stats.choices:
            _choices(doc, contents, stats.choices)

    def sign_off(self, doc: Document, contents: Contents) -> None:
        contents.heading(doc, "Sign-off", 1)
        heading(doc, "Prepared by", 2)
        signature_table(doc, [(self.options.author, None)], caption="Prepared by")
        heading(doc, "The Board's decision", 2)
        decision_table(doc)


#: The record after its opening and contents list, in order: a new section is one function here.
SECTIONS: list[Callable[[SummaryRecord, Document, Contents], None]] = [
    SummaryRecord.reviews_table,
    SummaryRecord.ranking,
    SummaryRecord.chart_and_counts,
    SummaryRecord.matrix,
    SummaryRecord.action_rollup,
    SummaryRecord.figures_and_choices,
    SummaryRecord.sign_off,
]


def build_summary(
    reviews: Sequence["Reviewed"], options: "ExportOptions", registry: Registry, *, left_out: Sequence[str] = ()
) -> Document:
    record = SummaryRecord(reviews, options, registry, left_out)
    mset, generated = record.mset, options.generated
    doc = new_document()
    Furniture(options.marking, f"{record.title()} · actions as at {display.long_date(record.as_of)} · generated {display.long_date(generated)}").apply(doc.sections[0])
    review_titles = "; ".join(c.title for c in record.counted)
    set_properties(
        doc,
        title=record.title(),
        subject=f"Reviews audited against the {mset.title} ({mset.version}): {review_titles}",
        author=options.author or "scr-audit",
        created=generated,
        keywords=f"{mset.title}; summary record",
        comments=f"Written by scr-audit {__version__} from {', '.join(r.name for r in reviews)}.",
        category=mset.title,
        status=options.marking or "",
    )
    record.opening(doc)
    paragraph(doc, "Contents", style="TOC Heading")
    contents = Contents(doc, levels=1)
    for section in SECTIONS:
        section(record, doc, contents)
    contents.finish()
    update_fields_on_open(doc)
    return doc


def _figures(doc: Document, contents: Contents, figures: Sequence[FigureStats]) -> None:
    """Numbers the set records rather than scores (pages, recommendations, months to publish)."""
    contents.heading(doc, "Figures", 1)
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
        caption="Figures",
        description="Each number the set records (pages, recommendations, months), across the reviews: how many give it, mean, median, lowest, highest.",
    )
    for f in figures:
        unit = f" ({f.figure.unit})" if f.figure.unit else ""
        shown = [display.number(round(v, 1)) if v is not None else "-" for v in (f.mean, f.median, f.low, f.high)]
        add_row(tbl, [f.figure.label + unit, f.values, *shown])


def _choices(doc: Document, contents: Contents, choices: Sequence[ChoiceStats]) -> None:
    """How often each option of a choice question was chosen (the review method, say)."""
    contents.heading(doc, "Choices", 1)
    tbl = table(
        doc,
        [Column("Answer", Cm(14.0)), Column("Reviews", Cm(3.0), RIGHT)],
        caption="Choices",
        description="How many reviews chose each answer to each choice question.",
    )
    for c in choices:
        group_row(tbl, c.label)
        for label, n in c.counts.items():
            add_row(tbl, [label, n])
        add_row(tbl, ["No answer", c.unanswered])

