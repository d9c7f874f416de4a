"""Output formats for `actions`: a terminal table that reads at 80 columns, CSV, JSON, Excel.

The CSV and the workbook's Actions sheet are one table (`action_table`), which the
summary workbook uses too, so a business manager sees the same columns wherever an
action list appears. Every cell goes through `spreadsheets`, so a text that begins with
`=` stays a text.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Optional, Sequence

from scr_audit import __version__, jsontext
from scr_audit.actions import ActionFilter, ActionRow, filter_rows, sort_rows
from scr_audit.spreadsheets import Column, Properties, Sheet, csv_text, workbook_bytes
from scr_audit.termtext import visible
from scr_audit.validation import plural

if TYPE_CHECKING:
    from scr_audit.summary import Summary

#: The JSON document's shape; raised only when a key changes meaning or goes.
#: The version of the JSON `actions --format json` writes (docs/schemas/actions.schema.json).
JSON_FORMAT = 1
STATUS_WORDS = {"open": "open", "in-progress": "in progress", "done": "done"}


@dataclass
class ActionListing:
    """The actions a command lists, and what they were drawn from."""

    rows: list[ActionRow]  # filtered and sorted
    summary: "Summary"  # the files and reviews read (each review once)
    keep: ActionFilter
    as_of: date
    #: actions of the reviews read that the filters leave out
    not_listed: int

    @property
    def overdue(self) -> int:
        return sum(1 for r in self.rows if r.overdue)


def listing(summary: "Summary", keep: ActionFilter, as_of: date) -> ActionListing:
    every = summary.actions
    rows = sort_rows(filter_rows(every, keep))
    return ActionListing(rows, summary, keep, as_of, len(every) - len(rows))


# --------------------------------------------------------------------------- the table


def action_table(rows: Sequence[ActionRow]) -> tuple[list[Column], list[list[Any]]]:
    """The columns and rows of an action list: the CSV, and the workbooks' Actions sheet."""
    columns = [
        Column("Review", wrap=True, width=20),
        Column("Partnership"),
        Column("Stage"),
        Column("Marker set"),
        Column("Marker"),
        Column("Marker title", wrap=True, width=24),
        Column("No.", "int"),
        Column("Action", wrap=True, width=50),
        Column("Owner", wrap=True, width=24),
        Column("Due", "date"),
        Column("Status"),
        Column("Days overdue", "int"),
        Column("File", wrap=True, width=30),
        Column("Also in", wrap=True, width=30),
    ]
    out = [
        [
            r.review_title,
            r.partnership,
            r.stage,
            r.marker_set,
            r.marker_id,
            r.marker_title,
            r.number,
            r.action,
            r.owner,
            r.due,
            r.status,
            r.days_overdue,
            r.path,
            "; ".join(f for f in r.files if f != r.path),
        ]
        for r in rows
    ]
    return columns, out


def to_csv(result: ActionListing) -> str:
    columns, rows = action_table(result.rows)
    return csv_text([[c.header for c in columns], *rows])


def _day(value: Optional[date]) -> Optional[str]:
    return value.isoformat() if value else None


def _filters(keep: ActionFilter) -> dict[str, Any]:
    return {
        "owner": keep.owner,
        "status": sorted(keep.statuses),
        "overdue": keep.overdue,
        "due-before": keep.due_before.isoformat() if keep.due_before else None,
        "stage": sorted(keep.stages) or None,
    }


def action_dict(a: ActionRow) -> dict[str, Any]:
    return {
        "review": a.review_title,
        "partnership": a.partnership,
        "stage": a.stage,
        "marker-set": a.marker_set,
        "marker": a.marker_id,
        "marker-title": a.marker_title,
        "number": a.number,
        "action": a.action,
        "owner": a.owner,
        "due": _day(a.due),
        "status": a.status,
        "days-overdue": a.days_overdue,
        "path": a.path,
        "files": list(a.files),
    }


def to_json(result: ActionListing) -> str:
    s = result.summary
    doc = {
        "tool": "scr-audit",
        "version": __version__,
        "format": JSON_FORMAT,
        "as-of": result.as_of.isoformat(),
        "filters": _filters(result.keep),
        "counted": {
            "files": len(s.files),
            "files-used": s.files_used,
            "reviews": s.review_count,
            "skipped": len(s.skipped),
            "left-out": len(s.left_out),
            "actions": len(result.rows),
            "overdue": result.overdue,
            "not-listed": result.not_listed,
        },
        "actions": [action_dict(a) for a in result.rows],
        "skipped": [{"path": k.path, "reason": k.reason, "line": k.line, "column": k.column, "rule": k.rule} for k in s.skipped],
    }
    return jsontext.dumps(doc)  # finite numbers, UTF-8 always, no raw control characters


def to_xlsx(result: ActionListing, *, generated: Optional[datetime] = None) -> bytes:
    from scr_audit.summary_output import files_table

    generated = generated or datetime.now()
    return workbook_bytes(
        [Sheet("Actions", *action_table(result.rows), freeze_columns=1), Sheet("Files", *files_table(result.summary))],
        Properties(
            title=f"Improvement actions ({plural(len(result.rows), 'action')}, {result.overdue} overdue at {result.as_of.isoformat()})",
            subject="Improvement actions across review files",
            comments=f"Written by scr-audit {__version__}: {result.summary.counted()}; {counted_line(result)}",
            created=generated,
            keywords="scr-audit; actions",
        ),
    )


# ------------------------------------------------------------------------------ terminal


def counted_line(result: ActionListing) -> str:
    """'12 actions listed, 3 overdue at 2026-11-22; from 6 files, 3 reviews; 4 not listed (...)'."""
    s = result.summary
    line = (
        f"{plural(len(result.rows), 'action')} listed, {result.overdue} overdue at {result.as_of.isoformat()}; "
        f"from {plural(s.files_used, 'file')}, {plural(s.review_count, 'review')} (each counted once)"
    )
    if result.not_listed:
        hint = " (add --status done to list done ones)" if "done" not in result.keep.statuses else ""
        line += f"; {plural(result.not_listed, 'other action')} not listed by the filters{hint}"
    if s.skipped:
        line += f"; {plural(len(s.skipped), 'file')} skipped"
    return line + "."


def table(result: ActionListing) -> Any:
    """The terminal table: due, days late, status, owner, then the action with its review."""
    from rich import box
    from rich.markup import escape
    from rich.table import Table

    folder = _common_folder(result)
    t = Table(
        title=escape(f"Improvement actions, overdue first (as at {result.as_of.isoformat()})"),
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        collapse_padding=True,
    )
    t.add_column("Due, status", no_wrap=True)
    t.add_column("Days\nlate", justify="right", no_wrap=True)
    t.add_column("Owner", max_width=14, overflow="fold")
    t.add_column("Action (review, marker, file)", overflow="fold", ratio=1)
    for r in result.rows:
        late = f"[red]{r.days_overdue}[/red]" if r.overdue else ""
        where = os.path.relpath(r.path, folder) if folder else r.path
        extra = f" (+{plural(len(r.files) - 1, 'other file')})" if len(r.files) > 1 else ""
        stage = f" ({r.stage})" if r.stage else ""
        t.add_row(
            (r.due.isoformat() if r.due else "[dim]no due date[/dim]") + "\n" + STATUS_WORDS.get(r.status, r.status),
            late,
            escape(visible(r.owner)) if r.owner else "[dim]no owner[/dim]",
            f"{escape(visible(r.action))}\n[dim]{escape(visible(r.review_title + stage))} · {escape(visible(r.marker_id + ' ' + r.marker_title))}"
            f" · {escape(visible(where))}{extra}[/dim]",
        )
    return t


def _common_folder(result: ActionListing) -> str:
    from scr_audit.renderers import common_folder

    return common_folder([r.path for r in result.rows])
