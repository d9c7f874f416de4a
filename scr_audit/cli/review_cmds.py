"""`scr-audit new | check | schema`: making and checking review files."""

from __future__ import annotations

import sys
from datetime import date

import click

from scr_audit.cli import EXIT_FAILED, EXIT_FINDINGS, App, main
from scr_audit.cli.output import DATE, JOBS, TEXT, echo, is_tty, style
from scr_audit.stages import STAGES


@main.command("new", short_help="Write a blank review file with every question in it.")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--set", "set_id", default=None, metavar="ID", help="Marker set (default: scr-quality-markers).")
@click.option("--title", type=TEXT, default=None, help="The review's anonymised name, e.g. 'Child D' (default: the file's name).")
@click.option("--stage", type=click.Choice(STAGES, case_sensitive=False), default="end", show_default=True, help="When the assessment is made.")
@click.option("--partnership", type=TEXT, default=None, help="The safeguarding board or partnership.")
@click.option("--lead-reviewer", "lead_reviewers", type=TEXT, multiple=True, metavar="NAME", help="Repeatable.")
@click.option("--assessor", "assessors", type=TEXT, multiple=True, metavar="NAME", help="Repeatable.")
@click.option("--assessed-on", type=DATE, default=None, help="Date of the assessment (default: today).")
@click.pass_obj
def new_cmd(
    app: App,
    file: str,
    set_id: str | None,
    title: str | None,
    stage: str,
    partnership: str | None,
    lead_reviewers: tuple[str, ...],
    assessors: tuple[str, ...],
    assessed_on: date | None,
) -> None:
    """Write a blank review file: every marker and question, with the standard's words as comments.

    FILE must end in .yaml or .yml, and must not exist yet: scr-audit new never replaces
    a file.
    """
    from pathlib import Path

    from scr_audit import template
    from scr_audit.errors import WriteRefusedError
    from scr_audit.markers import DEFAULT_SET
    from scr_audit.outputs import check_review_file
    from scr_audit.shell import command
    from scr_audit.termtext import visible
    from scr_audit.yamlio import atomic_write

    path = Path(file)
    if path.is_file():
        raise WriteRefusedError(
            f"{visible(file)} already exists, and scr-audit new never replaces a file. To carry on with it, run:\n"
            f"  {command('assess', file)}"
        )
    check_review_file(path)  # the name, and a folder, a device, a pipe, a dangling link
    if title is None and not _is_utf8(path.stem):
        raise click.UsageError(f"the file name {visible(path.stem)} is not UTF-8 text, so it cannot be the review's title; give --title")
    mset = app.registry.get(set_id or DEFAULT_SET)
    text = template.render(
        mset,
        title=title or path.stem,
        stage=stage.lower(),
        partnership=partnership,
        lead_reviewers=lead_reviewers,
        assessors=assessors,
        assessed_on=assessed_on or date.today(),
    )
    atomic_write(path, text, yaml=True)
    schema_note = template.write_schema_beside(path, mset)
    item = visible(mset.header.item_name.lower())
    shown = visible(file)
    echo(f"Wrote {shown}: {visible(mset.title)} ({len(mset.markers)} {item}s, {mset.question_count} questions), stage {stage.lower()}.")
    if title is None:
        echo(f"The review's title is {visible(repr(path.stem))} (from the file name); change it with --title or in the file.")
    if schema_note:
        echo(visible(schema_note) + ".")
    echo("Next, answer its questions (or fill it in with an editor):")
    echo(f"  {command('assess', file)}")
    echo("and then check it:")
    echo(f"  {command('check', file)}")


def _is_utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


@main.command("check", short_help="Check review files and folders for errors and gaps.")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "info"]),
    default="error",
    show_default=True,
    help="Exit 1 when there are findings of this severity or worse.",
)
@click.option("--ignore", "ignored", multiple=True, metavar="RULE", help="Do not report this rule. Repeatable.")
@click.option("-j", "--jobs", type=JOBS, default=None, help="Worker processes (default: all cores; 1 for one process).")
@click.option("-q", "--quiet", is_flag=True, help="Text format: findings only, no table of files.")
@click.option("--as-of", "as_of", type=DATE, default=None, help="Judge overdue actions as at this date (default: today), for a record that can be reproduced.")
@click.pass_context
def check_cmd(
    ctx: click.Context, paths: tuple[str, ...], fmt: str, fail_on: str, ignored: tuple[str, ...], jobs: int | None, quiet: bool, as_of: date | None
) -> None:
    """Check review files and folders (folders are searched for .yaml and .yml files).

    Findings are grouped by file: the file's path, then one finding a line as
    line:column severity message [rule]. Exit 0 when nothing is at or above --fail-on,
    1 when something is, 2 when the check could not run.
    """
    from scr_audit import paths as pathmod
    from scr_audit import renderers
    from scr_audit.batch import check_many, unreadable_reports
    from scr_audit.checks import CheckOptions
    from scr_audit.cli.output import text_width
    from scr_audit.results import SEVERITY_ORDER, ReviewRow
    from scr_audit.rules import RULES
    from scr_audit.validation import did_you_mean

    app: App = ctx.obj
    for name in ignored:
        if name not in RULES:
            raise click.BadParameter(f"there is no rule called {name!r}{did_you_mean(name, RULES)}; the rules are {', '.join(RULES)}", param_hint="--ignore")
    found = pathmod.expand(paths)
    files = found.files
    left_out = found.left_out
    if not files and not found.problems:
        echo(_nothing_to_check(paths, left_out), err=True)
        ctx.exit(EXIT_FAILED)
    options = CheckOptions(ignore=frozenset(ignored), today=as_of or date.today())
    threshold = SEVERITY_ORDER[fail_on]
    failing = False
    rows: list[ReviewRow] = []

    def checked():  # type: ignore[no-untyped-def]
        nonlocal failing
        with _progress(len(files)) as advance:
            for report in check_many(files, app.registry, options, jobs=jobs):
                advance()
                failing = failing or any(SEVERITY_ORDER.get(f.severity, 9) <= threshold for f in report.findings)
                yield report
        for report in unreadable_reports(found.problems, options):  # folders that could not be searched
            failing = failing or bool(report.findings)
            yield report

    if fmt == "json":
        for chunk in renderers.check_json(checked(), left_out):
            click.echo(chunk, nl=False)
    else:
        width = text_width()
        for report in checked():
            rows.append(ReviewRow.of(report))
            for line in renderers.file_block(report, style, width):
                echo(line)
        if not quiet:
            for line in renderers.files_table(rows, style, width):
                echo(line)
            echo()
        from scr_audit.cli.output import wrap_to

        echo(wrap_to(renderers.totals_line(renderers.totals(rows)), width))
        skipped = renderers.left_out_line(left_out)
        if skipped:
            echo(wrap_to(skipped, width))
    if failing:
        ctx.exit(EXIT_FINDINGS)


def _nothing_to_check(paths: tuple[str, ...], left_out: list[tuple[str, str]]) -> str:
    from scr_audit import renderers
    from scr_audit.termtext import visible

    named = ", ".join(visible(p) for p in paths)
    why = renderers.left_out_line(left_out)
    return f"Nothing to check: no .yaml or .yml files in {named}." + (f" {why}" if why else "")


class _progress:
    """A progress bar on stderr when it is a terminal and there are many files."""

    def __init__(self, total: int) -> None:
        self.total = total
        self._progress = None
        self._task = None

    def __enter__(self):  # type: ignore[no-untyped-def]
        if self.total >= 20 and is_tty(sys.stderr):
            from rich.progress import Progress

            from scr_audit.cli.output import console

            self._progress = Progress(console=console(err=True), transient=True)
            self._progress.__enter__()
            self._task = self._progress.add_task("Checking", total=self.total)
            return lambda: self._progress.advance(self._task)  # type: ignore[union-attr]
        return lambda: None

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.__exit__(*exc)


@main.command("schema", short_help="The JSON Schema of the review file, for editors.")
@click.option("--set", "set_id", default=None, metavar="ID", help="Fill in this set's markers and questions (default: scr-quality-markers).")
@click.option("--generic", is_flag=True, help="The file format alone, without a set's markers.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None, help="Write to FILE instead of printing.")
@click.option("--force", is_flag=True, help="With -o: replace an existing file.")
@click.pass_obj
def schema_cmd(app: App, set_id: str | None, generic: bool, output: str | None, force: bool) -> None:
    """The JSON Schema of the review file, for completion and validation in editors."""
    from pathlib import Path

    from scr_audit.markers import DEFAULT_SET
    from scr_audit.schema import schema_json
    from scr_audit.yamlio import atomic_write

    from scr_audit.jsontext import escape_controls
    from scr_audit.outputs import check_output
    from scr_audit.termtext import visible

    if output is not None:
        check_output(output, force=force, suffixes=(".json",), what="the JSON Schema")
    mset = None if generic else app.registry.get(set_id or DEFAULT_SET)
    text = escape_controls(schema_json(mset))
    if output is None:
        click.echo(text, nl=False)
        return
    atomic_write(Path(output), text, overwrite=force)
    echo(f"Wrote {visible(output)}.", err=True)
