"""`scr-audit assess`: the interactive walkthrough, at a terminal or with piped answers."""

from __future__ import annotations

import shlex
import sys
from typing import Any, Optional

import click

from scr_audit.cli import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, App, main
from scr_audit.cli.output import TEXT, colour_on, echo, is_tty, style, wrap
from scr_audit.stages import STAGES
from scr_audit.termtext import visible

EXIT_CODES = {"done": EXIT_OK, "quit": EXIT_OK, "eof": EXIT_OK, "nothing": EXIT_OK, "interrupted": EXIT_INTERRUPTED, "changed": EXIT_FAILED, "failed": EXIT_FAILED}

_STYLES: dict[str, dict[str, Any]] = {
    "heading": {"bold": True},
    "question": {"bold": True},
    "muted": {"dim": True},
    "progress": {"fg": "cyan"},
    "ok": {"fg": "green"},
    "warn": {"fg": "yellow"},
    "error": {"fg": "red", "bold": True},
}
_RICH_STYLES = {"muted": "dim", "progress": "cyan", "heading": "bold"}


class ClickTerminal:
    """The walkthrough's terminal: line input from stdin, output through cli.output's rules.

    Its one place of output: everything it shows (a marker's words from a user's own set,
    the review's title, notes read back) passes `termtext.visible` here, before any style,
    so a control character is shown as an escape and never obeyed.
    """

    def __init__(self) -> None:
        self.interactive = is_tty(sys.stdin)
        if self.interactive:
            try:  # line editing and arrow keys for long notes; no history file is ever written
                import readline  # noqa: F401
            except ImportError:
                pass
        else:
            try:  # a stray byte in piped input is replaced, never a crash
                sys.stdin.reconfigure(errors="replace")  # type: ignore[union-attr]
            except (AttributeError, ValueError):
                pass

    def ask(self, prompt: str) -> str:
        prompt = visible(prompt, newlines=True)
        sys.stdout.flush()
        if self.interactive:
            try:
                return input(prompt)
            except OSError:  # the terminal went away
                raise EOFError from None
        click.echo(prompt, nl=False)
        line = sys.stdin.readline()
        if not line:
            click.echo()
            raise EOFError
        line = line.rstrip("\r\n")
        click.echo(visible(line))  # a piped session's transcript reads as it would on screen
        return line

    def say(self, text: str = "", kind: str = "text", level: int = 0) -> None:
        indent = "  " * level
        if not text:
            echo()
            return
        text = visible(text, newlines=True)
        body = wrap(text, indent + "- ", indent + "  ") if kind == "bullet" else wrap(text, indent)
        echo(style(body, **_STYLES.get(kind, {})))

    def panel(self, title: str, lines: list[tuple[str, str]]) -> None:
        title = visible(title)
        lines = [(kind, visible(text, newlines=True)) for kind, text in lines]
        if not is_tty():
            echo(f"== {title} ==")
            for _, text in lines:
                echo(text)
            return
        from rich.panel import Panel
        from rich.text import Text

        from scr_audit.cli.output import console

        colour = colour_on()
        body = Text()
        for i, (kind, text) in enumerate(lines):
            body.append(("\n" if i else "") + text, style=_RICH_STYLES.get(kind, "") if colour else "")
        heading = Text(title, style="bold" if colour else "")
        console().print(Panel(body, title=heading, title_align="left", border_style="cyan" if colour else "none"))

    def edit(self, text: str) -> Optional[str]:
        try:
            return click.edit(text, require_save=True, extension=".txt")
        except click.ClickException as exc:
            self.say(f"Could not open an editor ({exc.format_message()}); set EDITOR, or type the note on one line.", "warn")
            return None


@main.command("assess", short_help="Answer the questions at the terminal; resumes where you left off.")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--set", "set_id", default=None, metavar="ID", help="Marker set for a new file (default: scr-quality-markers).")
@click.option("--marker", "marker_ids", multiple=True, metavar="ID", help="Walk through this marker (default: all). Repeatable.")
@click.option("--cluster", "cluster_ids", multiple=True, metavar="ID", help="Walk through this cluster's markers (see `scr-audit markers list`). Repeatable.")
@click.option("--revisit", is_flag=True, help="Walk through everything selected again, recorded answers as defaults.")
@click.option("--title", type=TEXT, default=None, help="A new file's review title (asked on a terminal; default: the file's name).")
@click.option(
    "--stage", type=click.Choice(STAGES, case_sensitive=False), default=None, help="A new file's stage (asked on a terminal; default: end)."
)
@click.pass_context
def assess_cmd(
    ctx: click.Context,
    file: str,
    set_id: Optional[str],
    marker_ids: tuple[str, ...],
    cluster_ids: tuple[str, ...],
    revisit: bool,
    title: Optional[str],
    stage: Optional[str],
) -> None:
    """Answer the questions, rate each marker and note actions, saving every answer at once.

    Creates FILE if it does not exist; otherwise continues it from the first unanswered
    question. Answers can be typed at a terminal or piped in, one per line. At each
    answer: b goes back, s skips, q saves and quits, ? shows the marker's guidance.
    Exit 0 when the sitting ends (or input runs out), 130 on Ctrl-C (everything confirmed
    is saved), 2 when the file cannot be used or changed on disk during the sitting.
    """
    from pathlib import Path

    from scr_audit import walkthrough as wt
    from scr_audit.markers import DEFAULT_SET

    app: App = ctx.obj
    path = Path(file)
    term = ClickTerminal()
    if path.exists() or path.is_symlink():
        store = wt.ReviewStore.open(path, app.registry, set_id)
        markers = wt.select_markers(store.mset, marker_ids, cluster_ids)
        info = store.review.review
        if (title is not None and title != info.title) or (stage is not None and stage.lower() != info.stage):
            echo(f"{file} already exists: it keeps its title ({info.title}) and stage ({info.stage}); change them in the file.")
    else:
        mset = app.registry.get(set_id or DEFAULT_SET)
        markers = wt.select_markers(mset, marker_ids, cluster_ids)  # a wrong id stops before anything is written
        stage = stage.lower() if stage else None
        if term.interactive:
            echo(f"{file} does not exist yet: a new review file.")
            try:
                title, stage = wt.ask_new_review(term, path.stem, title, stage)
            except KeyboardInterrupt:
                echo("\nInterrupted; no file was written.", err=True)
                ctx.exit(EXIT_INTERRUPTED)
            except EOFError:
                echo("\nEnd of input; no file was written.", err=True)
                ctx.exit(EXIT_OK)
        else:
            given = []
            if title is None:
                title = path.stem
                given.append(f"title {title!r} (from the file name)")
            if stage is None:
                stage = "end"
                given.append("stage end")
            if given:
                echo(f"Note: answers are piped, so {file} is created with {' and '.join(given)}; give --title and --stage to choose.")
        assert title is not None and stage is not None
        store = wt.ReviewStore.create(path, app.registry, mset, title=title, stage=stage)
        echo(f"Wrote {file}: a new review file ({mset.title}), title {title!r}, stage {stage}.")
    outcome = wt.Walkthrough(store, term, markers, revisit=revisit, resume_command=_resume_command(app, file, store.mset, marker_ids, cluster_ids)).run()
    ctx.exit(EXIT_CODES[outcome.status])


def _resume_command(app: App, file: str, mset: Any, marker_ids: tuple[str, ...], cluster_ids: tuple[str, ...]) -> str:
    words = ["scr-audit"]
    for d in app.marker_dirs:
        words += ["--markers", str(d)]
    words += ["assess", file]
    for m in marker_ids:
        words += ["--marker", mset.marker(m).id]
    for c in cluster_ids:
        words += ["--cluster", c]
    return " ".join(shlex.quote(w) for w in words)
