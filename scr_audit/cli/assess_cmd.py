"""`scr-audit assess`: the interactive walkthrough, at a terminal or with piped answers."""

from __future__ import annotations

import shlex
import sys
from typing import Any, Optional

import click

from scr_audit.cli import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, App, main
from scr_audit.cli.output import TEXT, echo, is_tty, style, wrap
from scr_audit.stages import STAGES

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


class ClickTerminal:
    """The walkthrough's terminal: line input from stdin, output through cli.output's rules.

    Text from the file (titles, notes) reaches the screen only through termtext.visible,
    so a control character in it is shown, never obeyed.
    """

    def __init__(self) -> None:
        self.interactive = is_tty(sys.stdin)
        self._readline: Any = None
        self._histories: dict[str, list[str]] = {}
        if self.interactive:
            try:  # line editing and arrow keys for long notes; no history file is ever written
                import readline

                self._readline = readline
            except ImportError:
                pass
        else:
            try:  # a stray byte in piped input is replaced, never a crash
                sys.stdin.reconfigure(errors="replace")  # type: ignore[union-attr]
            except (AttributeError, ValueError):
                pass

    def ask(self, prompt: str, history: str = "answer") -> str:
        from scr_audit.termtext import visible

        sys.stdout.flush()
        prompt = visible(prompt)
        if self.interactive:
            lead, prompt = self._wrapped(prompt)
            if lead:
                echo(lead)
            self._use_history(history)
            try:
                line = input(prompt)
            except OSError:  # the terminal went away
                raise EOFError from None
            self._keep_history(history, line)
            return line
        click.echo(prompt, nl=False)
        line = sys.stdin.readline()
        if not line:
            click.echo()
            raise EOFError
        line = line.rstrip("\r\n")
        click.echo(visible(line))  # a piped session's transcript reads as it would on screen
        return line

    @staticmethod
    def _wrapped(prompt: str) -> tuple[str, str]:
        """A prompt wider than the terminal, wrapped at word boundaries: (the lines printed
        before it, the last line, which input() shows)."""
        if not is_tty():
            return "", prompt
        import textwrap

        from scr_audit.cli.output import width

        columns = width()
        if len(prompt) < columns:
            return "", prompt
        rows = textwrap.wrap(prompt, columns - 1, break_long_words=False, break_on_hyphens=False)
        return "\n".join(rows[:-1]), rows[-1] + " "

    def _use_history(self, kind: str) -> None:
        """Arrow-up recalls only lines of the same kind: answers apart from notes."""
        rl = self._readline
        if rl is None:
            return
        rl.clear_history()
        for item in self._histories.get(kind, []):
            rl.add_history(item)

    def _keep_history(self, kind: str, line: str) -> None:
        if self._readline is None or not line.strip():
            return
        items = self._histories.setdefault(kind, [])
        if not items or items[-1] != line:
            items.append(line)

    def _lines(self, text: str, kind: str, level: int) -> str:
        from scr_audit.termtext import visible

        indent = "  " * level
        text = visible(text)
        body = wrap(text, indent + "- ", indent + "  ") if kind == "bullet" else wrap(text, indent)
        return style(body, **_STYLES.get(kind, {}))

    def say(self, text: str = "", kind: str = "text", level: int = 0) -> None:
        if not text:
            echo()
            return
        echo(self._lines(text, kind, level))

    def page(self, lines: list[tuple[str, str, int]]) -> None:
        """Screen by screen on a terminal (Enter for more, q to stop), so nothing scrolls away."""
        rendered: list[str] = []
        for kind, text, level in lines:
            rendered += self._lines(text, kind, level).split("\n") if text else [""]
        if not (self.interactive and is_tty()):
            for line in rendered:
                echo(line)
            return
        import shutil

        height = max(5, shutil.get_terminal_size((80, 24)).lines - 2)
        for start in range(0, len(rendered), height):
            for line in rendered[start : start + height]:
                echo(line)
            if start + height >= len(rendered):
                return
            left = len(rendered) - start - height
            try:
                more = input(style(f"-- {left} more line{'s' if left != 1 else ''}: Enter for more, q to go back to the question --", dim=True) + " ")
            except (EOFError, OSError):
                return
            if more.strip().lower() in ("q", "b", "s"):
                return

    def panel(self, title: str, lines: list[tuple[str, str]]) -> None:
        """A box drawn by hand (rich would cost its import before the first prompt)."""
        import textwrap

        from scr_audit.cli.output import width
        from scr_audit.termtext import visible

        title = visible(title)
        lines = [(kind, visible(text)) for kind, text in lines]
        if not is_tty():
            echo(f"== {title} ==")
            for _, text in lines:
                echo(text)
            return
        inner = width() - 4
        border = lambda text: style(text, fg="cyan")  # noqa: E731
        head = textwrap.shorten(title, inner - 2, placeholder="…")
        echo(border("╭─ ") + style(head, bold=True) + border(" " + "─" * max(0, inner - len(head) - 1) + "╮"))
        for kind, text in lines:
            for row in textwrap.wrap(text, inner, break_long_words=True, break_on_hyphens=False) or [""]:
                echo(border("│ ") + style(row.ljust(inner), **_STYLES.get(kind, {})) + border(" │"))
        echo(border("╰" + "─" * (inner + 2) + "╯"))

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
@click.option("--cluster", "cluster_ids", multiple=True, metavar="ID", help="Walk through this cluster's markers (see scr-audit markers list). Repeatable.")
@click.option("--conclusion", "conclusion_only", is_flag=True, help="Go straight to the conclusion (summary, strengths, concerns, what the Board is asked).")
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
    conclusion_only: bool,
    revisit: bool,
    title: Optional[str],
    stage: Optional[str],
) -> None:
    """Answer the questions, rate each marker and note actions, saving every answer at once.

    Creates FILE if it does not exist; otherwise continues it from the first unanswered
    question. Answers can be typed at a terminal or piped in, one per line. At every
    prompt: b goes back, s skips, q saves and quits, ? shows the marker's guidance.
    Only one sitting at a time can have FILE open. Exit 0 when the sitting ends (or input
    runs out), 130 on Ctrl-C (everything confirmed is saved), 2 when the file cannot be
    used, is open in another sitting, or an edit made to it meanwhile clashes with an answer.
    """
    from pathlib import Path

    from scr_audit import template
    from scr_audit import walkthrough as wt
    from scr_audit.errors import WriteRefusedError
    from scr_audit.markers import DEFAULT_SET

    app: App = ctx.obj
    path = Path(file)
    if path.suffix.lower() not in (".yaml", ".yml"):
        raise WriteRefusedError(
            f"{file}: a review file's name ends in .yaml or .yml (so that scr-audit check finds it in a folder); "
            f"give assess a name such as {shlex.quote(path.stem + '.yaml') if path.stem else 'review.yaml'}"
        )
    if conclusion_only and (marker_ids or cluster_ids):
        raise click.UsageError("--conclusion goes straight to the conclusion; leave out --marker and --cluster")
    term = ClickTerminal()
    if path.exists() or path.is_symlink():
        store = wt.ReviewStore.open(path, app.registry, set_id)
        try:
            markers = [] if conclusion_only else wt.select_markers(store.mset, marker_ids, cluster_ids)
        except BaseException:
            store.close()
            raise
        info = store.review.review
        if (title is not None and title != info.title) or (stage is not None and stage.lower() != info.stage):
            echo(f"{file} already exists: it keeps its title ({info.title}) and stage ({info.stage}); change them in the file.")
    else:
        mset = app.registry.get(set_id or DEFAULT_SET)
        markers = [] if conclusion_only else wt.select_markers(mset, marker_ids, cluster_ids)  # a wrong id stops before anything is written
        from scr_audit.outputs import check_output

        check_output(path, suffixes=(".yaml", ".yml"), what="a review file", option="assess")
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
    with store:
        note = template.write_schema_beside(path, store.mset)
        if note:
            echo(note + ".")
        resume = _resume_command(app, file, store.mset, marker_ids, cluster_ids, conclusion_only)
        walk = wt.Walkthrough(store, term, markers, revisit=revisit, resume_command=resume, conclusion="only" if conclusion_only else "auto")
        outcome = walk.run()
    ctx.exit(EXIT_CODES[outcome.status])


def _resume_command(app: App, file: str, mset: Any, marker_ids: tuple[str, ...], cluster_ids: tuple[str, ...], conclusion: bool) -> str:
    from scr_audit.walkthrough.prompts import command_line

    words = ["scr-audit"]
    for d in app.marker_dirs:
        words += ["--markers", str(d)]
    words += ["assess", file]
    for m in marker_ids:
        words += ["--marker", mset.marker(m).id]
    for c in cluster_ids:
        words += ["--cluster", c]
    if conclusion:
        words.append("--conclusion")
    return command_line(words)
