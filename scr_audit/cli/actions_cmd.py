"""`scr-audit actions`: every improvement action across the review files, overdue first."""

from __future__ import annotations

from datetime import date
from typing import Optional

import click

from scr_audit.cli import EXIT_FINDINGS, main
from scr_audit.cli.output import DATE, JOBS, echo
from scr_audit.cli.summary_cmd import as_text, check_output_path, deliver, expand_paths, nothing_usable, output_format, read_summary, report_unused
from scr_audit.stages import STAGES

STATUSES = ("open", "in-progress", "done")


@main.command("actions", short_help="Every improvement action across the reviews, overdue first.")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--owner", default=None, metavar="TEXT", help="Only actions whose owner contains TEXT (case does not matter).")
@click.option("--status", "statuses", multiple=True, type=click.Choice(STATUSES, case_sensitive=False), help="Only actions with this status. Repeatable. Default: open and in-progress (not done).")
@click.option("--overdue", is_flag=True, help="Only actions overdue at --as-of.")
@click.option("--due-before", type=DATE, default=None, help="Only actions due before this date.")
@click.option("--stage", "stages", multiple=True, type=click.Choice(STAGES, case_sensitive=False), help="Only reviews assessed at this stage. Repeatable.")
@click.option("--as-of", "as_of", type=DATE, default=None, help="Judge overdue actions as at this date (default: today).")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json", "xlsx"]), default=None, help="Output format (default: table, or what -o's name ends in).")
@click.option("--excel", is_flag=True, help="CSV for Excel: UTF-8 with a byte-order mark.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None, help="Write to FILE (.csv, .json, .xlsx or .txt) instead of printing.")
@click.option("--force", is_flag=True, help="With -o: replace an existing file.")
@click.option("--fail-on-overdue", is_flag=True, help="Exit 1 when any action listed is overdue (for a scheduled job).")
@click.option("-j", "--jobs", type=JOBS, default=None, help="Worker processes (default: all cores).")
@click.pass_context
def actions_cmd(
    ctx: click.Context,
    paths: tuple[str, ...],
    owner: Optional[str],
    statuses: tuple[str, ...],
    overdue: bool,
    due_before: Optional[date],
    stages: tuple[str, ...],
    as_of: Optional[date],
    fmt: Optional[str],
    excel: bool,
    output: Optional[str],
    force: bool,
    fail_on_overdue: bool,
    jobs: Optional[int],
) -> None:
    """Every improvement action in the review files: review, marker, action, owner, due date,
    status and days overdue, overdue first (most overdue first), then by due date, then
    those with no due date.

    Each review is counted once: an action that several files of one review hold (an
    agreed file and its assessments) is listed once. A file with errors still gives the
    actions that can be read; a file that cannot be read is listed on stderr as skipped.
    Exit 0; 1 with --fail-on-overdue when an action listed is overdue; 2 when it cannot
    do its job.
    """
    from scr_audit import actions_output
    from scr_audit.actions import NOT_DONE, ActionFilter
    from scr_audit.termtext import visible

    fmt = output_format(fmt, output)
    if excel and fmt != "csv":
        raise click.UsageError("--excel (a byte-order mark for Excel) goes with CSV; for a workbook use --format xlsx")
    files = expand_paths(ctx, paths)
    check_output_path(output, fmt, files, force)
    today = as_of or date.today()
    keep = ActionFilter(
        owner=owner,
        statuses=frozenset(s.lower() for s in statuses) or NOT_DONE,
        overdue=overdue,
        due_before=due_before,
        stages=frozenset(s.lower() for s in stages),
    )
    summary = read_summary(ctx, files, jobs, today, stages)
    nothing_usable(ctx, summary, "list")
    result = actions_output.listing(summary, keep, today)

    data: Optional[bytes] = None
    if fmt == "csv":
        data = actions_output.to_csv(result).encode("utf-8-sig" if excel else "utf-8")
    elif fmt == "json":
        data = (actions_output.to_json(result) + "\n").encode("utf-8")
    elif fmt == "xlsx":
        data = actions_output.to_xlsx(result)
    elif output is not None:
        data = as_text([actions_output.table(result), actions_output.counted_line(result)], 100)
    counted = actions_output.counted_line(result)
    if not deliver(output, data, force=force, fmt=fmt, counted=counted):
        from rich.text import Text

        from scr_audit.cli.output import console

        con = console()
        if result.rows:
            con.print(actions_output.table(result))
        else:
            echo("No improvement actions match.")
        con.print(Text(counted))
    report_unused(summary)
    for s in summary.sets:
        for r in s.reviews:
            for m in r.group.members:
                if m.errors:
                    from scr_audit.shell import command

                    echo(
                        visible(f"{m.path}: {m.errors} error(s); its actions are listed as far as they can be read. "
                                "To list the errors, run:"),
                        err=True,
                    )
                    echo(f"  {command('check', m.path)}", err=True)
    if fail_on_overdue and result.overdue:
        ctx.exit(EXIT_FINDINGS)
