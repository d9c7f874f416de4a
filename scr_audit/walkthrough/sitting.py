"""One sitting: the loop over its steps, and how it ends."""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from scr_audit import scoring
from scr_audit.errors import EditConflictError, FileChangedError, WriteRefusedError
from scr_audit.markers import Marker
from scr_audit.validation import plural
from scr_audit.walkthrough import prompts as p
from scr_audit.walkthrough.closing import ConclusionStep, Summary
from scr_audit.walkthrough.navigation import Step, Steps
from scr_audit.walkthrough.questions import QuestionStep, key
from scr_audit.walkthrough.ratings import RatingStep
from scr_audit.walkthrough.session import REDO, Session
from scr_audit.walkthrough.store import ReviewStore

if TYPE_CHECKING:
    from scr_audit.walkthrough.terminal import Terminal


class Outcome:
    """How the sitting ended: done, quit, eof, nothing (to do), interrupted, changed (the
    file, underneath the sitting, beyond merging) or failed (a write)."""

    def __init__(self, status: str) -> None:
        self.status = status


class Walkthrough:
    """One sitting over the selected markers: questions, each marker's rating, the conclusion."""

    def __init__(
        self,
        store: ReviewStore,
        term: Terminal,
        markers: list[Marker],
        *,
        revisit: bool = False,
        resume_command: str = "",
        conclusion: str = "auto",
    ) -> None:
        self.s = Session(store, term, markers, revisit=revisit, resume_command=resume_command)
        self.steps = Steps(store.mset, markers, conclusion=conclusion)
        self.questions = QuestionStep(self.s)
        self.ratings = RatingStep(self.s, self.questions)
        self.conclusion = ConclusionStep(self.s)
        self.summary = Summary(self.s, self.steps, self.questions)
        self._panel_shown: Optional[str] = None

    def due(self, step: Step) -> bool:
        if step.is_conclusion:
            return self.conclusion.needed()
        assert step.marker is not None
        if self.s.revisit:
            return True
        if step.question is not None:
            return self.questions.needs_answer(step.marker, step.question)
        return self.ratings.needs_rating(step.marker)

    def run(self) -> Outcome:
        s, term = self.s, self.s.term
        try:
            self._intro()
            i = self.steps.next_due(0, self.due)
            if i is None:
                term.say("Everything selected is answered and rated. Use --revisit to walk through it again.", "ok")
                self.summary.show(self._status("Nothing needed saving."))
                return Outcome("nothing")
            while i is not None:
                step = self.steps[i]
                if step.marker is not None:
                    self._show_panel(step.marker)
                    move = self.questions.run(step.marker, step.question) if step.question is not None else self.ratings.run(step.marker)
                else:
                    move = self.conclusion.run()
                if move == p.QUIT:
                    term.say()
                    self.summary.show(self._status(f"Stopped at {step.where()}."))
                    return Outcome("quit")
                if move == p.BACK:
                    if i == 0:
                        term.say("This is the first question of this sitting.", "muted")
                    else:
                        i -= 1
                elif move != REDO:
                    i = self.steps.next_due(i + 1, self.due)
            term.say()
            term.say(f"That is every {s.item} selected." if s.markers else "That is the conclusion.", "ok")
            self.summary.show(self._status("Finished."))
            return Outcome("done")
        except EOFError:
            term.say()
            self.summary.show(self._status("End of input."), offer_full=False)
            return Outcome("eof")
        except KeyboardInterrupt:
            term.say()
            term.say(
                f"Interrupted. {self._saved_words()} in {s.store.path} "
                f"({s.store.answered()} of {s.mset.question_count} questions answered).",
                "warn",
            )
            self._still_open()
            if s.resume_command:
                term.say(f"Resume with: {s.resume_command}")
            return Outcome("interrupted")
        except EditConflictError as exc:
            term.say()
            term.say(f"{exc}; with piped answers the file's value is kept.", "error")
            term.say(f"The file says: {exc.theirs}", "text", 1)
            term.say(f"Not saved: {exc.what}: {exc.mine}. Note it, then run the walkthrough again:", "warn")
            term.say(f"  {self._resume()}")
            self._still_open()
            return Outcome("changed")
        except (FileChangedError, WriteRefusedError) as exc:
            term.say()
            term.say(str(exc).rstrip(".") + ".", "error")
            if s.pending is not None:
                term.say(f"Not saved: {s.pending.what}: {s.pending.shown()}. Note it, then run the walkthrough again:", "warn")
            else:
                term.say("Run the walkthrough again to continue from the file as it is now:", "warn")
            term.say(f"  {self._resume()}")
            self._still_open()
            return Outcome("changed" if isinstance(exc, FileChangedError) else "failed")

    def _still_open(self) -> None:
        """What is open in this sitting and in the file, however the sitting ended."""
        try:
            left = self.summary.open_items()
            self.s.term.say(("Still open in this sitting: " + self.summary.few(left) + ".") if left else "Nothing is left open in this sitting.")
            self.s.term.say("Still open in the file: " + self.summary.file_open(None) + ".")
        except Exception:  # noqa: BLE001 - a failing summary must not hide how the sitting ended
            pass

    def _resume(self) -> str:
        return self.s.resume_command or p.command_line(["scr-audit", "assess", str(self.s.store.path)])

    def _saved_words(self) -> str:
        if self.s.unsaved:
            return f"Everything confirmed is saved except {plural(len(self.s.unsaved), 'change')} listed as not saved,"
        return "Everything confirmed is saved"

    def _status(self, where: str) -> str:
        s = self.s
        if s.unsaved:
            return f"{where} Saved in {s.store.path}: everything confirmed except what is listed as not saved above."
        return f"{where} Saved: everything confirmed is in {s.store.path}."

    # what the person sees first ------------------------------------------------------

    def _intro(self) -> None:
        s, term = self.s, self.s.term
        info = s.store.review.review
        src = s.mset.header.source
        term.say(f"{info.title} · stage {info.stage} · {s.mset.title} ({src.published or src.year})", "heading")
        rated = sum(1 for r in scoring.marker_ratings(s.mset, s.store.review).values() if r)
        n = len(s.markers)
        if n:
            ids = ", ".join(m.id for m in s.markers) if n <= 6 else f"{s.markers[0].id} to {s.markers[-1].id}"
            this = f"This sitting: {ids} ({plural(n, s.item)})."
        else:
            this = "This sitting: the conclusion."
        term.say(
            f"{s.store.path}: {s.store.answered()} of {s.mset.question_count} questions answered, "
            f"{rated} of {len(s.mset.rated_markers)} {plural(len(s.mset.rated_markers), s.item, count=False)} rated. {this}"
        )
        term.say(f"Answers: {self.questions.legend()}. At every prompt: {p.COMMANDS}.", "muted")
        term.say(f"Each answer is saved to {s.store.path} as soon as you give it.", "muted")

    def _show_panel(self, marker: Marker) -> None:
        if self._panel_shown == marker.id:
            return
        self._panel_shown = marker.id
        s = self.s
        cluster = s.mset.cluster(marker.cluster)
        k = s.markers.index(marker) + 1
        s.term.say()
        s.term.panel(
            f"{marker.id} · {s.item} {marker.number}: {marker.title}",
            [
                ("muted", f"Cluster: {cluster.title}"),
                *([("text", f"{s.mset.header.statement_label}: {marker.statement}")] if marker.statement else []),
                (
                    "progress",
                    f"{s.item} {k} of {len(s.markers)} in this sitting · {s.store.answered()} of {s.mset.question_count} answers in the file",
                ),
            ],
        )


__all__ = ["Outcome", "Walkthrough", "key"]
