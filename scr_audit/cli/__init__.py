"""The `scr-audit` command: options in, core calls, output out.

Start-up must cost about what importing click costs, so this package imports only click
and the standard library; every command imports the core it needs inside its body.
Errors the core raises become one-line messages and exit codes here, never tracebacks:
0 success, 1 the files were read but fall short, 2 the command could not do its job,
130 interrupted.
"""

from __future__ import annotations

import errno
import os
import sys
from typing import Any

import click

from scr_audit import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_FAILED, EXIT_INTERRUPTED = 0, 1, 2, 130
#: The order `scr-audit --help` lists the commands in: the order of a review's life.
COMMAND_ORDER = ("markers", "new", "scan", "assess", "check", "summary", "actions", "export", "compare", "schema")
#: Where each command is defined, so running one imports only its module (start-up time).
#: A command missing here is still found: every module in `commands` is imported then.
COMMAND_MODULES = {
    "markers": "markers_cmds",
    "new": "review_cmds",
    "check": "review_cmds",
    "schema": "review_cmds",
    "summary": "summary_cmd",
    "actions": "actions_cmd",
    "scan": "scan_cmd",
    "assess": "assess_cmd",
    "export": "export_cmd",
    "compare": "compare_cmd",
}


class App:
    """Per-invocation state shared by commands: the marker-set directories, lazily loaded."""

    def __init__(self, marker_dirs: tuple[str, ...]) -> None:
        self.marker_dirs = marker_dirs
        self._registry: Any = None

    @property
    def registry(self) -> Any:
        if self._registry is None:
            from pathlib import Path

            from scr_audit.markers import Registry

            self._registry = Registry(tuple(Path(d) for d in self.marker_dirs))
        return self._registry


class Group(click.Group):
    """Turns the project's exceptions into messages and exit codes for every command."""

    def invoke(self, ctx: click.Context) -> Any:
        _forgiving_streams()
        try:
            try:
                return super().invoke(ctx)
            finally:
                # buffered output is written here, not at exit, so a full disk or a closed
                # pipe is caught below rather than printed by the interpreter on its way out
                sys.stdout.flush()
        except click.exceptions.Exit:
            raise
        except (click.ClickException, click.exceptions.Abort) as exc:
            if isinstance(exc, click.ClickException):
                from scr_audit.termtext import visible

                exc.message = visible(exc.message, newlines=True)
            raise
        except KeyboardInterrupt:
            _say("\nInterrupted.")
            ctx.exit(EXIT_INTERRUPTED)
        except BrokenPipeError:
            _quiet_broken_pipe()
            ctx.exit(EXIT_OK)
        except OSError as exc:
            if exc.errno not in _OUTPUT_ERRNOS:
                _internal_error(exc)
                ctx.exit(EXIT_FAILED)
            # the output could not be written (a full disk, a device that refuses it)
            _quiet_broken_pipe()
            _say(f"scr-audit: could not write the output: {exc.strerror or exc}; any file written is whole, nothing was overwritten.")
            ctx.exit(EXIT_FAILED)
        except Exception as exc:  # noqa: BLE001 - the last line of defence against tracebacks
            from scr_audit.errors import ScrAuditError

            if isinstance(exc, ScrAuditError):
                from scr_audit.termtext import visible

                _say(f"scr-audit: {visible(str(exc), newlines=True)}")
                ctx.exit(EXIT_FAILED)
            _internal_error(exc)
            ctx.exit(EXIT_FAILED)

    def list_commands(self, ctx: click.Context) -> list[str]:
        _import_all()
        order = {name: i for i, name in enumerate(COMMAND_ORDER)}
        return sorted(self.commands, key=lambda name: order.get(name, len(order)))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and self is main:
            module = COMMAND_MODULES.get(cmd_name)
            if module is not None:
                import importlib

                importlib.import_module(f"scr_audit.cli.{module}")
            if cmd_name not in self.commands:
                _import_all()
        return self.commands.get(cmd_name)


def _import_all() -> None:
    from scr_audit.cli import commands  # noqa: F401  (registers every command on `main`)


#: Errors from writing the output itself, not from anything scr-audit read.
_OUTPUT_ERRNOS = frozenset(
    getattr(errno, name) for name in ("ENOSPC", "EDQUOT", "EFBIG", "EIO", "EROFS", "EPIPE", "EBADF") if hasattr(errno, name)
)


def _say(text: str) -> None:
    """A message on stderr that never raises: stderr may be the full disk too."""
    try:
        click.echo(text, err=True)
    except (OSError, ValueError):
        pass


def _forgiving_streams() -> None:
    """A character the terminal's encoding lacks is shown as an escape, never a crash."""
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream.errors == "strict":
                stream.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            pass


def _quiet_broken_pipe() -> None:
    # the reader went away (`scr-audit markers show QM1 | head`): not an error
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except OSError:
        pass


def _internal_error(exc: BaseException) -> None:
    """A bug in scr-audit, not the user's doing: say so plainly, keep the details aside."""
    import tempfile
    import traceback

    if os.environ.get("SCR_AUDIT_DEBUG"):
        traceback.print_exception(type(exc), exc, exc.__traceback__)
        return
    where = ""
    try:
        fd, log = tempfile.mkstemp(prefix="scr-audit-error-", suffix=".txt")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            traceback.print_exception(type(exc), exc, exc.__traceback__, file=fh)
        where = f" Details were written to {log}; please include that file when reporting it."
    except OSError:
        pass
    from scr_audit.termtext import visible

    _say(
        f"scr-audit: internal error ({type(exc).__name__}: {visible(exc)}). This is a bug in scr-audit, "
        f"not a problem with your files; nothing was overwritten.{where}"
    )


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option(
    "--markers",
    "marker_dirs",
    multiple=True,
    metavar="DIR",
    type=click.Path(exists=True, file_okay=False),
    help="Add a marker-set folder (one set, or a folder of sets). Repeatable.",
)
@click.version_option(__version__, "--version", prog_name="scr-audit", message="%(prog)s %(version)s")
@click.pass_context
def main(ctx: click.Context, marker_dirs: tuple[str, ...]) -> None:
    """Audit Serious Case Reviews against the SCR Quality Markers (SCIE & NSPCC, 2016).

    Walk through the questions (assess), check filled-in review files (check), agree a
    panel's scores (compare) and write the Word audit record for the Board (export).
    """
    ctx.obj = App(marker_dirs)



def run(prog_name: str | None = None) -> None:
    """The `scr-audit` program: `main`, then an exit that does not take the interpreter apart.

    A summary record leaves tens of thousands of objects (reviews, the document's XML, the
    chart library) that Python would free one by one on its way out, about half a second
    after the last word is printed and the last file is written, for nothing: the process
    is ending. So once `main` has finished (every output flushed, every file written whole
    and closed by `yamlio.atomic_write`), the exit handlers run as they would and the
    process ends at once with the same exit code. Anything unusual (an exit that is not a
    number, output that cannot be flushed) takes Python's ordinary way out. Tests call
    `main` through click's runner, never this.
    """
    import atexit

    try:
        main(prog_name=prog_name)
    except SystemExit as exc:
        code = 0 if exc.code is None else exc.code
        run_exit_handlers = getattr(atexit, "_run_exitfuncs", None)
        if not isinstance(code, int) or run_exit_handlers is None:
            raise
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except Exception:  # noqa: BLE001 - the ordinary exit reports it as it always has
            raise exc from None
        run_exit_handlers()
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)
