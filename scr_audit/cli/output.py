"""Terminal output shared by the commands: colour rules, wrapping, rich consoles.

Colour is off when NO_COLOR is set or the stream is not a terminal. Prose is wrapped to
the terminal's width on a terminal and left unwrapped when piped, so that a line of the
standard is never cut in two for a script or a grep.
"""

from __future__ import annotations

import os
import sys
from datetime import date
from typing import IO, Any

import click


class _Date(click.ParamType):
    """A YYYY-MM-DD option, refused with a plain message rather than a traceback."""

    name = "YYYY-MM-DD"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            from scr_audit.validation import date_problem

            self.fail(date_problem(str(value)), param, ctx)


DATE = _Date()


class _Jobs(click.ParamType):
    """--jobs: a whole number of worker processes, 1 or more, said plainly when it is not."""

    name = "N"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int) and not isinstance(value, bool):
            number = value
        else:
            try:
                number = int(str(value).strip())
            except ValueError:
                self.fail(f"{value!r} is not a whole number; give the number of processes to use, 1 or more", param, ctx)
        if number < 1:
            self.fail(f"{number} processes cannot check anything; give 1 or more (1 checks in this process)", param, ctx)
        return number


JOBS = _Jobs()


class _Text(click.ParamType):
    """Text for a file (a title, a name, a marking): refused, with a plain message, if not UTF-8.

    Bytes that are not UTF-8 on the command line reach Python as lone surrogates, which
    no file can hold; taking them would fail later, at the write.
    """

    name = "TEXT"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> str:
        text = str(value)
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            from scr_audit.termtext import visible

            self.fail(f"{visible(text)!s} holds bytes that are not UTF-8 text; type it again (your terminal should use UTF-8)", param, ctx)
        return text


TEXT = _Text()


def is_tty(stream: IO[str] | None = None) -> bool:
    stream = stream or sys.stdout
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def colour_on(stream: IO[str] | None = None) -> bool:
    return "NO_COLOR" not in os.environ and is_tty(stream)


def width() -> int:
    import shutil

    return max(40, min(shutil.get_terminal_size((80, 24)).columns, 120))


def text_width(stream: IO[str] | None = None) -> int:
    """The width laid-out text (check's findings and table) is wrapped to.

    The terminal's width on a terminal; 80 when piped or redirected, unless COLUMNS says
    otherwise, so a saved report reads the same on any screen.
    """
    if is_tty(stream):
        return width()
    columns = _columns_env()
    return columns if columns >= 40 else 80


def style(text: str, **kwargs: Any) -> str:
    return click.style(text, **kwargs) if colour_on() else text


def err_style(text: str, **kwargs: Any) -> str:
    return click.style(text, **kwargs) if colour_on(sys.stderr) else text


def echo(text: str = "", *, err: bool = False) -> None:
    """Print a line. The one way lines reach the terminal: control characters from files are
    shown as escapes here (`termtext.visible`), whatever was missed where the line was made;
    only the tool's own colour codes pass, and those only where colour is on."""
    from scr_audit.termtext import visible_styled

    click.echo(visible_styled(text), err=err, color=colour_on(sys.stderr if err else sys.stdout))


def wrap(text: str, indent: str = "", subsequent: str | None = None) -> str:
    """Wrap for a terminal; unchanged (one line, whole words) when piped."""
    import textwrap

    subsequent = indent if subsequent is None else subsequent
    if not is_tty():
        return indent + text
    return textwrap.fill(
        text, width=width(), initial_indent=indent, subsequent_indent=subsequent, break_long_words=False, break_on_hyphens=False
    )


def wrap_to(text: str, width: int, indent: str = "", subsequent: str | None = None) -> str:
    """Wrap between words to `width`, on a terminal and when piped alike (check's layout)."""
    import textwrap

    subsequent = indent if subsequent is None else subsequent
    return textwrap.fill(
        text, width=width, initial_indent=indent, subsequent_indent=subsequent, break_long_words=True, break_on_hyphens=False
    )


def console(err: bool = False) -> Any:
    """A rich console that follows the same colour rules as the rest of the output."""
    from rich.console import Console

    stream = sys.stderr if err else sys.stdout
    tty = is_tty(stream)
    return Console(
        file=_Guarded(stream, tty),
        no_color="NO_COLOR" in os.environ or not tty,
        force_terminal=tty,
        highlight=False,
        emoji=False,
        width=width() if tty else max(80, _columns_env()),
        soft_wrap=False,
    )


def _columns_env() -> int:
    """COLUMNS when output is piped, within reason (a huge value would lay tables out at that width)."""
    try:
        return min(int(os.environ.get("COLUMNS", "80")), 1000)
    except ValueError:
        return 80


class _Guarded:
    """A stream rich writes to, with control characters from files made visible on the way.

    On a terminal rich's own escape sequences (colour, cursor movement) pass; piped, rich
    writes none, so every control character is shown as an escape.
    """

    def __init__(self, stream: IO[str], tty: bool) -> None:
        self._stream = stream
        self._tty = tty

    def write(self, text: str) -> int:
        from scr_audit.termtext import visible, visible_styled

        return self._stream.write(visible_styled(text, cursor=True) if self._tty else visible(text, newlines=True))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)

