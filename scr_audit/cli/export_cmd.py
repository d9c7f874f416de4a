"""`scr-audit export`: the Word audit record of a review, or the summary record of many."""

from __future__ import annotations

import time
from datetime import date

import click

from scr_audit.cli import EXIT_FAILED, EXIT_FINDINGS, App, main
from scr_audit.cli.output import DATE, TEXT, echo, err_style
from scr_audit.stages import STAGES


@main.command("export", short_help="Write the Word audit record (one review) or summary record (many).")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("-o", "--output", required=True, type=click.Path(), metavar="OUT.docx", help="The Word file to write.")
@click.option("--marking", type=TEXT, default=None, metavar="TEXT", help="Protective marking in the header and footer (default: OFFICIAL-SENSITIVE).")
@click.option("--no-marking", is_flag=True, help="No protective marking.")
@click.option("--redact", is_flag=True, help="Replace what the personal-data rule finds with [redacted].")
@click.option("--include-guidance", is_flag=True, help="Add each marker's rationale from the standard.")
@click.option("--force", is_flag=True, help="Replace OUT.docx if it exists (never one of the inputs).")
@click.option("--as-of", "as_of", type=DATE, default=None, help="Judge overdue actions as at this date (default: today).")
@click.option("--meeting", type=TEXT, metavar="TEXT", default=None, help="Cover sheet: the meeting the paper goes to.")
@click.option("--meeting-date", type=DATE, default=None, help="Cover sheet: the date of the meeting.")
@click.option("--agenda-item", type=TEXT, metavar="TEXT", default=None, help="Cover sheet: the agenda item.")
@click.option("--author", type=TEXT, metavar="TEXT", default=None, help="Cover sheet: who wrote the paper (a role is enough).")
@click.option("--purpose", type=click.Choice(["decision", "information", "note"]), default=None,
              help="Cover sheet: for decision, for information, or to note.")
@click.option("--stage", "stages", multiple=True, type=click.Choice(STAGES, case_sensitive=False),
              help="Only reviews assessed at this stage. Repeatable. Stages are never pooled.")
@click.pass_context
def export_cmd(
    ctx: click.Context,
    paths: tuple[str, ...],
    output: str,
    marking: str | None,
    no_marking: bool,
    redact: bool,
    include_guidance: bool,
    force: bool,
    as_of: date | None,
    meeting: str | None,
    meeting_date: date | None,
    agenda_item: str | None,
    author: str | None,
    purpose: str | None,
    stages: tuple[str, ...],
) -> None:
    """Write the Word record: one review file gives its audit record; several files or a
    folder give the summary record (each review counted once: scores, the markers ranked,
    a chart, a marker-by-review matrix, every action).

    Page 1 is a cover sheet for the meeting (--meeting, --meeting-date, --agenda-item,
    --author, --purpose; each line left out when not given) and the executive summary.

    A folder that mixes stages gets its figures stage by stage, never pooled, as scr-audit summary
    gives them; --stage keeps only the reviews at the stages named (the record and stderr
    name the files left out).

    Files that cannot be read as reviews are reported and left out (exit 1; exit 2 if
    none is left). Exit 1 also when a review still has errors (listed in the record's
    appendix of open findings), or when the record repeats text that looks like personal
    data (page 1 warns; --redact replaces it).
    """
    from pathlib import Path

    from scr_audit import export
    from scr_audit import paths as pathmod
    from scr_audit.outputs import check_output
    from scr_audit.termtext import visible

    app: App = ctx.obj
    if marking is not None and no_marking:
        raise click.UsageError("give --marking TEXT or --no-marking, not both")
    if marking is not None and not marking.strip():
        raise click.BadParameter("the marking is empty; use --no-marking for none", param_hint="--marking")
    cover = {"--meeting": meeting, "--agenda-item": agenda_item, "--author": author}
    for option, value in cover.items():
        if value is not None and not value.strip():
            raise click.BadParameter("it is empty; leave the option out for none", param_hint=option)
    started = time.perf_counter()
    found = pathmod.expand(paths)
    files = found.files
    if not files and not found.problems:
        echo("No *.yaml or *.yml files found in " + ", ".join(visible(p) for p in paths) + ".", err=True)
        ctx.exit(EXIT_FAILED)
    out = check_output(output, inputs=files, force=force, suffixes=(".docx",), what="the record")
    summary = len(files) > 1 or any(Path(p).is_dir() for p in paths)
    wanted = [s.lower() for s in stages]
    today = as_of or date.today()

    from scr_audit.checks import CheckOptions
    from scr_audit.errors import ReviewFileError

    drawer = None
    if summary:  # its charts' process starts now, to import matplotlib while the files are read
        from scr_audit.records.chart import Drawer

        drawer = ctx.with_resource(Drawer.start())  # stopped when the command ends, however it ends
    inputs = export.load(files, app.registry, redact=redact, options=CheckOptions(today=today))
    inputs.refused += [ReviewFileError(p.file, [p]) for p in found.problems]  # folders that could not be searched
    for error in inputs.refused:
        echo(f"scr-audit: {visible(str(error), newlines=True)}", err=True)
    if not inputs.reviews:
        echo("Nothing was written.", err=True)
        ctx.exit(EXIT_FAILED)
    figures = export.summarise(inputs, app.registry, stages=wanted) if summary or wanted else None
    if figures is not None:
        asked = " or ".join(s for s in STAGES if s in wanted)
        for use in figures.left_out:
            echo(visible(f"left out {use.path}: made at stage {use.stage or 'not recorded'}, and only {asked} was asked for (--stage)."), err=True)
        from scr_audit.cli.summary_cmd import skipped_line

        for skipped in figures.skipped:
            echo(skipped_line(skipped), err=True)
        if not figures.sets:
            echo(f"Nothing was written: none of the {len(inputs.reviews)} review file(s) read is at stage {asked}.", err=True)
            ctx.exit(EXIT_FAILED)
    kept = export.used(inputs, figures) if figures is not None else inputs.reviews
    if summary:
        export.common_set(kept)
    options = export.ExportOptions(
        marking=None if no_marking else (marking.strip() if marking else export.DEFAULT_MARKING),
        redact=redact,
        include_guidance=include_guidance,
        as_of=today,
        meeting=meeting.strip() if meeting else None,
        meeting_date=meeting_date,
        agenda_item=agenda_item.strip() if agenda_item else None,
        author=author.strip() if author else None,
        purpose=purpose,
    )
    document = export.build(inputs, options, summary=figures if summary else None, drawer=drawer)
    size = export.write(document, out, force=force)
    elapsed = time.perf_counter() - started

    if summary:
        assert figures is not None
        left_out = f"; {len(inputs.refused) + len(figures.skipped)} file(s) left out" if inputs.refused or figures.skipped else ""
        if figures.left_out:
            left_out += f"; {len(figures.left_out)} file(s) at another stage left out"
        parts = f", in {len(figures.sets)} parts by stage (never pooled)" if len(figures.sets) > 1 else ""
        counted = figures.review_count
        files = f" from {len(kept)} file(s)" if counted != len(kept) else ""
        echo(f"Wrote {visible(output)}: summary record of {counted} review(s){files}{parts}{left_out} ({size // 1024} KB, {elapsed:.1f} s).")
    else:
        r = inputs.reviews[0]
        echo(f"Wrote {visible(output)}: audit record of {visible(r.review.review.title)} ({size // 1024} KB, {elapsed:.1f} s).")
    personal = []
    if redact:
        echo(f"Redacted {sum(r.redacted for r in kept)} personal identifier(s) found by the personal-data rule.", err=True)
    else:
        personal = [r for r in kept if r.personal_data]
        for r in personal:
            echo(
                err_style("warning: ", fg="yellow")
                + f"{visible(r.path)}: {r.personal_data} personal-data finding(s); the record repeats that text"
                + ("" if summary else " and warns on page 1")
                + ". Anonymise the review file, or export with --redact.",
                err=True,
            )
    open_errors = [(r, r.report.errors) for r in kept if r.report.errors]
    for r, n in open_errors:
        from scr_audit.shell import command

        where = f"to list them, run: {command('check', r.path)}" if summary else 'the record lists them under "Open findings".'
        echo(f"{visible(r.path)}: {n} error(s) still open; {where}", err=True)
    if inputs.refused or open_errors or personal or (figures is not None and figures.skipped):
        ctx.exit(EXIT_FINDINGS)
