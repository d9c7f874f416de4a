"""Output formats for `summary`: terminal tables, CSV, JSON and the Excel workbook.

The CSV and the workbook are built from the same tables (`review_table`, `marker_table`,
`matrix_table`...): labelled headers and a stable column order, so a spreadsheet built on
the CSV keeps working and the workbook's sheets say what the CSV says. Every value goes
into a cell through `spreadsheets` (safe to open). Every output says how many files and
how many reviews it used; each review is counted once, and stages are never pooled.
"""

from __future__ import annotations

import os
from datetime import date, datetime
from typing import Any, Optional

from scr_audit import __version__, grouping, jsontext
from scr_audit.actions_output import action_dict, action_table
from scr_audit.renderers import RATING_STYLES, common_folder, score_dict, score_text
from scr_audit.results import Score
from scr_audit.review_plain import DATE_FIELDS
from scr_audit.spreadsheets import Column, Properties, Shaded, Sheet, csv_text, workbook_bytes
from scr_audit.stages import STAGE_LABELS
from scr_audit.summary import ReviewFigures, SetSummary, Summary, Tally, months_label
from scr_audit.termtext import visible
from scr_audit.validation import plural

BY = ("review", "marker", "cluster", "matrix")
Table = tuple[list[Column], list[list[Any]]]


def _figure_keys(summary: Summary) -> list[tuple[str, str]]:
    """(key, column name) of every figure and choice question of the sets present."""
    out: list[tuple[str, str]] = []
    for s in summary.sets:
        for f in s.figures:
            name = f.figure.label + (f" ({f.figure.unit})" if f.figure.unit else "")
            if (f.figure.key, name) not in out:
                out.append((f.figure.key, name))
        for c in s.choices:
            if (c.key, c.label) not in out:
                out.append((c.key, c.label))
    return out


def _number(value: Optional[float]) -> str:
    return "" if value is None else f"{value:g}"


def _ratings(summary: Summary) -> list[tuple[str, str]]:
    """(rating id, column label) of every rating of the sets present, in the sets' order."""
    out: list[tuple[str, str]] = []
    labels: set[str] = set()
    for s in summary.sets:
        for r in s.mset.header.rating_scale:
            if r.id in (i for i, _ in out):
                continue
            label = r.label if r.label not in labels else f"{r.label} ({r.id})"
            labels.add(label)
            out.append((r.id, label))
    return out


def _pct(score: Optional[Score]) -> Optional[float]:
    return None if score is None or score.percent is None else round(score.percent, 1)


def stage_name(stage: Optional[str]) -> str:
    return STAGE_LABELS.get(stage or "", "Stage not given (or not one of beginning, progressive, end)")


def _date_label(name: str) -> str:
    return name.capitalize()


def _months_header(summary: Summary) -> str:
    labels = {months_label(s.mset) for s in summary.sets} - {None}
    return labels.pop() if len(labels) == 1 else "Months to complete (each set's own measure)"  # type: ignore[return-value]


# --------------------------------------------------------------------------- the tables


def review_table(summary: Summary) -> Table:
    """One row per review, counted once: the Reviews sheet and the per-review CSV."""
    ratings = _ratings(summary)
    extra = _figure_keys(summary)
    columns = [
        Column("Review", wrap=True, width=24),
        Column("Partnership"),
        Column("Marker set"),
        Column("Stage"),
        Column("Assessment"),
        Column("Files", "int"),
        Column("Assessors", wrap=True, width=24),
        Column("Assessed on", "date"),
        *[Column(_date_label(n), "date") for n in DATE_FIELDS],
        Column(_months_header(summary), "number", width=14),
        Column("Score", "percent"),
        Column("Rated", "int"),
        Column("Markers", "int"),
        Column("Unrated", "int"),
        *[Column(label, "int") for _, label in ratings],
        Column("Answered", "int"),
        Column("Questions", "int"),
        Column("Errors", "int"),
        Column("Warnings", "int"),
        Column("Info", "int"),
        Column("Assessors differ on", wrap=True, width=20),
        Column("File names", wrap=True, width=40),
        *[Column(name, "text" if _is_choice(summary, key) else "number", wrap=True, width=18) for key, name in extra],
    ]
    rows = []
    for s in summary.sets:
        for r in s.reviews:
            counts = r.score.counts
            rows.append(
                [
                    r.title,
                    r.partnership,
                    r.marker_set,
                    r.stage,
                    grouping.STANDING_LABELS[r.standing],
                    len(r.files),
                    "; ".join(r.assessors),
                    r.assessed_on,
                    *[r.dates.get(n) for n in DATE_FIELDS],
                    r.months,
                    _pct(r.score),
                    r.score.rated,
                    r.markers_total,
                    r.score.unrated,
                    *[counts.get(rid) if rid in counts else None for rid, _ in ratings],
                    r.answered,
                    r.questions_total,
                    r.errors,
                    r.warnings,
                    r.infos,
                    ", ".join(r.differ),
                    "; ".join(_standing_first(r)),
                    *[_figure_or_choice(r, key) for key, _ in extra],
                ]
            )
    return columns, rows


def _is_choice(summary: Summary, key: str) -> bool:
    return any(c.key == key for s in summary.sets for c in s.choices)


def _figure_or_choice(r: ReviewFigures, key: str) -> Any:
    return r.figures[key] if key in r.figures else r.choices.get(key)


def _standing_first(r: ReviewFigures) -> list[str]:
    first = r.group.first
    return [first.path] + [m.path for m in r.group.members if m is not first]


def tally_table(summary: Summary, kind: str) -> Table:
    """Per marker (or cluster), per set and stage: counts and shares of each rating.

    Shares are of the reviews that rated it (not applicable included), so a row's shares
    add up to 100%; rows are ranked as `summary.rank` ranks them (the summary record's
    order): by the share needing action (partly met or not met), highest first, then by
    how many, then in the set's order.
    """
    ratings = _ratings(summary)
    needing = _needing_action_label(summary)
    columns = [
        Column("Marker set"),
        Column("Stage"),
        Column("Marker" if kind == "marker" else "Cluster"),
        Column("Title", wrap=True, width=36),
        *([Column("Cluster")] if kind == "marker" else []),
        Column(needing, "percent", width=14),
        Column("Reviews", "int"),
        Column("Rated", "int"),
        *[c for _, label in ratings for c in (Column(label, "int"), Column(f"{label} (%)", "percent"))],
        Column("Unrated", "int"),
        Column("Mean score", "percent"),
    ]
    rows = []
    for s in summary.sets:
        for ranked in s.ranked(kind):
            t, share = ranked.tally, None if ranked.share is None else round(ranked.share, 1)
            counts = t.score.counts
            rows.append(
                [
                    s.mset.id,
                    s.stage,
                    t.id,
                    t.title,
                    *([t.cluster] if kind == "marker" else []),
                    share,
                    t.score.total,
                    t.score.rated,
                    *[v for rid, _ in ratings for v in ((counts.get(rid), _share(t.score, {rid})) if rid in counts else (None, None))],
                    t.score.unrated,
                    _pct(t.score),
                ]
            )
    return columns, rows


def _share(score: Score, ids: set[str]) -> Optional[float]:
    if not score.rated:
        return None
    return round(100.0 * sum(n for rid, n in score.counts.items() if rid in ids) / score.rated, 1)


def _needing_action_label(summary: Summary) -> str:
    labels: list[str] = []
    for s in summary.sets:
        for r in s.mset.header.rating_scale:
            if r.needs_action and r.label not in labels:
                labels.append(r.label)
    if not labels or len({s.mset.id for s in summary.sets}) > 1:
        # sets of their own words: name the share by what the ratings have in common
        return "Rated as needing an action (%)"
    return " or ".join(labels[:1] + [label.lower() for label in labels[1:]]) + " (%)"


def matrix_table(summary: Summary) -> Table:
    """One row per review, one column per marker: the rating's word, shaded in the set's colour."""
    markers: list[tuple[str, str]] = []
    for s in summary.sets:
        for m in s.mset.rated_markers:
            if (m.id, m.title) not in markers:
                markers.append((m.id, m.title))
    columns = [
        Column("Review", wrap=True, width=24),
        Column("Partnership"),
        Column("Marker set"),
        Column("Stage"),
        Column("Assessment"),
        Column("Score", "percent"),
        *[Column(f"{mid} {title}", wrap=True, width=14) for mid, title in markers],
    ]
    rows = []
    for s in summary.sets:
        for r in s.reviews:
            cells: list[Any] = []
            for mid, _ in markers:
                rid = r.ratings.get(mid) if mid in r.ratings else None
                opt = s.mset.rating_by_id(rid) if rid else None
                cells.append(Shaded(opt.label, opt.fill) if opt else None)
            rows.append([r.title, r.partnership, r.marker_set, r.stage, grouping.STANDING_LABELS[r.standing], _pct(r.score), *cells])
    return columns, rows


def files_table(summary: Summary) -> Table:
    """Every file given, used or not, and what it was used for (or why not)."""
    columns = [
        Column("File", wrap=True, width=40),
        Column("Review", wrap=True, width=24),
        Column("Stage"),
        Column("Marker set"),
        Column("Assessment"),
        Column("Used"),
        Column("How it was used, or why not", wrap=True, width=60),
    ]
    rows = [[f.path, f.title, f.stage, f.marker_set, f.assessment, "yes" if f.used else "no", f.how] for f in summary.files]
    return columns, rows


# --------------------------------------------------------------------------------- CSV


def _csv_rows(table: Table) -> list[list[Any]]:
    columns, rows = table
    # CSV holds a percentage as a number from 0 to 100, so its header says so
    out: list[list[Any]] = [[c.header + (" (%)" if c.kind == "percent" and not c.header.endswith("(%)") else "") for c in columns]]
    for row in rows:
        out.append([v.text if isinstance(v, Shaded) else v for v in row])
    return out


def to_csv(summary: Summary, by: str = "review") -> str:
    if by == "review":
        table = review_table(summary)
    elif by == "matrix":
        table = matrix_table(summary)
    else:
        table = tally_table(summary, by)
    return csv_text(_csv_rows(table))


# -------------------------------------------------------------------------------- JSON


def _tally_dict(t: Tally) -> dict[str, Any]:
    return {"id": t.id, "title": t.title, "cluster": t.cluster, **(score_dict(t.score) or {})}


#: The version of the JSON `summary --format json` writes (docs/schemas/summary.schema.json).
#: Raised only when a key changes meaning or goes; new keys keep the number.
SUMMARY_JSON_FORMAT = 1


def _day(value: Optional[date]) -> Optional[str]:
    return value.isoformat() if value else None


def _review_dict(r: ReviewFigures) -> dict[str, Any]:
    return {
        "path": r.path,
        "title": r.title,
        "partnership": r.partnership,
        "stage": r.stage,
        "standing": r.standing,
        "files": _standing_first(r),
        "assessors": r.assessors,
        "assessed-on": _day(r.assessed_on),
        "dates": {k: v.isoformat() for k, v in r.dates.items()},
        "months": r.months,
        "answered": r.answered,
        "questions": r.questions_total,
        "rated": r.rated,
        "markers": r.markers_total,
        "score": score_dict(r.score),
        "ratings": r.ratings,
        "differ": r.differ,
        "figures": r.figures,
        "choices": r.choices,
        "errors": r.errors,
        "warnings": r.warnings,
        "infos": r.infos,
        "actions": [action_dict(a) for a in r.actions],
    }


def to_json(summary: Summary) -> str:
    doc = {
        "tool": "scr-audit",
        "version": __version__,
        "format": SUMMARY_JSON_FORMAT,
        "counted": {
            "files": len(summary.files),
            "files-used": summary.files_used,
            "reviews": summary.review_count,
            "skipped": len(summary.skipped),
            "left-out": len(summary.left_out),
        },
        "stages": sorted(summary.stages, key=lambda s: list(STAGE_LABELS).index(s)) or None,
        "moderation-rule": grouping.RULE_TEXT,
        "sets": [
            {
                "marker-set": s.mset.id,
                "title": s.mset.title,
                "version": s.mset.version,
                "stage": s.stage,
                "files": s.file_count,
                "reviews": [_review_dict(r) for r in s.reviews],
                "markers": [_tally_dict(t) for t in s.markers],
                "clusters": [_tally_dict(t) for t in s.clusters],
                "overall": score_dict(s.overall),
                "figures": [
                    {"key": f.figure.key, "label": f.figure.label, "unit": f.figure.unit, "reviews": f.values, "mean": f.mean, "median": f.median, "min": f.low, "max": f.high}
                    for f in s.figures
                ],
                "choices": [{"key": c.key, "label": c.label, "counts": c.counts, "unanswered": c.unanswered} for c in s.choices],
            }
            for s in summary.sets
        ],
        "skipped": [
            {"path": k.path, "reason": k.reason, "line": k.line, "column": k.column, "rule": k.rule} for k in summary.skipped
        ],
        "files": [
            {"path": f.path, "used": f.used, "how": f.how, "title": f.title, "stage": f.stage, "marker-set": f.marker_set, "assessment": f.assessment}
            for f in summary.files
        ],
    }
    return jsontext.dumps(doc)


# ----------------------------------------------------------------------------- workbook


def to_xlsx(summary: Summary, *, as_of: date, generated: Optional[datetime] = None) -> bytes:
    """The workbook: Reviews, Markers, Matrix, Actions and Files sheets, and About."""
    generated = generated or datetime.now()
    sheets = [
        Sheet("Reviews", *review_table(summary), freeze_columns=1),
        Sheet("Markers", *tally_table(summary, "marker"), freeze_columns=0),
        Sheet("Matrix", *matrix_table(summary), freeze_columns=1),
        Sheet("Actions", *action_table(summary.actions)),
        Sheet("Files", *files_table(summary)),
        about_sheet(summary, as_of=as_of, generated=generated),
    ]
    sets = ", ".join(f"{s.mset.title} ({s.mset.version})" for s in summary.sets) or "none"
    return workbook_bytes(
        sheets,
        Properties(
            title=f"Summary of {plural(summary.review_count, 'review')}",
            subject=f"Reviews audited against {sets}",
            comments=f"Written by scr-audit {__version__}: {summary.counted()}.",
            created=generated,
            keywords="scr-audit; summary",
        ),
    )


def about_sheet(summary: Summary, *, as_of: date, generated: datetime) -> Sheet:
    rows: list[list[Any]] = [
        ["Made by", f"scr-audit {__version__}"],
        ["Made on", generated.replace(microsecond=0, tzinfo=None)],
        ["Files given", len(summary.files)],
        ["Files used", summary.files_used],
        ["Reviews", summary.review_count],
        ["Files skipped", len(summary.skipped)],
        ["Files at a stage not asked for", len(summary.left_out)],
        ["Counting", "Each review is counted once: files naming the same marker set, review title and partnership "
         "(case and spacing aside) at the same stage are one review's. An agreed file stands for the review; "
         f"where several assessments are not yet moderated, {grouping.RULE_TEXT}."],
        ["Stages", "Kept apart: figures are given stage by stage, never pooled."],
        ["Overdue judged at", as_of],
        ["Safe to open", "Every text is a text cell, never a formula."],
    ]
    for s in summary.sets:
        rows.append([f"{s.mset.title}: {stage_name(s.stage).lower()}", f"{plural(len(s.reviews), 'review')} from {plural(s.file_count, 'file')}, overall {score_text(s.overall)}"])
    return Sheet("About", [Column("About this workbook", wrap=True, width=40), Column("", wrap=True, width=90, align="left")], rows)


# ------------------------------------------------------------------------------ terminal


def heading_text(s: SetSummary) -> str:
    """'Serious Case Review Quality Markers (...)\nEnd of the review: 3 reviews from 6 files, overall 72%'."""
    return (
        f"{s.mset.title} ({s.mset.id}, version {s.mset.version})\n{stage_name(s.stage)}: "
        f"{plural(len(s.reviews), 'review')} from {plural(s.file_count, 'file')}, overall {score_text(s.overall)}"
    )


def counting_notes(s: SetSummary) -> list[str]:
    """A line for each review made of several files: which file stands, or that none does yet."""
    lines = []
    for r in s.reviews:
        g = r.group
        if len(g.members) == 1:
            continue
        title = visible(r.title)
        if g.agreed is not None:
            line = f"{title}: counted once; the agreed file {visible(os.path.basename(g.agreed.path))} stands for {plural(len(g.members), 'file')}"
            if g.other_agreed:
                line += f" (the latest of {len(g.other_agreed) + 1} agreed files)"
        else:
            line = f"{title}: counted once from {plural(len(g.members), 'file')}, not yet moderated: {grouping.RULE_TEXT}"
            if r.differ:
                line += f"; they differ on {', '.join(r.differ)}"
        lines.append(line + ".")
    return lines


def tables(summary: Summary, by: Optional[str] = None) -> list[Any]:
    """Rich renderables: for each set and stage, the reviews, markers and clusters (or just `by`)."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from scr_audit.termtext import markup as escape, visible  # control characters visible, markup escaped

    out: list[Any] = []
    for s in summary.sets:
        scale = s.mset.header.rating_scale
        out.append(Text(visible(heading_text(s), newlines=True), style="bold"))
        for line in counting_notes(s):
            out.append(Text(line))

        def rating_columns(table: Any) -> None:
            for r in scale:
                # one word per header line, so a narrow terminal never cuts a column off
                table.add_column(escape("\n".join(visible(r.label).split())), justify="right", header_style=RATING_STYLES.get(r.colour, ""), no_wrap=True)

        if by in (None, "review", "matrix"):
            paths = [p for r in s.reviews for p in r.files]
            folder = common_folder(paths)
            t = Table(
                title=escape(visible(f"Reviews, in {folder}{os.sep}" if folder else "Reviews")),
                title_justify="left",
                box=box.SIMPLE_HEAD,
                pad_edge=False,
                collapse_padding=True,
            )
            t.add_column("Review (file)", overflow="fold")
            t.add_column("Answered", justify="right", no_wrap=True)
            t.add_column("Score", justify="right", no_wrap=True)
            t.add_column("Ratings", max_width=16)
            t.add_column("Errors", justify="right", no_wrap=True)
            t.add_column("Warnings", justify="right", no_wrap=True)
            for r in s.reviews:
                counts = r.score.counts
                given = [
                    f"[{RATING_STYLES.get(x.colour, '')}]{counts[x.id]} {escape(visible(x.label.lower()))}[/]"
                    for x in scale
                    if counts.get(x.id)
                ]
                if len(r.files) == 1:
                    where = os.path.relpath(r.path, folder) if folder else r.path
                elif r.group.agreed is not None:
                    where = f"{plural(len(r.files), 'file')}, agreed: " + (os.path.relpath(r.path, folder) if folder else r.path)
                else:
                    where = f"{plural(len(r.files), 'file')}, not yet moderated"
                t.add_row(
                    f"{escape(visible(r.title))}\n[dim]{escape(visible(where))}[/dim]",
                    f"{r.answered}/{r.questions_total}",
                    score_text(r.score),
                    ", ".join(given) or "none rated",
                    str(r.errors),
                    str(r.warnings),
                )
            out.append(t)
        for kind, tallies in (("marker", s.markers), ("cluster", s.clusters)):
            if by not in (None, kind):
                continue
            t = Table(title=f"By {kind}: how the reviews rated each {kind}", title_justify="left", box=box.SIMPLE_HEAD)
            t.add_column("ID" if kind == "marker" else "Cluster", no_wrap=True)
            t.add_column("Title", min_width=10)
            rating_columns(t)
            t.add_column("Unrated", justify="right", no_wrap=True)
            t.add_column("Mean", justify="right", no_wrap=True)
            for tally in tallies:
                t.add_row(
                    escape(visible(tally.id)),
                    escape(visible(tally.title)),
                    *[str(tally.score.counts.get(x.id, 0)) for x in scale],
                    str(tally.score.unrated),
                    score_text(tally.score),
                )
            out.append(t)
        if by is None and s.figures:
            t = Table(title="Figures recorded (numbers, not ratings)", title_justify="left", box=box.SIMPLE_HEAD)
            t.add_column("Question", min_width=16)
            for col in ("Reviews", "Mean", "Median", "Min", "Max"):
                t.add_column(col, justify="right", no_wrap=True)
            for f in s.figures:
                unit = f" ({f.figure.unit})" if f.figure.unit else ""
                t.add_row(escape(visible(f.figure.label + unit)), str(f.values), *[_number(v if v is None else round(v, 1)) or "-" for v in (f.mean, f.median, f.low, f.high)])
            out.append(t)
        if by is None and s.choices:
            for c in s.choices:
                t = Table(title=escape(visible(c.label)), title_justify="left", box=box.SIMPLE_HEAD)
                t.add_column("Choice")
                t.add_column("Reviews", justify="right", no_wrap=True)
                for label, n in c.counts.items():
                    t.add_row(escape(visible(label)), str(n))
                t.add_row("[dim]not answered[/dim]", str(c.unanswered))
                out.append(t)
    out.append(Text(counted_line(summary)))
    return out


def counted_line(summary: Summary) -> str:
    """What every output says it used: 'Used 7 of 8 files: 4 reviews, each counted once; 1 skipped.'"""
    parts = [f"Used {len(summary.files) and summary.files_used} of {plural(len(summary.files), 'file')}: {plural(summary.review_count, 'review')}, each counted once"]
    if len(summary.sets) > 1:
        parts[0] += f", in {len(summary.sets)} parts (by marker set and stage, never pooled)"
    if summary.skipped:
        parts.append(f"{len(summary.skipped)} skipped")
    if summary.left_out:
        parts.append(f"{plural(len(summary.left_out), 'file')} at another stage left out")
    return "; ".join(parts) + "."
