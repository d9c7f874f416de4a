"""The Word audit record of one review: the paper a Board tables as it is, and the minutes cite.

Page 1 is the cover sheet and executive summary a Board member reads before the meeting:
what the paper is (meeting, date, agenda item, author, purpose), the assessor's
conclusion, the score with its denominator, every marker that falls short with the first
sentence of why, the key actions (overdue first), what the Board is asked to do, how many
findings are still open, and a warning when the text holds personal data. The rest is
the reference behind it, in the order a reader checks it: the conclusion in full, the
review's details, the ratings, timeliness, each marker in full (the standard's statement
quoted with its page, every question word for word with its answer and evidence, rating
and rationale, actions), the action plan as at a date, the sign-off, and the open findings
in plain words as an appendix.

Each section is one function taking the document, the contents list and the review, so a
new section is one function added to SECTIONS. Every word about the standard comes from
the marker set, every figure from `scoring`, every action's standing from `actions`.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import TYPE_CHECKING, Callable, Optional

from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm
from docx.table import _Cell

from scr_audit import __version__, actions, display, scoring, textblocks
from scr_audit.checks import add_months, months_between
from scr_audit.markers import Marker, MarkerSet, RatingOption
from scr_audit.personal_data import KINDS
from scr_audit.records.findings import plain
from scr_audit.records.fit import (
    BODY_CHARS,
    BODY_LINE,
    BULLET_CHARS,
    HEADING1,
    HEADING2,
    NOTE,
    PARA_AFTER,
    SUBTITLE_CHARS,
    SUBTITLE_LINE,
    TITLE_CHARS,
    TITLE_LINE,
    WARNING_EXTRA,
    Page1,
    row_height,
    table_height,
)
from scr_audit.records.style import (
    ATTENTION_FILL,
    MUTED,
    SMALL_SIZE,
    Column,
    Contents,
    Furniture,
    add_row,
    bullet,
    cell_text,
    decision_table,
    first_sentence,
    group_row,
    heading,
    keep_together,
    key_value_table,
    label_value,
    new_document,
    one_line,
    paragraph,
    rating_cell,
    set_properties,
    shade,
    shorten,
    shorten_words,
    signature_table,
    table,
    update_fields_on_open,
)
from scr_audit.results import SEVERITY_ORDER, Score
from scr_audit.review import DATE_FIELDS, Dates, MarkerEntry, answer_for
from scr_audit.validation import plural

if TYPE_CHECKING:
    from scr_audit.export import ExportOptions, Reviewed

RIGHT = WD_ALIGN_PARAGRAPH.RIGHT
CENTER = WD_ALIGN_PARAGRAPH.CENTER
SEVERITY_WORDS = {"error": "Error", "warning": "Warning", "info": "Information"}
#: Shown for an item that records facts only (`rated: false` in its marker file).
NO_RATING = "Takes no rating"
#: Page 1 lists every overdue action; after them, the next ones due up to this many in all.
KEY_ACTIONS = 5
#: Page 1's tables (cm): ID, title, rating and why; the key actions' text, owner and due date.
ID_WIDTH, TITLE_WIDTH, RATING_WIDTH, WHY_WIDTH = 1.3, 4.4, 2.1, 9.2
ACTION_WIDTH, OWNER_WIDTH, DUE_WIDTH, LATE_WIDTH = 6.5, 4.0, 3.0, 2.2
#: How short page 1 may cut (the first sentences, the actions), tried in turn (None: not
#: cut): the reasons go shorter first, since each marker's title and rating say the most.
#: Before any reason is cut below GENEROUS, fewer actions not yet due are listed (fit_page1).
PAGE1_LIMITS: tuple[tuple[Optional[int], Optional[int]], ...] = (
    (None, None), (150, None), (110, 150), (80, 110), (52, 110), (52, 80), (40, 80), (40, 52), (40, 40),
)
#: The shortest a reason on page 1 is cut to before actions not yet due are left to the plan.
GENEROUS = 80
NO_OWNER = "No owner named"
NO_DUE = "No due date set"
APPENDIX_FINDINGS = "Appendix A: open findings"
#: Rows one table of a record lists before it says how many more there are. A record of
#: tens of thousands of rows takes minutes and gigabytes to build, and no Board reads it;
#: the review file (and `scr-audit check`, `scr-audit actions`) still holds every one.
TABLE_ROW_LIMIT = 1000
#: Actions listed in a marker's own section (the action plan lists up to TABLE_ROW_LIMIT).
MARKER_ACTIONS_LIMIT = 100


def items(mset: MarkerSet) -> str:
    """What the set calls its markers, in the plural ("Quality Markers")."""
    return mset.header.item_name + "s"


def record_title(item: "Reviewed") -> str:
    return f"{item.review.review.title}: audit record"


def build_record(item: "Reviewed", options: "ExportOptions") -> Document:
    mset, info = item.mset, item.review.review
    generated = options.generated
    as_at = display.long_date(options.judged_at)
    doc = new_document()
    footer = f"{shorten(one_line(info.title), 40)} · audit record · actions as at {as_at} · generated {display.long_date(generated)}"
    Furniture(options.marking, footer).apply(doc.sections[0])
    set_properties(
        doc,
        title=record_title(item),
        subject=f"Audit of {info.title} against the {mset.title} ({mset.version})",
        author=options.author or (display.names(info.assessors) if info.assessors else "scr-audit"),
        created=generated,
        keywords=f"{mset.title}; audit record; {info.title}",
        comments=f"Written by scr-audit {__version__} from {item.name}.",
        category=mset.title,
        status=options.marking or "",
    )
    record = AuditRecord(item, options)
    record.cover(doc)
    paragraph(doc, "Contents", style="TOC Heading").paragraph_format.page_break_before = True
    contents = Contents(doc, levels=2)
    for section in SECTIONS:
        section(record, doc, contents)
    contents.finish()
    update_fields_on_open(doc)
    return doc


class AuditRecord:
    """One review's record being written: the review, its options, and what sections share."""

    def __init__(self, item: "Reviewed", options: "ExportOptions") -> None:
        self.item = item
        self.options = options
        self.mset = item.mset
        self.as_of = options.judged_at
        self.actions = actions.sort_rows(actions.rows_for(item.review, item.mset, item.name, as_of=self.as_of))

    # ------------------------------------------------------------------- page 1

    def cover(self, doc: Document) -> None:
        """Page 1: the cover sheet and the executive summary, all a Board member must read.

        What the Board is asked to do comes before the tables, so it is on page 1 however
        much falls short; the tables' texts are shortened (at a word, with "…") only as far
        as page 1 needs for every marker that falls short and every overdue action to fit.
        """
        item, mset, info, options = self.item, self.mset, self.item.review.review, self.options
        fixed = Page1()
        heading(doc, info.title, 0)
        fixed.add_lines(info.title, TITLE_CHARS, TITLE_LINE)
        subtitle = f"Audit record: {mset.title}"
        paragraph(doc, subtitle, style="Subtitle")
        fixed.add_lines(subtitle, SUBTITLE_CHARS, SUBTITLE_LINE)
        from scr_audit.export import PURPOSES

        paper = [
            ("Meeting", options.meeting),
            ("Date of meeting", display.long_date(options.meeting_date) or None),
            ("Agenda item", options.agenda_item),
            ("Author", options.author),
            ("Purpose", PURPOSES.get(options.purpose or "")),
        ]
        who = display.names(info.assessors)
        when = f" on {display.long_date(info.assessed_on)}" if info.assessed_on else ""
        kind = "agreed (moderated) assessment" if info.assessment == "agreed" else "assessment"
        partnership = f", {info.partnership}" if info.partnership else ""
        paper.append(("Review", f"{info.title}{partnership}; {display.stage(info.stage).lower()}; {kind} by {who}{when}."))
        for label, value in paper:
            if value:
                label_value(doc, label, value).paragraph_format.space_after = 0
                fixed.add_lines(f"{label}: {value}", BODY_CHARS, BODY_LINE)
        if item.personal_data and not options.redact:
            fixed.add_lines(self._personal_data_warning(doc), BODY_CHARS, BODY_LINE, extra=WARNING_EXTRA)

        heading(doc, "Executive summary", 1)
        fixed.add(HEADING1)
        conclusion = item.review.conclusion
        if conclusion.has_summary:
            paragraph(doc, conclusion.summary)
            fixed.add_lines(conclusion.summary or "", BODY_CHARS, BODY_LINE, extra=PARA_AFTER)
        else:
            paragraph(doc, "The assessor has not written a conclusion (conclusion: summary: in the review file).", italic=True, colour=MUTED)
            fixed.add(BODY_LINE + PARA_AFTER)
        overall = item.report.score or scoring.score_ratings(mset, [])
        score = score_sentence(mset, overall)
        label_value(doc, "Overall score", score)
        fixed.add_lines("Overall score: " + score, BODY_CHARS, BODY_LINE, extra=PARA_AFTER)
        found = self._findings_sentence()
        label_value(doc, "Open findings", found)
        fixed.add_lines("Open findings: " + found, BODY_CHARS, BODY_LINE, extra=PARA_AFTER)

        heading(doc, "The Board is asked to", 2)
        fixed.add(HEADING2)
        asked = conclusion.board_asked_to
        if asked:
            for text in asked:
                bullet(doc, text).paragraph_format.space_after = 0
                fixed.add_lines(text, BULLET_CHARS, BODY_LINE)
        else:
            paragraph(doc, "The assessor has not said what the Board is asked to do (conclusion: board-asked-to: in the review file).", italic=True, colour=MUTED)
            fixed.add(BODY_LINE + PARA_AFTER)

        short = self._falling_short()
        pending = [r for r in self.actions if r.status != "done"]
        overdue = [r for r in pending if r.overdue]
        upcoming = [r for r in pending if not r.overdue][: max(0, KEY_ACTIONS - len(overdue))]
        why = {m.id: first_sentence(e.rationale) if e is not None and e.rationale else None for m, _, e in short}
        limits, shown = fit_page1(fixed.height, why, overdue, upcoming)

        heading(doc, f"{items(mset)} {_or_labels(self._short_ratings())}", 2)
        if short:
            self._short_table(doc, short, why, limits[0])
        elif overall.rated:
            paragraph(doc, f"None: no {mset.header.item_name} is rated {_or_labels(self._short_ratings(), article=False).lower()}.")
        else:
            paragraph(doc, f"None yet: no {mset.header.item_name} is rated.")

        heading(doc, "Key actions", 2)
        self._key_actions(doc, shown, pending, overdue, limits[1], cut=limits != PAGE1_LIMITS[0])

    def _personal_data_warning(self, doc: Document) -> str:
        kinds = [what for what in KINDS.values() if any(what in f.message for f in self.item.report.findings if f.rule == "personal-data")]
        listed = f" ({', '.join(kinds)})" if kinds else ""
        n = self.item.personal_data
        text = (
            f"Warning: personal data. {plural(n, 'passage')} of this record's text look{'s' if n == 1 else ''} like a personal "
            f"identifier{listed}. Do not circulate the record as it stands: anonymise the review file, or export it again "
            "with --redact."
        )
        paragraph(doc, text, style="Warning")
        return text

    def _short_ratings(self) -> list[RatingOption]:
        """The ratings that fall short (scored below the best), worst first."""
        scored = [r for r in self.mset.header.rating_scale if r.score is not None]
        best = max((r.score for r in scored), default=None)
        return sorted((r for r in scored if r.score is not None and best is not None and r.score < best), key=lambda r: r.score or 0)

    def _falling_short(self) -> list[tuple[Marker, RatingOption, Optional[MarkerEntry]]]:
        order = {r.id: i for i, r in enumerate(self._short_ratings())}
        out = []
        for m in self.mset.rated_markers:
            rid = self.item.report.ratings.get(m.id)
            if rid in order:
                out.append((m, self.mset.rating_by_id(rid), self.item.review.entry(m.id)))
        return sorted(out, key=lambda t: order[t[1].id])  # worst first, then the set's order

    def _short_table(
        self, doc: Document, short: list[tuple[Marker, RatingOption, Optional[MarkerEntry]]], why: dict[str, Optional[str]], limit: Optional[int]
    ) -> None:
        item_name = self.mset.header.item_name
        tbl = table(
            doc,
            [Column("ID", Cm(ID_WIDTH)), Column(item_name, Cm(TITLE_WIDTH)), Column("Rating", Cm(RATING_WIDTH)), Column("Why: the assessor's rationale, first sentence", Cm(WHY_WIDTH))],
            caption=f"{items(self.mset)} that fall short",
            description=f"Each {item_name} rated {_or_labels(self._short_ratings(), article=False).lower()}, worst first, "
            "with its rating and the first sentence of the assessor's rationale.",
        )
        for m, rating, _ in short:
            cells = add_row(tbl, [m.id, m.title, None, None])
            rating_cell(cells[2], rating.label, rating.fill)
            text = why.get(m.id)
            if text:
                cell_text(cells[3], shorten_words(text, limit) if limit else text)
            else:
                cell_text(cells[3], "No rationale recorded.", italic=True, colour=MUTED)

    def _key_actions(
                self,
        doc: Document,
        shown: list[actions.ActionRow],
        pending: list[actions.ActionRow],
        overdue: list[actions.ActionRow],
        limit: Optional[int],
        *,
        cut: bool,
    ) -> None:
        if not shown:
            done = len(self.actions)
            if pending:
                paragraph(doc, f"{plural(len(overdue), 'action')} overdue and {len(pending) - len(overdue)} more to do: the action plan lists them.")
            elif done:
                paragraph(doc, f"None outstanding: all {plural(done, 'action')} recorded {'is' if done == 1 else 'are'} done.")
            else:
                paragraph(doc, "No improvement actions are recorded.")
            return
        tbl = table(
            doc,
            [
                Column("ID", Cm(ID_WIDTH)),
                Column("Action", Cm(ACTION_WIDTH)),
                Column("Owner", Cm(OWNER_WIDTH)),
                Column("Due", Cm(DUE_WIDTH)),
                Column("Overdue by", Cm(LATE_WIDTH)),
            ],
            caption="Key actions",
            description=f"The actions still to do, overdue first (most overdue first), then the next due, as at {display.long_date(self.as_of)}.",
        )
        for r in shown:
            cells = add_row(tbl, [r.marker_id, shorten_words(r.action, limit) if limit else r.action, r.owner or NO_OWNER, None, None])
            _due_cell(cells[3], r, with_days=False)
            if r.overdue:
                cell_text(cells[4], plural(r.days_overdue or 0, "day"), bold=True)
                for cell in cells:
                    shade(cell, ATTENTION_FILL)
            else:
                cell_text(cells[4], "not overdue", italic=True, colour=MUTED)
        rest = len(pending) - len(shown)
        more_overdue = len(overdue) - sum(1 for r in shown if r.overdue)
        cut_note = " Texts shortened here to fit this page;" if cut else ""
        if rest:
            parts = [plural(more_overdue, "more overdue action")] if more_overdue else []
            if rest - more_overdue:
                parts.append(plural(rest - more_overdue, "more action") + " not yet due")
            paragraph(doc, f"{' and '.join(parts)}.{cut_note} the action plan lists every action in full.".replace(".  ", ". ").replace(". the", ". The"), style="Note")
        else:
            paragraph(doc, f"As at {display.long_date(self.as_of)}.{cut_note} the action plan lists every action in full.".replace(". the", ". The"), style="Note")

    def _findings_sentence(self) -> str:
        findings = self.item.report.findings
        if not findings:
            return f"none: scr-audit check finds nothing to settle in {self.item.name}."
        return f"scr-audit check still reports {_severity_counts(findings)}; {APPENDIX_FINDINGS} lists them."

    # ---------------------------------------------------------------- sections

    def conclusion(self, doc: Document, contents: Contents) -> None:
        c = self.item.review.conclusion
        contents.heading(doc, "The assessor's conclusion", 1)
        if c.has_summary:
            paragraph(doc, c.summary)
        for title, lines in (("Strengths", c.strengths), ("Concerns", c.concerns)):
            contents.heading(doc, title, 2)
            if lines:
                for line in lines:
                    bullet(doc, line)
            else:
                paragraph(doc, f"None recorded (conclusion: {title.lower()}: in the review file).", italic=True, colour=MUTED)

    def details(self, doc: Document, contents: Contents) -> None:
        item, mset, info = self.item, self.mset, self.item.review.review
        contents.heading(doc, "About this review", 1)
        version = f"{mset.title}, version {mset.version}"
        made_for = item.review.marker_set_version
        if made_for and str(made_for) != mset.version:
            version += f" (the review file was made against version {made_for})"
        key_value_table(
            doc,
            [
                ("Review", info.title),
                ("Partnership", info.partnership or "not recorded"),
                ("Stage", display.stage(info.stage)),
                ("Assessment", "Agreed: the panel's moderated assessment" if info.assessment == "agreed" else "Individual: one assessor's own judgement"),
                ("Lead reviewers", display.names(info.lead_reviewers)),
                ("Assessors", display.names(info.assessors)),
                ("Assessment date", display.long_date(info.assessed_on) or "not recorded"),
                ("Marker set", version),
                ("Source", mset.header.source.citation()),
                ("Review file", item.name),
                ("Generated", f"{display.long_date(self.options.generated)} by scr-audit {__version__}"),
            ],
            header=("Detail", "Recorded"),
            caption="About this review",
            description="The review, who assessed it and when, and the standard it was assessed against.",
        )

    def ratings(self, doc: Document, contents: Contents) -> None:
        mset, report, item = self.mset, self.item.report, self.item
        contents.heading(doc, "Ratings", 1)
        overall = report.score or scoring.score_ratings(mset, [])
        label_value(doc, "Overall score", score_sentence(mset, overall))
        paragraph(doc, f"{report.answered} of {report.questions_total} questions answered.")

        contents.heading(doc, "Scores by cluster", 2)
        tbl = table(
            doc,
            [
                Column("Cluster", Cm(7.0)),
                Column("Score", Cm(2.0), RIGHT),
                Column("Rated", Cm(2.6), RIGHT),
                Column("Not applicable", Cm(2.7), RIGHT),
                Column("Not rated", Cm(2.7), RIGHT),
            ],
            caption="Scores by cluster",
            description="Each cluster's score with how many of its markers were rated, not applicable and not rated, then all markers.",
        )
        for cluster in mset.clusters:
            if not any(m.rated for m in mset.markers_in(cluster.id)):
                continue  # a cluster of items that only record facts has no score
            s = report.clusters.get(cluster.id) or scoring.score_ratings(mset, [])
            add_row(tbl, [cluster.title, s.describe(), f"{s.rated} of {s.total}", s.not_applicable, s.unrated])
        cells = add_row(tbl, [None] * 5)
        for cell, text in zip(cells, [f"All {items(mset)}", overall.describe(), f"{overall.rated} of {overall.total}", overall.not_applicable, overall.unrated]):
            cell_text(cell, text, bold=True)
        if mset.header.scoring_note:
            paragraph(doc, mset.header.scoring_note, style="Note")

        contents.heading(doc, "How many of each rating", 2)
        width = Cm(17.0 / (len(mset.header.rating_scale) + 1))
        tbl = table(
            doc,
            [Column(r.label, width, CENTER) for r in mset.header.rating_scale] + [Column("Not rated", width, CENTER)],
            caption="How many of each rating",
            description=f"How many {items(mset)} were given each rating, and how many are not rated.",
        )
        for cell, r in zip(tbl.rows[0].cells, mset.header.rating_scale):
            shade(cell, r.fill)
        add_row(tbl, [overall.counts.get(r.id, 0) for r in mset.header.rating_scale] + [overall.unrated])

        contents.heading(doc, f"{items(mset)} by cluster", 2)
        tbl = table(
            doc,
            [Column("ID", Cm(1.6)), Column(mset.header.item_name, Cm(9.4)), Column("Answered", Cm(2.4), RIGHT), Column("Rating", Cm(3.6))],
            caption=f"{items(mset)} by cluster",
            description=f"Every {mset.header.item_name} by cluster, with how many of its questions are answered and its rating.",
        )
        for cluster in mset.clusters:
            markers = mset.markers_in(cluster.id)
            if not markers:
                continue
            group_row(tbl, cluster.title)
            for m in markers:
                entry = item.review.entry(m.id)
                cells = add_row(tbl, [m.id, m.title, f"{scoring.marker_answered(m, entry)} of {len(m.questions)}", None])
                if m.rated:
                    _rating_in(cells[3], mset, entry)
                else:
                    cell_text(cells[3], NO_RATING, italic=True, colour=MUTED)

    def timeliness(self, doc: Document, contents: Contents) -> None:
        mset, info, item = self.mset, self.item.review.review, self.item
        contents.heading(doc, "Timeliness", 1)
        given = [(name, getattr(info.dates, name)) for name in DATE_FIELDS if getattr(info.dates, name) is not None]
        tbl = table(
            doc,
            [Column("Date", Cm(7.0)), Column("Given as", Cm(3.6)), Column("Interval from the date before", Cm(6.4))],
            caption="The review's dates",
            description="Each of the review's key dates as recorded, and the time since the date before it.",
        )
        previous: Optional[date] = None
        for name in DATE_FIELDS:
            value = getattr(info.dates, name)
            if value is None:
                add_row(tbl, [date_label(name), "not recorded", None])
                continue
            add_row(tbl, [date_label(name), display.long_date(value), interval(previous, value) if previous else None])
            previous = value
        rule = mset.header.timeliness
        if rule is not None:
            start, end = getattr(info.dates, rule.from_date), getattr(info.dates, rule.to_date)
            span = f"from the {_lower_first(date_label(rule.from_date))} to the {_lower_first(date_label(rule.to_date))}"
            label_value(doc, "Expectation", f"{plural(rule.months, 'month')} {span}. {rule.source.rstrip('.')}.").paragraph_format.space_before = Cm(0.3)
            if start is None or end is None:
                missing = " and the ".join(_lower_first(date_label(n)) for n, v in ((rule.from_date, start), (rule.to_date, end)) if v is None)
                verdict = f"cannot be measured: the date of the {missing} is not recorded."
            elif end < start:
                verdict = "cannot be measured: the dates are out of order."
            else:
                limit = add_months(start, rule.months)
                if limit is None:  # past 9999-12-31: check reports the date (schema)
                    within = f"the {rule.months}-month expectation cannot be measured from a date this late"
                else:
                    within = (
                        f"within the {rule.months}-month expectation"
                        if end <= limit
                        else f"{interval(limit, end)} over the {rule.months}-month expectation"
                    )
                verdict = f"{interval(start, end)} {span}, {within}."
            label_value(doc, "This review", verdict)
        elif not given:
            paragraph(doc, "No dates are recorded.")
        label_value(doc, "Reasons for delay", info.delay_reasons or "none recorded")
        for computed in mset.header.intervals:  # figures the set computes from date answers
            value = scoring.interval_value(mset, item.review, computed)
            shown = f"{display.number(value)} {computed.unit}" if value is not None else "not known: a date is not answered"
            label_value(doc, computed.text, f"{shown} (from {computed.from_} to {computed.to})")

    def markers(self, doc: Document, contents: Contents) -> None:
        for cluster in self.mset.clusters:
            markers = self.mset.markers_in(cluster.id)
            if not markers:
                continue
            contents.heading(doc, cluster.title, 1)  # a cluster flows on: no page left half empty
            for m in markers:
                self._marker(doc, contents, m)

    def _marker(self, doc: Document, contents: Contents, m: Marker) -> None:
        mset, options = self.mset, self.options
        entry = self.item.review.entry(m.id)
        header = mset.header
        contents.heading(doc, f"{m.id} {m.title}", 2)
        cite = source_citation(mset, m)
        if m.statement:
            par = label_value(doc, header.statement_label, f"“{m.statement}” ({cite})")
            par.paragraph_format.keep_with_next = True
        if options.include_guidance and m.rationale:
            heading(doc, f"The standard's rationale ({cite})", 3)
            blocks = textblocks.parse(m.rationale)
            for i, block in enumerate(blocks):
                par = bullet(doc, block.text, block.level) if block.kind == "bullet" else paragraph(doc, block.text)
                par.paragraph_format.keep_with_next = i == 0
        heading(doc, header.questions_label, 3)
        tbl = table(
            doc,
            [Column("No.", Cm(0.9)), Column("Question", Cm(6.3)), Column("Answer", Cm(2.0)), Column("Evidence", Cm(7.8))],
            caption=f"{m.id} questions and answers",
            description=f"Each of {m.id}'s questions as the standard words it, with the assessor's answer and evidence.",
        )
        for q in m.questions:
            _, ans = answer_for(entry, q.number)
            view = display.answer(mset, q, ans)
            cells = add_row(tbl, [q.number, q.text, None, ans.evidence if ans is not None else None])
            for fact in q.facts:
                cell_text(cells[1], f"{fact.text} ({fact.source})", size=SMALL_SIZE, colour=MUTED)
            if view.answered:
                cell_text(cells[2], view.text, bold=not view.valid)
            else:
                cell_text(cells[2], view.text, italic=True, colour=MUTED)
        heading(doc, "Rating and the assessor's rationale", 3)
        acts = entry.actions if entry is not None else []
        rating_table = table(
            doc,
            [Column("Rating", Cm(3.6)), Column("The assessor's rationale", Cm(13.4))],
            caption=f"{m.id} rating and rationale",
            description=f"The assessor's rating of {m.id} and the reasons given for it.",
        )
        cells = add_row(rating_table, [None, None])
        if m.rated:
            _rating_in(cells[0], mset, entry)
        else:
            cell_text(cells[0], NO_RATING, italic=True, colour=MUTED)
        rationale = entry.rationale if entry is not None else None
        if rationale:
            cell_text(cells[1], rationale)
        else:
            cell_text(cells[1], "none recorded", italic=True, colour=MUTED)
        keep_together(rating_table, with_next=True)
        if m.rated:
            given = mset.rating(entry.rating) if entry is not None and entry.rating else None
            suggested = scoring.suggest_rating(mset, m, entry)
            if suggested is not None and (given is None or suggested.id != given.id):
                note = paragraph(doc, f"Suggested by the answers: {suggested.label} (a guide from the answers; the rating above is the assessor's judgement).", style="Note")
                note.paragraph_format.keep_with_next = True
                note.paragraph_format.space_before = Cm(0.1)
        if acts:
            heading(doc, "Improvement actions", 3)
            tbl = table(
                doc,
                [Column("Action", Cm(8.4)), Column("Owner", Cm(3.6)), Column("Due", Cm(2.8)), Column("Status", Cm(2.2))],
                caption=f"{m.id} improvement actions",
                description=f"The improvement actions recorded for {m.id}: what, who owns it, when it is due and its status.",
            )
            for a in acts[:MARKER_ACTIONS_LIMIT]:
                add_row(tbl, [a.action, a.owner or NO_OWNER, display.long_date(a.due) or NO_DUE, display.status(a.status)])
            keep_together(tbl)
            _not_listed(doc, MARKER_ACTIONS_LIMIT, len(acts), "actions of this marker", "the action plan lists them")
        else:
            paragraph(doc, "No improvement actions recorded.", style="Note").paragraph_format.space_before = Cm(0.2)

    def action_plan(self, doc: Document, contents: Contents) -> None:
        as_at = display.long_date(self.as_of)
        contents.heading(doc, f"Action plan as at {as_at}", 1)
        rows = self.actions
        if not rows:
            paragraph(doc, "No improvement actions are recorded.")
            return
        counts = Counter(r.status for r in rows)
        overdue = sum(1 for r in rows if r.overdue)
        summary = ", ".join(f"{counts[s]} {display.status(s).lower()}" for s in display.STATUSES if counts[s])
        paragraph(
            doc,
            f"{plural(len(rows), 'action')}: {summary}" + (f"; {overdue} overdue as at {as_at}." if overdue else f"; none overdue as at {as_at}.")
            + " Overdue actions come first, the most overdue at the top, then the rest by due date.",
        )
        tbl = table(
            doc,
            [
                Column(self.mset.header.item_name, Cm(3.6)),
                Column("Action", Cm(5.9)),
                Column("Owner", Cm(2.9)),
                Column("Due", Cm(2.3)),
                Column("Status", Cm(2.3)),
            ],
            caption=f"Action plan as at {as_at}",
            description=f"Every improvement action, overdue first, then by due date: its {self.mset.header.item_name}, "
            "what is to be done, its owner, its due date and its status. Overdue rows are shaded and say by how many days.",
        )
        for r in rows[:TABLE_ROW_LIMIT]:
            cells = add_row(tbl, [f"{r.marker_id} {r.marker_title}", r.action, r.owner or NO_OWNER, None, None])
            _due_cell(cells[3], r, with_days=False)
            if r.overdue:
                cell_text(cells[4], f"Overdue by {plural(r.days_overdue or 0, 'day')}", bold=True)
                cell_text(cells[4], display.status(r.status))
                for cell in cells:
                    shade(cell, ATTENTION_FILL)
            else:
                cell_text(cells[4], display.status(r.status))
        _not_listed(doc, TABLE_ROW_LIMIT, len(rows), "actions", f"{self.item.name} holds every one (`scr-audit actions` lists them)")
        contents.heading(doc, "Actions per owner", 2)
        owners: dict[str, Counter] = {}
        for r in rows:
            c = owners.setdefault(r.owner or NO_OWNER, Counter())
            c["all"] += 1
            c[r.status] += 1
            c["overdue"] += r.overdue
        tbl = table(
            doc,
            [Column("Owner", Cm(6.2)), Column("Actions", Cm(2.0), RIGHT), Column("Overdue", Cm(2.2), RIGHT)]
            + [Column(display.status(s), Cm(2.2), RIGHT) for s in display.STATUSES],
            caption="Actions per owner",
            description=f"How many actions each owner holds, how many are overdue as at {as_at}, and how many are at each status.",
        )
        listed = sorted(owners, key=lambda o: (o == NO_OWNER, o.lower()))
        for owner in listed[:TABLE_ROW_LIMIT]:
            c = owners[owner]
            add_row(tbl, [owner, c["all"], c["overdue"], *[c[s] for s in display.STATUSES]])
        cells = add_row(tbl, [None] * (3 + len(display.STATUSES)))
        for cell, value in zip(cells, ["All owners", len(rows), overdue, *[counts[s] for s in display.STATUSES]]):
            cell_text(cell, value, bold=True)
        _not_listed(doc, TABLE_ROW_LIMIT, len(listed), "owners", "the total row counts them all")

    def sign_off(self, doc: Document, contents: Contents) -> None:
        info = self.item.review.review
        contents.heading(doc, "Sign-off", 1)
        heading(doc, "Assessed by", 2)
        signature_table(doc, [(name, "Assessor") for name in list(info.assessors) or [None]], who="Assessor", caption="Assessed by")
        heading(doc, "Reviewed by", 2)
        signature_table(doc, [(None, None)], caption="Reviewed by")
        heading(doc, "The Board's decision", 2)
        decision_table(doc)

    def findings(self, doc: Document, contents: Contents) -> None:
        item = self.item
        contents.heading(doc, APPENDIX_FINDINGS, 1)
        found = sorted(item.report.findings, key=lambda f: (SEVERITY_ORDER.get(f.severity, 9), f.line or 0, f.column or 0))
        if not found:
            paragraph(doc, f"None: scr-audit check finds nothing to settle in {item.name}.")
            return
        paragraph(
            doc,
            f"scr-audit check still reports {_severity_counts(found)} in {item.name}. Settle them in the review file "
            "and export again. The last column names the check's rule, for whoever keeps the file.",
        )
        tbl = table(
            doc,
            [Column("Severity", Cm(2.2)), Column("What is wrong", Cm(11.3)), Column("Rule", Cm(3.5))],
            caption="Open findings",
            description="Each problem scr-audit check still finds in the review file, in plain words, most serious first, with the rule that finds it.",
        )
        for f in found[:TABLE_ROW_LIMIT]:
            p = plain(f, self.mset)
            cells = add_row(tbl, [SEVERITY_WORDS.get(p.severity, p.severity), p.text, None])
            cell_text(cells[2], p.rule, size=SMALL_SIZE, colour=MUTED)
        _not_listed(doc, TABLE_ROW_LIMIT, len(found), "findings", f"`scr-audit check {item.name}` lists every one")


#: The record after page 1 and its contents list, in order: a new section is one function here.
SECTIONS: list[Callable[[AuditRecord, Document, Contents], None]] = [
    AuditRecord.conclusion,
    AuditRecord.details,
    AuditRecord.ratings,
    AuditRecord.timeliness,
    AuditRecord.markers,
    AuditRecord.action_plan,
    AuditRecord.sign_off,
    AuditRecord.findings,
]


# --------------------------------------------------------------------------- helpers


def _not_listed(doc: Document, shown: int, total: int, what: str, where: str) -> None:
    """Say, under a table cut at its limit, how many rows are not in it and where they are."""
    if total > shown:
        paragraph(doc, f"The first {shown:,} of {total:,} {what} are listed; {where}.", style="Note")


def fit_page1(
    fixed: float, why: dict[str, Optional[str]], overdue: list[actions.ActionRow], upcoming: list[actions.ActionRow]
) -> tuple[tuple[Optional[int], Optional[int]], list[actions.ActionRow]]:
    """How far page 1's texts must be shortened, and which key actions it lists, to fit.

    Every marker that falls short and every overdue action are kept, with their texts
    whole if they fit and shortened at a word if not; the next actions due are listed only
    where there is room. Only when even the shortest texts cannot fit are overdue actions
    left to the action plan (and counted on page 1).
    """

    def cut(text: Optional[str], limit: Optional[int]) -> str:
        return "" if text is None else text if limit is None else shorten_words(text, limit)

    def short_height(limit: Optional[int]) -> float:
        return table_height([row_height([(cut(text, limit) or "x" * 22, WHY_WIDTH)]) for text in why.values()])

    def action_heights(limit: Optional[int], shown: list[actions.ActionRow]) -> list[float]:
        return [
            row_height([(cut(r.action, limit), ACTION_WIDTH), (r.owner or NO_OWNER, OWNER_WIDTH), (display.long_date(r.due) or NO_DUE, DUE_WIDTH)])
            for r in shown
        ]

    base = fixed + 2 * HEADING2 + NOTE
    one_line = row_height([("", 1.0)])
    # A reason cut to a few words tells the Board nothing, and the actions not yet due are
    # all in the action plan: so fewer of those actions are listed before a reason is cut
    # below GENEROUS characters (as many as fit with reasons at least that long).
    generous = [limits for limits in PAGE1_LIMITS if limits[0] is None or limits[0] >= GENEROUS] + [(GENEROUS, 52)]
    tries = [(limits, overdue + upcoming[:n]) for n in range(len(upcoming), -1, -1) for limits in generous]
    tries += [(limits, keep) for keep in (overdue + upcoming, overdue) for limits in PAGE1_LIMITS]
    for limits, keep in tries:
        if base + table_height([one_line] * (len(why) + len(keep))) > Page1.ROOM + table_height([]):
            continue  # cannot fit even at one line a row
        if base + short_height(limits[0]) + table_height(action_heights(limits[1], keep)) <= Page1.ROOM:
            return limits, keep
    # even the shortest texts do not fit: as many overdue actions as there is room for
    limits = PAGE1_LIMITS[-1]
    room = Page1.ROOM - base - short_height(limits[0]) - table_height([0.0])
    fits = 0
    for h in action_heights(limits[1], overdue):
        if room - h < 0:
            break
        room -= h
        fits += 1
    return limits, overdue[:fits]


def source_citation(mset: MarkerSet, marker: Marker) -> str:
    """'SCIE & NSPCC 2016, p. 16': where in the source the marker's words are."""
    src = mset.header.source
    page = f", p. {marker.page}" if marker.page else ""
    return f"{src.publisher} {src.year}{page}"


def score_sentence(mset: MarkerSet, score: Score) -> str:
    """A score with the counts needed to read it honestly."""
    if score.percent is None:
        head = "no score yet"
    else:
        head = f"{score.describe()} over {plural(score.scored, 'scored ' + mset.header.item_name)}"
    return f"{head}: {score.rated} of {score.total} rated, {score.not_applicable} not applicable, {score.unrated} not rated."


def _or_labels(ratings: list[RatingOption], *, article: bool = True) -> str:
    labels = [r.label for r in ratings]
    if not labels:
        return "that fall short" if article else "below the best rating"
    joined = " or ".join(labels) if len(labels) <= 2 else ", ".join(labels[:-1]) + " or " + labels[-1]
    return f"rated {joined}" if article else joined


def _severity_counts(findings: list) -> str:
    counts = {s: sum(1 for f in findings if f.severity == s) for s in SEVERITY_ORDER}
    listed = [f"{n} for information" if s == "info" else plural(n, s) for s, n in counts.items() if n]
    return ", ".join(listed[:-1]) + " and " + listed[-1] if len(listed) > 1 else listed[0]


def _due_cell(cell: _Cell, row: actions.ActionRow, *, with_days: bool = True) -> None:
    if row.due is None:
        cell_text(cell, NO_DUE, italic=True)
        return
    cell_text(cell, display.long_date(row.due))
    if with_days and row.overdue:
        cell_text(cell, f"Overdue by {plural(row.days_overdue or 0, 'day')}", bold=True)


def _rating_in(cell: _Cell, mset: MarkerSet, entry: Optional[MarkerEntry]) -> None:
    raw = entry.rating if entry is not None else None
    option = mset.rating(raw) if raw else None
    if option is not None:
        rating_cell(cell, option.label, option.fill)
    elif raw:
        rating_cell(cell, f"{raw} (not on the rating scale)", None)
    else:
        cell_text(cell, "Not rated", italic=True, colour=MUTED)


def date_label(name: str) -> str:
    description = Dates.model_fields[name].description
    return description or name.capitalize()


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def interval(start: date, end: date) -> str:
    """'5 months 16 days (167 days)': calendar months, as the six-month expectation counts them."""
    days = (end - start).days
    if days < 0:
        return f"{-days} days before (dates out of order)"
    months, rest = months_between(start, end)  # never steps past 9999-12-31
    if months == 0:
        return plural(days, "day")
    parts = plural(months, "month") + (f" {plural(rest, 'day')}" if rest else "")
    return f"{parts} ({plural(days, 'day')})"

