"""`scr-audit summary`: figures per review, per marker and per cluster, each review counted once."""

from __future__ import annotations

import sys
from datetime import date
from typing import TYPE_CHECKING, Any, Optional

import click

from scr_audit.cli import EXIT_FAILED, EXIT_FINDINGS, App, main
from scr_audit.cli.output import DATE, JOBS, echo, is_tty
from scr_audit.stages import STAGES

if TYPE_CHECKING:  # pathlib is left to the commands' bodies: start-up stays fast
    from pathlib import Path

#: The file name each format is written to: never a text table in a file named .xlsx.
SUFFIXES = {"table": (".txt",), "csv": (".csv",), "json": (".json",), "xlsx": (".xlsx",)}
WHAT = {"table": "the text table", "csv": "CSV", "json": "JSON", "xlsx": "the Excel workbook"}


def output_format(fmt: Optional[str], output: Optional[str]) -> str:
    """The format asked for, or, with only `-o`, the one its suffix names (default: table)."""
    if fmt is not None:
        return fmt
    if output is not None:
        from pathlib import Path

        suffix = Path(output).suffix.lower()
        for name, suffixes in SUFFIXES.items():
            if suffix in suffixes:
                return name
        raise click.UsageError(
            f"-o {output}: say which format with --format, or name the file .csv, .json, .xlsx or .txt"
        )
    return "table"


def check_output_path(output: Optional[str], fmt: str, files: list[Path], force: bool) -> None:
    """Refuse a bad -o before any work is done (exit 2): wrong suffix, an input, an existing file."""
    if output is None:
        if fmt == "xlsx":
            raise click.UsageError("--format xlsx writes a workbook: give -o FILE.xlsx")
        return
    from scr_audit.outputs import check_output

    check_output(output, inputs=files, force=force, suffixes=SUFFIXES[fmt], what=WHAT[fmt])


def read_summary(ctx: click.Context, files: list[Path], jobs: Optional[int], as_of: date, stages: tuple[str, ...]) -> Any:
    """Check every file (on all cores) and summarise them, each review once."""
    from scr_audit.batch import check_many, unreadable_reports
    from scr_audit.checks import CheckOptions
    from scr_audit.cli.review_cmds import _progress
    from scr_audit.summary import summarise

    app: App = ctx.obj
    options = CheckOptions(today=as_of)
    with _progress(len(files)) as advance:

        def reports():  # type: ignore[no-untyped-def]
            for report in check_many(files, app.registry, options, jobs=jobs):
                advance()
                yield report
            yield from unreadable_reports(ctx.meta.get(_UNREADABLE, ()), options)

        return summarise(reports(), app.registry, stages=[s.lower() for s in stages])


def expand_paths(ctx: click.Context, paths: tuple[str, ...]) -> list[Path]:
    """The files under `paths`; the folders that could not be searched are kept on the
    context for `read_summary`, which reports each (a summary never passes without them)."""
    from scr_audit import paths as pathmod

    found = pathmod.expand(paths)
    if not found.files and not found.problems:
        from scr_audit.cli.review_cmds import _nothing_to_check

        echo(_nothing_to_check(paths, found.left_out), err=True)
        ctx.exit(EXIT_FAILED)
    ctx.meta[_UNREADABLE] = found.problems
    return found.files


_UNREADABLE = "scr_audit.unreadable_folders"


def report_unused(result: Any) -> None:
    """Skipped files, with the reason, on stderr; files at another stage as one line."""

    for skipped in result.skipped:
        echo(skipped_line(skipped), err=True)
    if result.left_out:
        asked = ", ".join(s for s in STAGES if s in result.stages)
        echo(f"left out {len(result.left_out)} file(s) made at another stage than {asked} (--stage).", err=True)


def skipped_line(skipped: Any) -> str:
    """'skipped PATH:LINE:COL: why [rule]': where, why, and the rule, as check would say it."""
    from scr_audit.termtext import visible

    where = skipped.path
    if skipped.line is not None:
        where += f":{skipped.line}" + (f":{skipped.column}" if skipped.column is not None else "")
    rule = f" [{skipped.rule}]" if skipped.rule else ""
    return visible(f"skipped {where}: {skipped.reason}{rule}")


def as_text(parts: Any, width: int) -> bytes:
    """Rich renderables as the plain text a -o FILE.txt holds (no colour, a fixed width)."""
    from io import StringIO

    from rich.console import Console

    buf = StringIO()
    plain = Console(file=buf, width=width, no_color=True, highlight=False, emoji=False)
    for part in parts:
        plain.print(part)
    return buf.getvalue().encode("utf-8")


def deliver(output: Optional[str], data: Optional[bytes], *, force: bool, fmt: str, counted: str) -> bool:
    """Write `data` to -o, or to standard output; False when there is none (the terminal table).

    What was counted goes to stderr beside a file written, and beside data piped only when a
    person watches stderr: a program reading the pipe gets the data alone.
    """
    from scr_audit.termtext import visible

    if output is not None:
        assert data is not None
        write(output, data, force)
        echo(f"Wrote {visible(output)} ({WHAT[fmt]}). {counted}", err=True)
        return True
    if data is None:
        return False
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()
    if is_tty(sys.stderr):
        echo(counted, err=True)
    return True


def nothing_usable(ctx: click.Context, result: Any, what: str) -> None:
    if result.review_count:
        return
    report_unused(result)
    n = len(result.files)
    if result.left_out and not result.skipped:
        reason = f"none of the {n} file(s) is at stage {' or '.join(s for s in STAGES if s in result.stages)}"
    else:
        reason = f"none of the {n} file(s) could be used as a review"
    echo(f"Nothing to {what}: {reason}.", err=True)
    ctx.exit(EXIT_FAILED)


def write(output: str, data: bytes, force: bool) -> None:
    from pathlib import Path

    from scr_audit.yamlio import atomic_write

    atomic_write(Path(output), data, overwrite=force)


@main.command("summary", short_help="Scores per review, per marker and per cluster; Excel workbook.")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json", "xlsx"]), default=None, help="Output format (default: table, or what -o's name ends in).")
@click.option("--csv", "as_csv", is_flag=True, help="Same as --format csv.")
@click.option("--json", "as_json", is_flag=True, help="Same as --format json.")
@click.option(
    "--by",
    type=click.Choice(["review", "marker", "cluster", "matrix"]),
    default=None,
    help="CSV: one row per review (default), per marker, per cluster, or per review with one column per marker's rating (matrix). Table: show only that part.",
)
@click.option("--stage", "stages", multiple=True, type=click.Choice(STAGES, case_sensitive=False), help="Only reviews assessed at this stage. Repeatable. Stages are never pooled.")
@click.option("--excel", is_flag=True, help="CSV for Excel: UTF-8 with a byte-order mark.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None, help="Write to FILE (.csv, .json, .xlsx or .txt) instead of printing.")
@click.option("--force", is_flag=True, help="With -o: replace an existing file.")
@click.option("-j", "--jobs", type=JOBS, default=None, help="Worker processes (default: all cores).")
@click.option("--as-of", "as_of", type=DATE, default=None, help="Judge overdue actions as at this date (default: today).")
@click.pass_context
def summary_cmd(
    ctx: click.Context,
    paths: tuple[str, ...],
    fmt: Optional[str],
    as_csv: bool,
    as_json: bool,
    by: Optional[str],
    stages: tuple[str, ...],
    excel: bool,
    output: Optional[str],
    force: bool,
    jobs: Optional[int],
    as_of: Optional[date],
) -> None:
    """Scores per review, and per marker and cluster across reviews, set by set and stage by stage.

    Each review is counted once: files naming the same marker set, review title and
    partnership are one review's assessments; an agreed file (compare --merge) stands for
    them. Files that are not usable reviews are listed as skipped (exit 1); nothing usable
    at all is exit 2. -o FILE.xlsx writes an Excel workbook.
    """
    from scr_audit import summary_output

    if sum((as_csv, as_json, fmt is not None)) > 1:
        raise click.UsageError("choose one of --format, --csv and --json")
    fmt = output_format("csv" if as_csv else "json" if as_json else fmt, output)
    if excel and fmt != "csv":
        raise click.UsageError("--excel (a byte-order mark for Excel) goes with CSV; for a workbook use --format xlsx")
    if by == "matrix" and fmt == "table":
        raise click.UsageError("--by matrix is a CSV layout (one column per marker); use --csv, or the Matrix sheet of -o FILE.xlsx")
    files = expand_paths(ctx, paths)
    check_output_path(output, fmt, files, force)
    today = as_of or date.today()
    result = read_summary(ctx, files, jobs, today, stages)
    nothing_usable(ctx, result, "summarise")

    data: Optional[bytes] = None
    if fmt == "csv":
        data = summary_output.to_csv(result, by or "review").encode("utf-8-sig" if excel else "utf-8")
    elif fmt == "json":
        data = (summary_output.to_json(result) + "\n").encode("utf-8")
    elif fmt == "xlsx":
        data = summary_output.to_xlsx(result, as_of=today)
    elif output is not None:
        data = as_text(summary_output.tables(result, by), 120)
    if not deliver(output, data, force=force, fmt=fmt, counted=summary_output.counted_line(result)):
        from scr_audit.cli.output import console

        con = console()
        for part in summary_output.tables(result, by):
            con.print(part)
    report_unused(result)
    if result.skipped:
        ctx.exit(EXIT_FINDINGS)
