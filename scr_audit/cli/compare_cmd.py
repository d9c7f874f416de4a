"""`scr-audit compare`: moderation of several assessors' files for one review."""

from __future__ import annotations

from datetime import datetime

import click

from scr_audit.cli import EXIT_FINDINGS, App, main
from scr_audit.cli.output import TEXT, echo, err_style, style, wrap

DEFAULT_MARKING = "OFFICIAL-SENSITIVE"


@main.command("compare", short_help="Moderation: assessors side by side, agreement, a merged file.")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--merge", "merge_path", type=click.Path(dir_okay=False), default=None, metavar="OUT.yaml",
              help="Write a review file with what the assessors agree filled in and each disagreement left open. Never replaces a file.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None, metavar="OUT.docx",
              help="Write the moderation record in Word.")
@click.option("--marking", type=TEXT, default=DEFAULT_MARKING, show_default=True, metavar="TEXT",
              help="Protective marking in the Word record's header and footer.")
@click.option("--no-marking", is_flag=True, help="No protective marking in the Word record.")
@click.option("--force", is_flag=True, help="Replace an existing -o file (never one of the files compared).")
@click.pass_context
def compare_cmd(
    ctx: click.Context,
    files: tuple[str, ...],
    fmt: str,
    merge_path: str | None,
    output: str | None,
    marking: str,
    no_marking: bool,
    force: bool,
) -> None:
    """Moderation: compare two or more assessors' files for the same review.

    Shows a marker-by-assessor table of ratings with disagreements marked, every
    disputed rating and answer with each assessor's evidence, and how far they agree
    (percentage agreement; Cohen's and weighted kappa for two assessors, Fleiss' kappa
    for more). Exit 0 when they agree on every rating, 1 when a rating differs or only
    some assessors rated a marker, 2 when the files cannot be compared.
    """
    from pathlib import Path

    from scr_audit import moderation, moderation_render
    from scr_audit.outputs import check_output, same_file
    from scr_audit.termtext import visible
    from scr_audit.yamlio import atomic_write

    app: App = ctx.obj
    if len(files) < 2:
        raise click.UsageError("give at least two review files, one per assessor")
    from scr_audit.outputs import check_review_file

    # refused before any work is done, so a refused write never follows a long report
    if merge_path:
        from scr_audit import locks

        locks.ensure_free(merge_path)  # a sitting that holds it says so, and since when
        check_review_file(merge_path, inputs=files, option="--merge")  # never replaces a file
    if output:
        check_output(output, inputs=files, force=force, suffixes=(".docx",), what="the moderation record")
    if merge_path and output and same_file(Path(merge_path), Path(output)):
        raise click.BadParameter("--merge and -o name the same file", param_hint="-o")

    comp = moderation.compare_files(files, app.registry)
    for warning in comp.warnings:
        echo(err_style("warning: ", fg="yellow", bold=True) + visible(warning), err=True)

    if fmt == "json":
        click.echo(moderation_render.json_report(comp))
    else:
        from scr_audit.cli.output import console

        con = console()
        for block in moderation_render.text_report(comp, style, merging=bool(merge_path)):
            if isinstance(block, str):
                text = block.lstrip(" ")
                pad = " " * (len(block) - len(text))
                echo(wrap(text, pad, pad + "  "))
            else:
                con.print(block)

    generated = datetime.now().astimezone()
    today = generated.date()
    notes = []
    if merge_path:
        from scr_audit import locks
        from scr_audit.shell import command
        from scr_audit.validation import plural

        text = moderation.merge_text(comp, today=today)
        with locks.hold(merge_path, "compare --merge"):
            atomic_write(Path(merge_path), text)
        open_ratings = sum(1 for m in comp.markers if m.rating.status in moderation.TO_SETTLE)
        open_answers = sum(len(m.answers_to_settle) for m in comp.markers)
        shown = visible(merge_path)
        notes.append(
            f"Wrote {shown}: agreed answers and ratings filled in; {plural(open_ratings, 'rating')} and "
            f"{plural(open_answers, 'answer')} left open with each assessor's position above them (search for 'TO SETTLE'). "
            "Settle them in an editor, or with:"
        )
        notes.append(f"  {command('assess', merge_path)}")
        notes.append("then check the agreed file:")
        notes.append(f"  {command('check', merge_path)}")
        from scr_audit import template

        schema_note = template.write_schema_beside(merge_path, comp.mset)  # what the merged file's first line names
        if schema_note:
            notes.append(schema_note + ".")
    if output:
        from scr_audit.records import moderation as moderation_docx

        data = moderation_docx.build(comp, marking=None if no_marking else marking, generated=generated)
        atomic_write(Path(output), data, overwrite=force)
        notes.append(f"Wrote {visible(output)}: the moderation record.")
    for note in notes:
        echo(note, err=fmt == "json")
    if not comp.agree_on_every_rating:
        ctx.exit(EXIT_FINDINGS)
