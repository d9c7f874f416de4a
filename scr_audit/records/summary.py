"""The summary record of many reviews: how they do across the markers, for a Board meeting.

The kind of paper a business manager takes to the Board, and the kind of table a national
analysis draws: what the reviews are and how each scores; which markers the reviews most
often fail to meet, ranked, with percentages; a chart of the ratings per marker, readable
in greyscale; a marker-by-review matrix; every action across the reviews, overdue first;
and a flag on each review with open errors or personal data.

Every figure in it is `scr-audit summary`'s own: the record renders `summary.summarise`'s
result (one `SetSummary` per stage, one `ReviewFigures` per review, counted once however
many files it has) and computes none of its own, so the Board paper and the spreadsheet
made from the same folder can never disagree. Like `summary`, it never pools stages: a
folder that mixes them gets a part per stage, each under a heading that names it, with
its own overall score, ranking, chart, counts, matrix, figures and choices. The action
list is `summary`'s and `actions`'s: each review's actions once.

It is all on portrait pages with no forced page breaks, so no page is left half empty: the
matrix is split into as many tables as the reviews need for a column never to be too
narrow to read. Each section is one function in PART_SECTIONS (once per stage) or
SECTIONS (once).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Optional, Sequence

from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Length, Pt
from docx.text.paragraph import Paragraph

from scr_audit import __version__, display, grouping
from scr_audit.actions import ActionRow
from scr_audit.markers import MarkerSet
from scr_audit.records.chart import MAX_ROWS, Drawer, MarkerTally, Scale, chart_title
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
    picture_paragraph,
    put_picture,
    rating_cell,
    set_properties,
    shade,
    shorten,
    signature_table,
    table,
    update_fields_on_open,
)
from scr_audit.stages import STAGE_LABELS, STAGES
from scr_audit.summary import ChoiceStats, FigureStats, ReviewFigures, SetSummary, Summary
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


def stage_label(stage: Optional[str]) -> str:
    """'End of the review': how a heading names a stage."""
    return STAGE_LABELS.get(stage or "", "Stage not recorded")


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


@dataclass
class Counted:
    """One review as `summary` counts it (its `ReviewFigures`), with the files read for it."""

    number: int
    figures: ReviewFigures
    #: every file of the review as `export` read it (cleaned, redacted if asked), in input order
    files: list["Reviewed"]

    @property
    def title(self) -> str:
        return self.figures.title

    @property
    def errors(self) -> int:
        """Errors as `summary` counts them: those of the files that stand for the review."""
        return self.figures.errors

    @property
    def personal_data(self) -> int:
        """Personal-data findings in any file of the review (its texts reach the record)."""
        return sum(r.personal_data for r in self.files)


@dataclass
class Part:
    """The reviews at one stage: one of `summary`'s `SetSummary`s, as the record shows it."""

    stats: SetSummary
    counted: list[Counted]
    #: its charts, as the record's drawer numbers them (asked for before any is placed)
    charts: list[int] = field(default_factory=list)

    @property
    def label(self) -> str:
        return stage_label(self.stats.stage)


@dataclass
class LeftOut:
    """A file given that the record does not use, and why, in words for the record."""

    name: str
    why: str


class SummaryRecord:
    def __init__(
        self,
        summary: Summary,
        reviewed: Sequence["Reviewed"],
        options: "ExportOptions",
        left_out: Sequence[LeftOut],
        other_stages: Sequence[LeftOut],
        drawer: Drawer,
    ) -> None:
        self.summary = summary
        self.options = options
        self.left_out = list(left_out)
        self.other_stages = list(other_stages)
        by_path = {r.report.path: r for r in reviewed}
        self.parts: list[Part] = []
        number = 0
        for s in summary.sets:
            counted = []
            for figures in s.reviews:
                number += 1
                counted.append(Counted(number, figures, [by_path[m.path] for m in figures.group.members]))
            self.parts.append(Part(s, counted))
        self.counted = [c for p in self.parts for c in p.counted]
        self.files = [r for c in self.counted for r in c.files]
        self.mset: MarkerSet = summary.sets[0].mset
        self.as_of = options.judged_at
        #: several stages: a part per stage, its sections one heading level down, each naming it
        self.staged = len(self.parts) > 1
        self.level = 2 if self.staged else 1
        self._figure = 0
        #: every chart the record holds, asked for now so that they are drawn while the
        #: tables are built (chart.Drawer); each part's, by index
        self.drawer = drawer
        for part in self.parts:
            tallies = [MarkerTally(t.id, t.title, t.score.counts, t.score.unrated) for t in part.stats.markers]
            chunks = [tallies[i : i + MAX_ROWS] for i in range(0, len(tallies), MAX_ROWS)]  # each under half a page
            requests = []
            for chunk in chunks:
                where = [_lower_first(part.label)] if self.staged else []
                if len(chunks) > 1:
                    where.append(f"{chunk[0].id} to {chunk[-1].id}")
                requests.append((Scale.of(self.mset), chunk, len(part.counted), ", ".join(where)))
            part.charts = drawer.submit(requests)
        self._pictures: list[tuple[Paragraph, int]] = []

    def put_charts(self) -> None:
        """Each chart into the paragraph kept for it: last, so the tables after a chart are
        built while it is drawn rather than after."""
        for par, index in self._pictures:
            chart = self.drawer.chart(index)
            put_picture(par, chart.png, Cm(chart.width_cm), alt_text=chart.alt_text, title=chart.title)

    @property
    def items(self) -> str:
        return self.mset.header.item_name + "s"

    def title(self) -> str:
        return f"Summary of {plural(len(self.counted), 'review')}"

    def named(self, part: Part, text: str) -> str:
        """A heading or caption of a part: with several stages, it says the stage."""
        return f"{text}: {_lower_first(part.label)}" if self.staged else text

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
        files, reviews = len(self.files), len(self.counted)
        rows: list[tuple[str, object]] = [
            ("Reviews", f"{reviews}, from {plural(files, 'review file')}, listed below" if files != reviews else f"{files}, listed below"),
        ]
        if self.staged:
            stages = "; ".join(f"{p.label}: {plural(len(p.counted), 'review')}" for p in self.parts)
            rows.append(("Stages", f"{stages}. Kept apart: each stage has its own figures below, never pooled."))
        else:
            rows.append(("Stage", self.parts[0].label))
        rows += [
            ("Partnerships", "; ".join(partnerships) or "not recorded"),
            ("Marker set", f"{mset.title}, version {mset.version}"),
            ("Source", mset.header.source.citation()),
        ]
        if self.left_out:
            listing = "; ".join(f"{f.name} ({f.why})" for f in self.left_out)
            rows.append(("Left out", f"{listing}: run scr-audit check on them"))
        if self.other_stages:
            asked = " or ".join(s for s in STAGES if s in self.summary.stages)
            listing = ", ".join(f"{f.name} ({f.why})" for f in self.other_stages)
            rows.append(("Left out for their stage", f"{listing}: only {asked} was asked for (--stage)"))
        rows.append(("Actions judged at", display.long_date(self.as_of)))
        rows.append(("Generated", f"{display.long_date(options.generated)} by scr-audit {__version__}"))
        key_value_table(
            doc, rows, header=("Detail", "Recorded"), caption="About this record",
            description="Which reviews this record summarises, at which stages, against which standard, and when it was made.",
        )  # fmt: skip
        self.at_a_glance(doc)

    def at_a_glance(self, doc: Document) -> None:
        heading(doc, "At a glance", 1)
        if self.staged:
            label_value(
                doc,
                "Stages",
                f"the reviews were assessed at {len(self.parts)} stages, which answer different questions, so every "
                "figure below is given stage by stage and none pools them.",
            )
        for part in self.parts:
            where = f" ({_lower_first(part.label)})" if self.staged else ""
            overall = part.stats.overall
            if overall is None or overall.percent is None:
                said = f"no score yet across {plural(len(part.counted), 'review')}."
            else:
                said = (
                    f"{overall.describe()} across {plural(len(part.counted), 'review')} "
                    f"(the mean of {plural(overall.scored, 'scored rating')}, each review counted once)."
                )
            label_value(doc, f"Overall score{where}", said)
            top = [f"{r.tally.id} {r.tally.title} ({r.share:.0f}%)" for r in part.stats.ranked()[:3] if r.share]
            label_value(doc, f"{self.items} most often {self.short_words()}{where}", "; ".join(top) + "." if top else "none.")
        rows = self.summary.actions
        overdue = sum(1 for r in rows if r.overdue)
        label_value(doc, "Actions", f"{plural(len(rows), 'action')} across the reviews, {overdue} overdue as at {display.long_date(self.as_of)}.")
        flagged = [c for c in self.counted if c.errors or c.personal_data]
        label_value(doc, "Flagged", f"{plural(len(flagged), 'review')} with open errors or personal data (see the reviews table)." if flagged else "no review has open errors or personal data.")
        moderated = [c for c in self.counted if c.figures.standing == grouping.NOT_MODERATED]
        if moderated:
            label_value(
                doc,
                "Not yet moderated",
                f"{plural(len(moderated), 'review')} with several assessments and no agreed one; for these, {grouping.RULE_TEXT}.",
            )

    def short_ratings(self) -> list:
        """The ratings the set says need an action (partly met, not met): what the ranking counts."""
        return [r for r in self.mset.header.rating_scale if r.needs_action]

    def short_words(self) -> str:
        return " or ".join(r.label.lower() for r in self.short_ratings()) or "rated as needing an action"

    # ---------------------------------------------------------------- sections

    def part_heading(self, doc: Document, contents: Contents, part: Part) -> None:
        """With several stages, each part opens under a heading that names its stage."""
        if not self.staged:
            return
        s = part.stats
        contents.heading(doc, f"{part.label}: {plural(len(part.counted), 'review')}", 1)
        overall = s.overall.describe() if s.overall is not None else "no score"
        paragraph(
            doc,
            f"{plural(len(part.counted), 'review')} assessed at this stage, from {plural(s.file_count, 'file')}: "
            f"overall score {overall}. Every figure in this part is of {'this review' if len(part.counted) == 1 else 'these reviews'} alone.",
        )

    def reviews_table(self, doc: Document, contents: Contents, part: Part) -> None:
        contents.heading(doc, self.named(part, "Reviews"), self.level)
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
            caption=self.named(part, "Reviews"),
            description="Each review counted once, numbered, with its stage, how many markers are rated and not rated, "
            "its score, and a flag where it has open errors or a file of it personal data; then the overall score.",
        )
        for c in part.counted:
            f = c.figures
            cells = add_row(tbl, [c.number, None, (f.stage or "not recorded").capitalize(), f.score.rated, f.score.unrated, f.score.describe(), None])
            cell_text(cells[1], c.title, bold=True)
            cell_text(cells[1], ", ".join(r.name for r in c.files), size=SMALL_SIZE, colour=MUTED)
            if len(c.files) > 1:
                cell_text(cells[1], f"{plural(len(c.files), 'file')}: {grouping.STANDING_LABELS[f.standing].lower()}", size=SMALL_SIZE)
            if f.differ:
                cell_text(cells[1], f"The assessors differ on {', '.join(f.differ)}", size=SMALL_SIZE)
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
        overall = part.stats.overall
        cells = add_row(tbl, [None] * 7)
        cell_text(cells[1], "Overall score of this review" if len(part.counted) == 1 else f"Overall score of the {len(part.counted)} reviews", bold=True)
        cell_text(cells[5], overall.describe() if overall is not None else "no score", bold=True)
        note = (
            "A review's score is the mean of its rating scores. The overall score is the mean of every scored rating of "
            "these reviews, each review counted once, as scr-audit summary gives it; not applicable and unrated are left out."
        )
        if self.mset.header.scoring_note:
            note += " " + self.mset.header.scoring_note
        paragraph(doc, note, style="Note")
        titles: dict[str, list[int]] = {}
        for c in part.counted:
            titles.setdefault(" ".join(c.title.split()).casefold(), []).append(c.number)
        for numbers in titles.values():
            if len(numbers) > 1:
                paragraph(
                    doc,
                    f"Reviews {', '.join(map(str, numbers))} share a title but differ in partnership, so they are counted as "
                    "different reviews; if they are one review, make their partnership the same.",
                    style="Note",
                )

    def ranking(self, doc: Document, contents: Contents, part: Part) -> None:
        mset = self.mset
        short = self.short_ratings()
        words = self.short_words()
        contents.heading(doc, self.named(part, f"{self.items} ranked"), self.level)
        intro = paragraph(
            doc,
            f"Each {mset.header.item_name} by the share of the reviews that rated it {words}, highest first (then by how "
            "many reviews, then in the set's order). The share is of the reviews that rated it, not applicable included, "
            "as in scr-audit summary's spreadsheet; reviews that did not rate it are left out of it.",
        )
        intro.paragraph_format.keep_with_next = True  # never a lone line above a table on the next page
        tbl = table(
            doc,
            [Column("Rank", Cm(1.3), RIGHT), Column("ID", Cm(1.4)), Column(mset.header.item_name, Cm(6.1))]
            + [Column(r.label, Cm(1.9), RIGHT) for r in short]
            + [Column(f"Share {words}", Length(Cm(17.0 - 1.3 - 1.4 - 6.1 - 1.9 * len(short))))],
            caption=self.named(part, f"{self.items} ranked"),
            description=f"Each {mset.header.item_name} ranked by the share of the reviews that rated it {words}, with the counts.",
        )
        for cell, r in zip(tbl.rows[0].cells[3:], short):
            shade(cell, r.fill)
        rank = 0
        previous: Optional[tuple[Optional[float], int]] = None
        for i, ranked in enumerate(part.stats.ranked(), start=1):
            t = ranked.tally
            key = (None if ranked.share is None else round(ranked.share, 6), ranked.needing)
            if previous != key:
                rank, previous = i, key
            share = f"{ranked.share:.0f}% ({ranked.needing} of {ranked.rated})" if ranked.share is not None else "none rated"
            add_row(tbl, [rank, t.id, t.title, *[t.score.counts.get(r.id, 0) for r in short], share])

    def chart_and_counts(self, doc: Document, contents: Contents, part: Part) -> None:
        mset, s = self.mset, part.stats
        contents.heading(doc, self.named(part, f"Ratings per {mset.header.item_name}"), self.level)
        for index in part.charts:
            _, _, reviews, where = self.drawer.requests[index]
            self._pictures.append((picture_paragraph(doc), index))  # filled by put_charts, once drawn
            self._figure += 1
            paragraph(doc, f"Figure {self._figure}. {chart_title(mset, reviews, where)}. The fills, hatching and counts on each bar tell the ratings apart in black and white.", style="Note")
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
            caption=self.named(part, f"Ratings per {mset.header.item_name}"),
            description=f"How many of the reviews gave each {mset.header.item_name} each rating, and its mean score across them.",
        )
        for cell, r in zip(tbl.rows[0].cells[3:], scale):
            shade(cell, r.fill)
        by_id = {t.id: t for t in s.markers}
        for cluster in mset.clusters:
            markers = [by_id[m.id] for m in mset.markers_in(cluster.id, rated=True) if m.id in by_id]
            if not markers:
                continue
            group_row(tbl, cluster.title)
            for t in markers:
                add_row(tbl, [t.id, t.title, t.score.describe(), *[t.score.counts.get(r.id, 0) for r in scale], t.score.unrated])
        paragraph(
            doc,
            f"Score: the mean of the reviews' rating scores for the {mset.header.item_name}; not applicable and "
            "unrated are left out, as in each review's score.",
            style="Note",
        )

    def matrix(self, doc: Document, contents: Contents, part: Part) -> None:
        mset = self.mset
        title = self.named(part, f"Ratings by {mset.header.item_name} and review")
        contents.heading(doc, title, self.level)
        room = PORTRAIT_WIDTH - ID_COLUMN
        per_table = max(1, int(room // MIN_REVIEW_COLUMN))
        counted = part.counted
        chunks = [counted[i : i + per_table] for i in range(0, len(counted), per_table)]
        for chunk in chunks:
            first, last = chunk[0].number, chunk[-1].number
            if len(chunks) > 1:
                heading(doc, f"Reviews {first} to {last}" + ("" if self.staged else f" of {len(counted)}"), self.level + 1)
            column = Length(min(MAX_REVIEW_COLUMN, room // len(chunk)))
            columns = [Column("ID", ID_COLUMN)]
            columns += [Column(f"{c.number}\n{shorten(one_line(c.title), 40)}", column, CENTER) for c in chunk]
            tbl = table(
                doc,
                columns,
                caption=title + (f", reviews {first} to {last}" if len(chunks) > 1 else ""),
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
                        rid = c.figures.ratings.get(m.id)
                        option = mset.rating(rid) if rid else None
                        if option is not None:
                            rating_cell(cell, option.label, option.fill)
                        else:
                            cell_text(cell, "Not rated", italic=True, colour=MUTED)
        paragraph(doc, "Reviews are numbered as in the reviews table. A rating is shaded in its fill from the marker set and always named.", style="Note")

    def figures_and_choices(self, doc: Document, contents: Contents, part: Part) -> None:
        if part.stats.figures:
            _figures(doc, contents, part.stats.figures, self.named(part, "Figures"), self.level)
        if part.stats.choices:
            _choices(doc, contents, part.stats.choices, self.named(part, "Choices"), self.level)

    def action_rollup(self, doc: Document, contents: Contents) -> None:
        as_at = display.long_date(self.as_of)
        contents.heading(doc, f"Actions across the reviews as at {as_at}", 1)
        rows: list[ActionRow] = self.summary.actions
        if not rows:
            paragraph(doc, "No improvement actions are recorded in these reviews.")
            return
        overdue = sum(1 for r in rows if r.overdue)
        intro = paragraph(
            doc,
            f"{plural(len(rows), 'action')}, {overdue} overdue as at {as_at}: overdue first (the most overdue at the top), then by "
            "due date; done ones included. Each review's actions are listed once, as scr-audit actions lists them.",
        )
        intro.paragraph_format.keep_with_next = True
        review_of = {id(r): c for c in self.counted for r in c.figures.actions}
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
            c = review_of.get(id(r))
            cells = add_row(tbl, [f"{c.number}. {r.review_title}" if c else r.review_title, r.marker_id, r.action, r.owner or NO_OWNER, display.long_date(r.due) or NO_DUE, None])
            if self.staged:
                cell_text(cells[0], (r.stage or "stage not recorded").capitalize(), size=SMALL_SIZE, colour=MUTED)
            if r.overdue:
                cell_text(cells[5], f"Overdue by {plural(r.days_overdue or 0, 'day')}", bold=True)
                cell_text(cells[5], display.status(r.status))
                for cell in cells:
                    shade(cell, ATTENTION_FILL)
            else:
                cell_text(cells[5], display.status(r.status))

    def sign_off(self, doc: Document, contents: Contents) -> None:
        contents.heading(doc, "Sign-off", 1)
        heading(doc, "Prepared by", 2)
        signature_table(doc, [(self.options.author, None)], caption="Prepared by")
        heading(doc, "The Board's decision", 2)
        decision_table(doc)


#: The sections of each stage's part, in order: a new per-stage section is one function here.
PART_SECTIONS: list[Callable[[SummaryRecord, Document, Contents, Part], None]] = [
    SummaryRecord.part_heading,
    SummaryRecord.reviews_table,
    SummaryRecord.ranking,
    SummaryRecord.chart_and_counts,
    SummaryRecord.matrix,
    SummaryRecord.figures_and_choices,
]
#: The sections after the parts, once for the whole record.
SECTIONS: list[Callable[[SummaryRecord, Document, Contents], None]] = [
    SummaryRecord.action_rollup,
    SummaryRecord.sign_off,
]


def build_summary(
    summary: Summary,
    reviewed: Sequence["Reviewed"],
    options: "ExportOptions",
    *,
    left_out: Sequence[LeftOut] = (),
    other_stages: Sequence[LeftOut] = (),
    drawer: Optional[Drawer] = None,
) -> Document:
    """The summary record of `summary` (`summary.summarise` over the reports of `reviewed`).

    `drawer` draws its charts: the caller's, started before the files were read (so its
    process imports matplotlib meanwhile), or one started here and closed when done.
    """
    if drawer is None:
        with Drawer.start() as own:
            return build_summary(summary, reviewed, options, left_out=left_out, other_stages=other_stages, drawer=own)
    return _build(SummaryRecord(summary, reviewed, options, left_out, other_stages, drawer), options)


def _build(record: SummaryRecord, options: "ExportOptions") -> Document:
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
        comments=f"Written by scr-audit {__version__} from {', '.join(r.name for r in record.files)}.",
        category=mset.title,
        status=options.marking or "",
    )
    record.opening(doc)
    paragraph(doc, "Contents", style="TOC Heading")
    contents = Contents(doc, levels=2 if record.staged else 1)
    for part in record.parts:
        for part_section in PART_SECTIONS:
            part_section(record, doc, contents, part)
    for section in SECTIONS:
        section(record, doc, contents)
    contents.finish()
    record.put_charts()
    update_fields_on_open(doc)
    return doc


def _figures(doc: Document, contents: Contents, figures: Sequence[FigureStats], title: str, level: int) -> None:
    """Numbers the set records rather than scores (pages, recommendations, months to publish)."""
    contents.heading(doc, title, level)
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
        caption=title,
        description="Each number the set records (pages, recommendations, months), across the reviews: how many give it, mean, median, lowest, highest.",
    )
    for f in figures:
        unit = f" ({f.figure.unit})" if f.figure.unit else ""
        shown = [display.number(round(v, 1)) if v is not None else "-" for v in (f.mean, f.median, f.low, f.high)]
        add_row(tbl, [f.figure.label + unit, f.values, *shown])


def _choices(doc: Document, contents: Contents, choices: Sequence[ChoiceStats], title: str, level: int) -> None:
    """How often each option of a choice question was chosen (the review method, say)."""
    contents.heading(doc, title, level)
    tbl = table(
        doc,
        [Column("Answer", Cm(14.0)), Column("Reviews", Cm(3.0), RIGHT)],
        caption=title,
        description="How many reviews chose each answer to each choice question.",
    )
    for c in choices:
        group_row(tbl, c.label)
        for label, n in c.counts.items():
            add_row(tbl, [label, n])
        add_row(tbl, ["No answer", c.unanswered])
