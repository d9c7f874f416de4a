"""The Word audit record of one review: what the Board tables and the minutes cite.

It follows the order a reader needs: who assessed what, against which standard; the
summary (scores with their denominators, ratings by cluster); timeliness; each marker in
full (statement, every question word for word with its answer and evidence, rating and
rationale, actions); the action plan; what the checker still finds; and a sign-off.
Every word about the standard comes from the marker set, every figure from `scoring`.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Optional

from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm
from docx.table import _Cell

from scr_audit import __version__, display, scoring, textblocks
from scr_audit.checks import add_months, months_between
from scr_audit.docx_style import (
    MUTED,
    SMALL_SIZE,
    Column,
    Contents,
    Furniture,
    add_row,
    add_text,
    bullet,
    cell_text,
    group_row,
    key_value_table,
    label_value,
    new_document,
    page_break_before,
    paragraph,
    rating_cell,
    set_properties,
    shade,
    signature_table,
    spacer,
    table,
    title_block,
    update_fields_on_open,
)
from scr_audit.markers import Marker, MarkerSet
from scr_audit.results import SEVERITY_ORDER, Finding, Score
from scr_audit.review import DATE_FIELDS, Dates, MarkerEntry, answer_for
from scr_audit.validation import plural

if TYPE_CHECKING:
    from scr_audit.export import ExportOptions, Reviewed

RIGHT = WD_ALIGN_PARAGRAPH.RIGHT
CENTER = WD_ALIGN_PARAGRAPH.CENTER
SEVERITY_WORDS = {"error": "Error", "warning": "Warning", "info": "Information"}
#: Shown for an item that records facts only (`rated: false` in its marker file).
NO_RATING = "Takes no rating"
#: Rows one table of a record lists before it says how many more there are. A record of
#: tens of thousands of rows takes minutes and gigabytes to build, and no Board reads it;
#: the review file (and `scr-audit check`) still holds every one.
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
    doc = new_document()
    Furniture(options.marking, f"{info.title} · audit record · generated {display.long_date(generated)}").apply(doc.sections[0])
    set_properties(
        doc,
        title=record_title(item),
        subject=f"Audit of {info.title} against the {mset.title} ({mset.version})",
        author=display.names(info.assessors) if info.assessors else "scr-audit",
        created=generated,
        keywords=f"{mset.title}; audit record; {info.title}",
        comments=f"Written by scr-audit {__version__} from {item.name}.",
        category=mset.title,
        status=options.marking or "",
    )
    _title_block(doc, item, options)
    paragraph(doc, "Contents", style="TOC Heading")
    contents = Contents(doc, levels=2)
    _summary(doc, contents, item)
    _timeliness(doc, contents, item)
    for cluster in mset.clusters:
        for i, marker in enumerate(mset.markers_in(cluster.id)):
            if i == 0:
                page_break_before(contents.heading(doc, cluster.title, 1))
            _marker(doc, contents, item, marker, options)
    _action_plan(doc, contents, item, options.as_of or generated.date())
    _findings(doc, contents, item)
    _sign_off(doc, contents, item)
    contents.finish()
    update_fields_on_open(doc)
    return doc


# ------------------------------------------------------------------------------ title


def _title_block(doc: Document, item: "Reviewed", options: "ExportOptions") -> None:
    mset, info = item.mset, item.review.review
    version = f"{mset.title}, version {mset.version}"
    made_for = item.review.marker_set_version
    if made_for and str(made_for) != mset.version:
        version += f" (the review file was made against version {made_for})"
    title_block(
        doc,
        info.title,
        f"Audit record: {mset.title}",
        [
            ("Review", info.title),
            ("Partnership", info.partnership or "not recorded"),
            ("Stage", display.stage(info.stage)),
            ("Lead reviewers", display.names(info.lead_reviewers)),
            ("Assessors", display.names(info.assessors)),
            ("Assessment date", display.long_date(info.assessed_on) or "not recorded"),
            ("Marker set", version),
            ("Source", mset.header.source.citation()),
            ("Review file", item.name),
            ("Generated", f"{display.long_date(options.generated)} by scr-audit {__version__}"),
        ],
    )
    spacer(doc)


# ---------------------------------------------------------------------------- summary


def score_sentence(mset: MarkerSet, score: Score) -> str:
    """A score with the counts needed to read it honestly."""
    if score.percent is None:
        head = "no score yet"
    else:
        head = f"{score.describe()} over {plural(score.scored, 'scored ' + mset.header.item_name)}"
    return f"{head}: {score.rated} of {score.total} rated, {score.not_applicable} not applicable, {score.unrated} not rated."


def _summary(doc: Document, contents: Contents, item: "Reviewed") -> None:
    mset, report = item.mset, item.report
    page_break_before(contents.heading(doc, "Summary", 1))
    overall = report.score or scoring.score_ratings(mset, [])
    par = doc.add_paragraph()
    add_text(par, "Overall score: ", bold=True)
    add_text(par, score_sentence(mset, overall))
    answered = f"{report.answered} of {report.questions_total} questions answered."
    paragraph(doc, answered)

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

    contents.heading(doc, "Ratings", 2)
    _rating_counts(doc, mset, overall)

    contents.heading(doc, f"{items(mset)} by cluster", 2)
    tbl = table(
        doc,
        [
            Column("ID", Cm(1.6)),
            Column(mset.header.item_name, Cm(9.2)),
            Column("Answered", Cm(2.4), RIGHT),
            Column("Rating", Cm(3.8)),
        ],
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


def _rating_counts(doc: Document, mset: MarkerSet, score: Score) -> None:
    """One row: how many markers got each rating (shaded as the rating is), and how many none."""
    width = Cm(17.0 / (len(mset.header.rating_scale) + 1))
    tbl = table(doc, [Column(r.label, width, CENTER) for r in mset.header.rating_scale] + [Column("Not rated", width, CENTER)])
    for cell, r in zip(tbl.rows[0].cells, mset.header.rating_scale):
        shade(cell, r.fill)
    add_row(tbl, [score.counts.get(r.id, 0) for r in mset.header.rating_scale] + [score.unrated])


def _rating_in(cell: _Cell, mset: MarkerSet, entry: Optional[MarkerEntry]) -> None:
    raw = entry.rating if entry is not None else None
    option = mset.rating(raw) if raw else None
    if option is not None:
        rating_cell(cell, option.label, option.fill)
    elif raw:
        rating_cell(cell, f"{raw} (not on the rating scale)", None)
    else:
        cell_text(cell, "Not rated", italic=True, colour=MUTED)


# ------------------------------------------------------------------------- timeliness


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


def _timeliness(doc: Document, contents: Contents, item: "Reviewed") -> None:
    mset, info = item.mset, item.review.review
    contents.heading(doc, "Timeliness", 1)
    given = [(name, getattr(info.dates, name)) for name in DATE_FIELDS if getattr(info.dates, name) is not None]
    tbl = table(doc, [Column("Date", Cm(7.0)), Column("Given as", Cm(3.6)), Column("Interval from the date before", Cm(6.4))])
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
        par = doc.add_paragraph()
        par.paragraph_format.space_before = Cm(0.3)
        add_text(par, "Expectation: ", bold=True)
        add_text(par, f"{plural(rule.months, 'month')} {span}. {rule.source.rstrip('.')}.")
        par = doc.add_paragraph()
        add_text(par, "This review: ", bold=True)
        if start is None or end is None:
            missing = " and the ".join(_lower_first(date_label(n)) for n, v in ((rule.from_date, start), (rule.to_date, end)) if v is None)
            add_text(par, f"cannot be measured: the date of the {missing} is not recorded.")
        elif end < start:
            add_text(par, "cannot be measured: the dates are out of order.")
        else:
            limit = add_months(start, rule.months)
            verdict = (
                f"within the {rule.months}-month expectation"
                if end <= limit
                else f"{interval(limit, end)} over the {rule.months}-month expectation"
            )
            add_text(par, f"{interval(start, end)} {span}, {verdict}.")
    elif not given:
        paragraph(doc, "No dates are recorded.")
    label_value(doc, "Reasons for delay", info.delay_reasons or "none recorded")
    for computed in mset.header.intervals:  # figures the set computes from date answers
        value = scoring.interval_value(mset, item.review, computed)
        shown = f"{display.number(value)} {computed.unit}" if value is not None else "not known: a date is not answered"
        label_value(doc, computed.text, f"{shown} (from {computed.from_} to {computed.to})")


# ---------------------------------------------------------------------------- markers


def _marker(doc: Document, contents: Contents, item: "Reviewed", m: Marker, options: "ExportOptions") -> None:
    mset = item.mset
    entry = item.review.entry(m.id)
    header = mset.header
    contents.heading(doc, f"{m.id} {m.title}", 2)
    if m.statement:
        label_value(doc, header.statement_label, m.statement)
    if options.include_guidance and m.rationale:
        paragraph(doc, "Rationale", bold=True)
        for block in textblocks.parse(m.rationale):
            if block.kind == "bullet":
                bullet(doc, block.text, block.level)
            else:
                paragraph(doc, block.text)
    paragraph(doc, header.questions_label, bold=True).paragraph_format.keep_with_next = True
    tbl = table(doc, [Column("No.", Cm(1.0)), Column("Question", Cm(6.6)), Column("Answer", Cm(2.6)), Column("Evidence", Cm(6.8))])
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
    spacer(doc)
    rating_table = key_value_table(doc, [("Rating", None)])
    if m.rated:
        _rating_in(rating_table.rows[0].cells[1], mset, entry)
        given = mset.rating(entry.rating) if entry is not None and entry.rating else None
        suggested = scoring.suggest_rating(mset, m, entry)
        if suggested is not None and (given is None or suggested.id != given.id):
            cells = add_row(rating_table, [None, None])
            cell_text(cells[0], "Suggested by the answers", bold=True)
            cell_text(cells[1], f"{suggested.label} (a guide from the answers; the rating above is the assessor's judgement)")
    else:
        cell_text(rating_table.rows[0].cells[1], f"{NO_RATING}: this {header.item_name} records facts", italic=True, colour=MUTED)
    cells = add_row(rating_table, [None, None])
    cell_text(cells[0], "Rationale", bold=True)
    rationale = entry.rationale if entry is not None else None
    if rationale:
        cell_text(cells[1], rationale)
    else:
        cell_text(cells[1], "none recorded", italic=True, colour=MUTED)
    actions = entry.actions if entry is not None else []
    if actions:
        paragraph(doc, "Improvement actions", bold=True).paragraph_format.space_before = Cm(0.3)
        tbl = table(doc, [Column("Action", Cm(8.2)), Column("Owner", Cm(3.6)), Column("Due", Cm(3.0)), Column("Status", Cm(2.2))])
        for a in actions[:MARKER_ACTIONS_LIMIT]:
            add_row(tbl, [a.action, a.owner or "not recorded", display.long_date(a.due) or "not recorded", display.status(a.status)])
        _not_listed(doc, MARKER_ACTIONS_LIMIT, len(actions), "actions of this marker", "the action plan lists them")
    else:
        paragraph(doc, "No improvement actions recorded.", style="Note").paragraph_format.space_before = Cm(0.2)


# ------------------------------------------------------------------ actions, findings


def _action_plan(doc: Document, contents: Contents, item: "Reviewed", today: date) -> None:
    mset = item.mset
    page_break_before(contents.heading(doc, "Action plan", 1))
    rows = []
    for m in mset.markers:
        entry = item.review.entry(m.id)
        for a in entry.actions if entry is not None else []:
            rows.append((m, a))
    if not rows:
        paragraph(doc, "No improvement actions are recorded.")
        return
    counts = {s: sum(1 for _, a in rows if a.status == s) for s in display.STATUSES}
    overdue = sum(1 for _, a in rows if a.due is not None and a.due < today and a.status != "done")
    summary = ", ".join(f"{n} {display.status(s).lower()}" for s, n in counts.items() if n)
    paragraph(doc, f"{plural(len(rows), 'action')}: {summary}" + (f"; {overdue} overdue." if overdue else "."))
    tbl = table(
        doc,
        [Column("ID", Cm(1.5)), Column("Action", Cm(6.6)), Column("Owner", Cm(3.4)), Column("Due", Cm(3.0)), Column("Status", Cm(2.5))],
    )
    for m, a in rows[:TABLE_ROW_LIMIT]:
        state = display.status(a.status)
        if a.due is not None and a.due < today and a.status != "done":
            state += " (overdue)"
        add_row(tbl, [m.id, a.action, a.owner or "not recorded", display.long_date(a.due) or "not recorded", state])
    _not_listed(doc, TABLE_ROW_LIMIT, len(rows), "actions", f"{item.name} holds every one")


def _findings(doc: Document, contents: Contents, item: "Reviewed") -> None:
    findings: list[Finding] = sorted(item.report.findings, key=lambda f: (SEVERITY_ORDER.get(f.severity, 9), f.line or 0, f.column or 0))
    contents.heading(doc, "Open findings", 1)
    if not findings:
        paragraph(doc, f"None: {item.name} checks clean.")
        return
    counts = {s: sum(1 for f in findings if f.severity == s) for s in SEVERITY_ORDER}
    listed = [f"{n} for information" if s == "info" else plural(n, s) for s, n in counts.items() if n]
    told = ", ".join(listed[:-1]) + " and " + listed[-1] if len(listed) > 1 else listed[0]
    paragraph(doc, f"scr-audit check reports {told} in {item.name}. Settle them in the review file and export again.")
    tbl = table(doc, [Column("Line", Cm(1.3), RIGHT), Column("Severity", Cm(2.1)), Column("Rule", Cm(3.6)), Column("Finding", Cm(10.0))])
    for f in findings[:TABLE_ROW_LIMIT]:
        add_row(tbl, [f.line if f.line is not None else "", SEVERITY_WORDS.get(f.severity, f.severity), f.rule, f.message])
    _not_listed(doc, TABLE_ROW_LIMIT, len(findings), "findings", f"`scr-audit check {item.name}` lists every one")


def _not_listed(doc: Document, shown: int, total: int, what: str, where: str) -> None:
    """Say, under a table cut at its limit, how many rows are not in it and where they are."""
    if total > shown:
        paragraph(doc, f"The first {shown:,} of {total:,} {what} are listed; {where}.", style="Note")


def _sign_off(doc: Document, contents: Contents, item: "Reviewed") -> None:
    info = item.review.review
    contents.heading(doc, "Sign-off", 1)
    paragraph(doc, "Assessed by", bold=True)
    signature_table(doc, [(name, None) for name in list(info.assessors) or [None]], who="Assessor")
    spacer(doc)
    paragraph(doc, "Reviewed by", bold=True)
    signature_table(doc, [(None, None)])
