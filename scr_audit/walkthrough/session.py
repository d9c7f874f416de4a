"""What every step of a sitting shares: the file, the terminal, saving (and saying what a
save did), notes, and the marker's guidance."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Optional

from scr_audit import personal_data, textblocks
from scr_audit.errors import EditConflictError, FileChangedError, WriteRefusedError
from scr_audit.markers import AnswerOption, Marker, Question
from scr_audit.walkthrough import prompts as p
from scr_audit.walkthrough.changes import Change
from scr_audit.walkthrough.store import CannotEditError, ReviewStore

if TYPE_CHECKING:
    from scr_audit.walkthrough.terminal import Terminal

#: Moves a step can end with besides BACK and QUIT: on to the next step due, or the same again.
NEXT, REDO = "next", "redo"


class Session:
    """The sitting's shared state and the services every step uses."""

    def __init__(self, store: ReviewStore, term: Terminal, markers: list[Marker], *, revisit: bool, resume_command: str) -> None:
        self.store = store
        self.term = term
        self.mset = store.mset
        self.markers = markers
        self.revisit = revisit
        self.resume_command = resume_command
        self.item = self.mset.header.item_name
        self.touched: set[str] = set()  # markers whose answers changed in this sitting
        self.saves = 0
        self.unsaved: list[str] = []  # what a refused save could not write, for the summary
        #: What is being written, to report if the sitting stops in the middle of it.
        self.pending: Optional[Change] = None

    @property
    def stage(self) -> str:
        return self.store.review.review.stage

    def answers(self) -> list[AnswerOption]:
        """The answers this review's stage allows, in the scale's order."""
        return [a for a in self.mset.header.answer_scale if a.stages is None or self.stage in a.stages]

    # saving --------------------------------------------------------------------------

    def save(self, change: Change) -> bool:
        """Write `change`; say in one line anything the save had to do besides. False (and
        said why) when it was not written and the sitting goes on without it.

        A conflict with an outside edit of the same value is asked about on a terminal;
        with piped answers it stops the sitting (EditConflictError), keeping the file's.
        """
        self.pending = change
        try:
            saved = self.store.save(change)
        except EditConflictError as exc:
            if not self.term.interactive:
                raise
            saved = self._settle(exc, change)
            if saved is None:
                self.pending = None
                return False
        except (FileChangedError, CannotEditError):
            raise
        except WriteRefusedError as exc:
            self.term.say(str(exc).rstrip(".") + ".", "error")
            self.term.say(f"Not saved: {change.what}: {change.shown()}. The sitting goes on.", "warn")
            self.unsaved.append(f"{change.what}: {change.shown()}")
            self.pending = None
            return False
        self.pending = None
        self.saves += 1
        if saved.merged:
            self.term.say(
                f"{self.store.path} had been changed on disk (in an editor or another program): "
                + ("it already says this, so nothing more was written." if saved.already else f"kept those changes and saved {change.what} with them."),
                "muted",
            )
        if saved.unshared:
            self.term.say(
                f"{change.what} shared its value with another place through a YAML alias; it is now written out "
                "in full, so only this one changed.",
                "muted",
            )
        return True

    def _settle(self, exc: EditConflictError, change: Change) -> Optional[Any]:
        term = self.term
        term.say(f"{exc}.", "warn")
        term.say(f"The file now says: {exc.theirs}", "text", 1)
        term.say(f"You entered: {exc.mine}", "text", 1)
        while True:
            raw = p.clean(term.ask("Keep which? f the file's, m mine: ")).strip().lower()
            if raw in ("f", "file", "the file's"):
                self.store.reload()
                term.say(f"Kept the file's value; yours was not saved ({change.what}: {exc.mine}).", "muted")
                self.unsaved.append(f"{change.what}: {exc.mine}")
                return None
            if raw in ("m", "mine"):
                return self.store.save(change, keep_mine=True)
            term.say("Type f to keep the file's value or m to keep yours.", "warn")

    # notes ---------------------------------------------------------------------------

    def ask_note(
        self,
        prompt: str,
        recorded: Optional[str],
        on_help: Callable[[], None],
        *,
        back: str,
        on_empty: Optional[Callable[[], bool]] = None,
    ) -> tuple[str, Optional[str]]:
        """A one-line note, or one written in the editor: (NEXT, the note), (SKIP, the
        note as recorded) or (`back` or QUIT, None).

        Enter keeps what is recorded (or, with nothing recorded, asks once more when
        `on_empty` says so); CLEAR clears it; b, s, q and ? are moves, as everywhere.
        """
        while True:
            raw = p.clean(self.term.ask(prompt, "note")).strip()
            move = p.move(raw)
            if move == p.HELP:
                on_help()
                continue
            if move == p.BACK:
                return back, None
            if move == p.QUIT:
                return p.QUIT, None
            if move == p.SKIP:
                return p.SKIP, recorded
            low = raw.lower()
            if low == p.EDIT:
                note = self._edit(recorded or "")
                if note is None:
                    continue
                return NEXT, note
            if low == p.CLEAR:
                return NEXT, None
            if not raw:
                if recorded:
                    return NEXT, recorded
                if on_empty is not None and on_empty():
                    continue
                return NEXT, None
            return NEXT, p.note_text(raw)

    def _edit(self, text: str) -> Optional[str]:
        if not self.term.interactive:
            self.term.say("No editor when the answers are piped in: type the note on one line.", "warn")
            return None
        edited = self.term.edit(text)
        if edited is None:
            self.term.say("Nothing saved in the editor; the note is unchanged.", "muted")
            return None
        note = p.clean(edited.replace("\r\n", "\n")).strip()
        if not note:
            self.term.say(f"The note came back empty and is unchanged ({p.CLEAR} clears it).", "muted")
            return None
        self.term.say(f"Note: {p.short(note, 200)}", "muted")
        return note

    def warn_personal(self, text: Optional[str]) -> None:
        for match in personal_data.find(text or ""):
            self.term.say(
                f"This looks like {personal_data.KINDS[match.kind]} ({match.text!r}): keep personal details out of "
                "the record (change it with --revisit or in the file).",
                "warn",
            )

    # guidance ------------------------------------------------------------------------

    def guidance(self, marker: Marker, q: Optional[Question] = None, extra: tuple[str, ...] = ()) -> None:
        """The marker's guidance from the standard, through the terminal's pager."""
        lines: list[tuple[str, str, int]] = [("heading", f"{marker.id} {marker.title}: guidance", 0)]
        if q is not None:
            lines += [("text", f"{fact.text} ({fact.source})", 1) for fact in q.facts]
            if q.help:
                lines.append(("text", q.help, 1))
        parts = marker.guidance
        if not parts:
            lines.append(("muted", "The standard gives no further guidance for this one.", 0))
        for heading, text in parts:
            lines += [("text", "", 0), ("heading", heading, 0)]
            previous = None
            for block in textblocks.parse(text):
                if block.kind == "paragraph" and previous == "paragraph":
                    lines.append(("text", "", 0))
                lines.append(("bullet" if block.kind == "bullet" else "text", block.text, block.level + 1))
                previous = block.kind
        src = self.mset.header.source
        page = f", p {marker.page}" if marker.page else ""
        lines += [("text", "", 0), ("muted", f"Source: {src.publisher} ({src.published or src.year}) {src.title}{page}.", 0)]
        lines += [("muted", text, 0) for text in extra]
        self.term.say()
        self.term.page(lines)
