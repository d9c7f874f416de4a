"""`scr-audit markers list | show | validate`: reading the standard at the terminal."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from scr_audit.cli import EXIT_FAILED, App, main
from scr_audit.cli.output import echo, style, wrap

if TYPE_CHECKING:
    from scr_audit.markers import Marker, MarkerSet

SET_HELP = "Marker set id (default: scr-quality-markers). The sets available: scr-audit markers list --all."


@main.group("markers", short_help="Read the standard at the terminal; check a marker set of your own.")
def markers_group() -> None:
    """Read the bundled standard, or check a marker set of your own."""


@markers_group.command("list")
@click.option("--set", "set_id", default=None, metavar="ID", help=SET_HELP)
@click.option("--all", "all_sets", is_flag=True, help="List the marker sets available instead of one set's markers.")
@click.pass_context
def markers_list(ctx: click.Context, set_id: str | None, all_sets: bool) -> None:
    """The markers of a set, grouped by cluster, with their number of questions."""
    from rich.table import Table

    from scr_audit.cli.output import console
    from scr_audit.errors import MarkerSetError, Problem
    from scr_audit.markers import DEFAULT_SET
    from scr_audit.termtext import visible

    app: App = ctx.obj

    con = console()
    if all_sets:
        table = Table(title="Marker sets", show_lines=False)
        for col in ("ID", "Title", "Version", "Markers", "Questions"):
            table.add_column(col, overflow="fold")
        broken: list[MarkerSetError] = []
        for sid in app.registry.ids():
            try:
                mset = app.registry.get(sid)
            except MarkerSetError as exc:  # one broken set does not hide the others
                broken.append(exc)
                table.add_row(_escape(sid), "[dim](not a valid marker set: see below)[/dim]", "", "", "")
                continue
            table.add_row(_escape(mset.id), _escape(mset.title), _escape(mset.version), str(len(mset.markers)), str(mset.question_count))
        con.print(table)
        unreadable = [Problem(str(d), f"this folder could not be read ({why}), so any marker sets in it are not listed")
                      for d, why in app.registry.unreadable]
        for problem in unreadable:
            echo(f"scr-audit: {visible(str(problem))}", err=True)
        for exc in broken:
            echo(f"scr-audit: {visible(str(exc), newlines=True)}", err=True)
        if broken or unreadable:
            ctx.exit(EXIT_FAILED)
        return
    mset = app.registry.get(set_id or DEFAULT_SET)
    src = mset.header.source
    table = Table(
        title=_escape(f"{mset.title} ({src.publisher}, {src.published or src.year})"),
        caption=f"{len(mset.markers)} {_escape(mset.header.item_name.lower())}s, {mset.question_count} questions, "
        f"in {len(mset.clusters)} clusters. To read one with its questions: scr-audit markers show ID",
        caption_justify="left",
    )
    table.add_column("ID", no_wrap=True)
    table.add_column("Title", overflow="fold")
    table.add_column("Questions", justify="right", no_wrap=True)
    for cluster in mset.clusters:
        markers = mset.markers_in(cluster.id)
        table.add_section()
        table.add_row("", f"[bold]{_escape(cluster.title)}[/bold] ({_escape(cluster.id)})", "")
        for m in markers:
            table.add_row(_escape(m.id), _escape(m.title), str(len(m.questions)))
    con.print(table)


def _escape(text: str) -> str:
    """Text from a marker set for a rich table: control characters visible, markup escaped."""
    from scr_audit.termtext import markup

    return markup(text)


@markers_group.command("show")
@click.argument("marker_id", metavar="ID")
@click.option("--set", "set_id", default=None, metavar="ID", help=SET_HELP)
@click.option("--full", is_flag=True, help="Add the rationale, knowledge base, equality and diversity, statutory guidance and common obstacles.")
@click.pass_obj
def markers_show(app: App, marker_id: str, set_id: str | None, full: bool) -> None:
    """A marker's number, title, cluster, statement and questions, word for word."""
    from scr_audit.markers import DEFAULT_SET

    mset = app.registry.get(set_id or DEFAULT_SET)
    m = mset.marker(marker_id)
    for line in marker_text(mset, m, full=full):
        echo(line)


def marker_text(mset: "MarkerSet", m: "Marker", *, full: bool) -> list[str]:
    """The lines `markers show` prints (also the walkthrough's `?` screen)."""
    from scr_audit import textblocks
    from scr_audit.template import question_hint

    from scr_audit.termtext import visible as v  # every word here is from a set, maybe a user's own

    cluster = mset.cluster(m.cluster)
    src = mset.header.source
    item = mset.header.item_name
    header = mset.header
    lines = [style(v(f"{m.id}  {item} {m.number}: {m.title}"), bold=True), f"Cluster: {v(cluster.title)}", ""]
    if m.statement:
        lines += [style(v(header.statement_label), bold=True), wrap(v(m.statement), "  "), ""]
    lines.append(style(v(header.questions_label), bold=True))
    for q in m.questions:
        label = f"{q.number:>3}. "
        lines.append(wrap(v(q.text), label, " " * len(label)))
        hint = question_hint(q)
        if hint:
            lines.append(wrap(v(f"[{hint}]"), " " * len(label)))
        if q.help:
            lines.append(wrap(v(f"Note: {q.help}"), " " * len(label)))
        for fact in q.facts:
            lines.append(wrap(v(f"Context: {fact.text} ({fact.source})"), " " * len(label)))
    for interval in header.intervals:
        if interval.from_.marker == m.id:
            lines.append(wrap(v(f"Computed, not asked: {interval.text} (from {interval.from_} to {interval.to}, in {interval.unit})"), "     "))
    if full:
        for heading, text in m.guidance:
            lines += ["", style(heading, bold=True)]
            for block in textblocks.parse(text):
                if block.kind == "bullet":
                    pad = "  " + "  " * block.level
                    lines.append(wrap(v(block.text), pad + "- ", pad + "  "))
                else:
                    lines.append(wrap(v(block.text), "  "))
    page = f", p {m.page}" if m.page else ""
    lines += ["", v(f"Source: {src.publisher} ({src.published or src.year}) {src.title}{page}.")]
    return lines


@markers_group.command("validate")
@click.argument("directory", type=click.Path(exists=True, file_okay=False))
@click.pass_context
def markers_validate(ctx: click.Context, directory: str) -> None:
    """Check a marker-set folder (set.yaml plus one file per marker) before using it."""
    from scr_audit.errors import MarkerSetError
    from scr_audit.markers import load_marker_set
    from scr_audit.termtext import visible

    shown = visible(directory)
    try:
        mset = load_marker_set(directory)
    except MarkerSetError as exc:
        from scr_audit.validation import plural

        echo(f"{shown}: not a valid marker set ({plural(len(exc.problems), 'problem')}); nothing was loaded.", err=True)
        for p in exc.problems:
            echo(f"  {visible(str(p))}", err=True)
        ctx.exit(EXIT_FAILED)
    echo(
        f"{shown}: valid marker set {visible(repr(mset.id))} version {visible(mset.version)}: "
        f"{len(mset.markers)} markers, {mset.question_count} questions, {len(mset.clusters)} clusters."
    )
