"""How a sitting meets the person: a small interface, so the same sitting serves a real
terminal (cli/assess_cmd.py's ClickTerminal), piped answers and tests."""

from __future__ import annotations

from typing import Optional, Protocol


class Terminal(Protocol):
    """One line in, lines out."""

    #: A person at a terminal (not piped input): only then are they asked for a title and
    #: stage, asked which value to keep in a conflict, offered an editor or a pager.
    interactive: bool

    def ask(self, prompt: str, history: str = "answer") -> str:
        """One line of input. `history` keeps answers and notes apart (arrow-up recalls
        only lines of the same kind). Raises EOFError at the end of input,
        KeyboardInterrupt on Ctrl-C."""

    def say(self, text: str = "", kind: str = "text", level: int = 0) -> None:
        """One paragraph of output, wrapped at word boundaries on a terminal. kind: text,
        heading, muted, ok, warn, error, bullet, question, progress."""

    def page(self, lines: list[tuple[str, str, int]]) -> None:
        """Many lines (kind, text, level) at once: screen by screen on a terminal, so none
        scrolls away unread; all of them when piped."""

    def panel(self, title: str, lines: list[tuple[str, str]]) -> None:
        """A marker's header panel: a title and (kind, text) lines."""

    def edit(self, text: str) -> Optional[str]:
        """Open the person's editor on `text`; the new text, or None if nothing was saved."""
