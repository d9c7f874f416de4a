"""The end of a sitting: the conclusion (when the sitting reaches the end of the set, or
with --conclusion), and the summary of what is done and what is still open."""

from __future__ import annotations

from typing import Optional

from scr_audit import scoring
from scr_audit.validation import plural
from scr_audit.walkthrough import prompts as p
from scr_audit.walkthrough.changes import ConclusionChange
from scr_audit.walkthrough.navigation import Steps
from scr_audit.walkthrough.questions import QuestionStep
from scr_audit.walkthrough.session import NEXT, Session

#: Findings the summary counts rather than lists: its own lines already say what is open.
COUNTED_RULES = ("unanswered-question", "unrated-marker", "unconfirmed-suggestion", "missing-conclusion")
#: The most items of a list the summary shows before "and N more".
SHOWN = 6
LISTS = (
    ("strengths", "Strengths: what the review did well"),
    ("concerns", "Concerns: what fell short"),
    ("board-asked-to", "What the Board is asked to do"),
)


class ConclusionStep:
    """The assessor's overall judgement, for the Board: a summary and three short lists."""

    def __init__(self, s: Session) -> None:
        self.s = s

    def needed(self) -> bool:
        return self.s.revisit or not self.s.store.review.conclusion.has_summary

    def run(self) -> str:
        s, term = self.s, self.s.term
        c = s.store.review.conclusion
        term.say()
        term.say("The conclusion, for the Board (page 1 of the audit record)", "progress")
        term.say("One paragraph on how the review was run overall, then strengths, concerns and what the Board is asked to do.", "muted")
        recorded = c.summary if c.has_summary else None
        if recorded:
            term.say(f"Summary recorded: {p.short(recorded, 200)}", "muted")
            prompt = f"Summary (Enter keeps it, {p.CLEAR} clears it, {p.EDIT} edits it in your editor): "
        else:
            prompt = f"Summary (one paragraph on one line, Enter for none, {p.EDIT} for an editor): "
        move, note = s.ask_note(prompt, recorded, self.help, back=p.BACK)
        if move == p.SKIP:
            return NEXT
        if move != NEXT:
            return move
        if (note or None) != (recorded or None):
            if s.save(ConclusionChange.make("summary", note)):
                s.warn_personal(note)
        for name, label in LISTS:
            have = list(getattr(s.store.review.conclusion, name.replace("-", "_")))
            if have:
                term.say(f"{label}, recorded: " + "; ".join(have), "muted")
                prompt = f"{label}, separated by ; (Enter keeps them, {p.CLEAR} clears them): "
            else:
                prompt = f"{label}, separated by ; (Enter for none): "
            move, line = s.ask_note(prompt, "; ".join(have) or None, self.help, back=p.BACK)
            if move == p.SKIP:
                continue
            if move != NEXT:
                return move
            items = [p.note_text(i) for i in (line or "").split(";") if i.strip()]
            if items != have and s.save(ConclusionChange.make(name, items)):
                s.warn_personal(" ".join(items))
        return NEXT

    def help(self) -> None:
        self.s.term.say(
            "The conclusion opens the audit record. Keep each strength, concern and request to the Board to one line; "
            f"separate them with a semicolon. {p.COMMANDS}; {p.LITERAL_HINT}.",
            "muted",
        )


class Summary:
    """What the sitting did and what is still open, in at most 20 lines; the full list on request."""

    def __init__(self, s: Session, steps: Steps, questions: QuestionStep) -> None:
        self.s = s
        self.steps = steps
        self.questions = questions

    def open_items(self) -> list[str]:
        """What is still open in this sitting's markers, one item per marker."""
        s = self.s
        out = []
        for m in s.markers:
            missing = [str(q.number) for q in m.questions if self.questions.needs_answer(m, q)]
            entry = s.store.entry(m)
            parts = []
            if missing:
                parts.append(f"{plural(len(missing), 'question', count=False)} {', '.join(missing)}")
            if m.rated and (entry is None or s.mset.rating(entry.rating) is None):
                parts.append("rating")
            if parts:
                out.append(f"{m.id}: {'; '.join(parts)}")
        if any(step.is_conclusion for step in self.steps.items) and not s.store.review.conclusion.has_summary:
            out.append("the conclusion")
        return out

    def show(self, status: str, *, offer_full: bool = True) -> None:
        s, term, store = self.s, self.s.term, self.s.store
        term.say()
        term.say(f"Summary · {store.review.review.title} · {store.path}", "heading")
        rated = [m for m in s.markers if m.rated and s.mset.rating((store.entry(m) or _Empty).rating) is not None]
        answered = sum(1 for m in s.markers for q in m.questions if not self.questions.needs_answer(m, q))
        total = sum(len(m.questions) for m in s.markers)
        ids = ", ".join(m.id for m in s.markers) if len(s.markers) <= 4 else f"{s.markers[0].id} to {s.markers[-1].id}"
        if s.markers:
            term.say(
                f"This sitting ({ids}): {answered} of {total} questions answered, {len(rated)} of "
                f"{len([m for m in s.markers if m.rated])} rated; {plural(s.saves, 'change')} saved."
            )
        differ = self.differing()
        if differ:
            term.say("Rated otherwise than the answers suggest: " + self.few(differ) + ".", "muted")
        left = self.open_items()
        term.say(("Still open in this sitting: " + self.few(left) + ".") if left else "Nothing is left open in this sitting.", "warn" if left else "ok")
        report = store.report()
        term.say("Still open in the file: " + self.file_open(report) + ".")
        listed = [f for f in report.findings if f.rule not in COUNTED_RULES and f.severity != "info"]
        if report.findings:
            term.say(f"Findings of scr-audit check: {plural(report.errors, 'error')}, {plural(report.warnings, 'warning')}, {report.infos} for information.")
        for f in listed[:2]:
            term.say(f"line {f.line}: {f.severity} {f.rule}: {p.short(f.message, 70)}", "warn" if f.severity == "warning" else "error", 1)
        if s.unsaved:
            term.say("Not saved in this sitting: " + self.few(s.unsaved) + ".", "error")
        term.say("Next:", "heading")
        if left and s.resume_command:
            term.say(f"continue: {s.resume_command}", "text", 1)
        term.say(f"check the whole file: {p.command_line(['scr-audit', 'check', str(store.path)])}", "text", 1)
        docx = str(store.path.with_suffix(".docx"))
        term.say(f"the Word record: {p.command_line(['scr-audit', 'export', str(store.path), '-o', docx])}", "text", 1)
        term.say(status, "ok" if not s.unsaved else "warn")
        hidden = len(left) > SHOWN or len(differ) > SHOWN or len(s.unsaved) > SHOWN or len(listed) > 2
        if hidden and offer_full:
            self.offer_full(left, differ, listed)

    def offer_full(self, left: list[str], differ: list[str], listed: list) -> None:
        term = self.s.term
        try:
            raw = p.clean(term.ask("Type l for the full list, or press Enter to finish: ")).strip().lower()
        except EOFError:
            return
        if raw != "l":
            return
        lines: list[tuple[str, str, int]] = [("heading", "Still open in this sitting", 0)]
        lines += [("bullet", item, 1) for item in left] or [("text", "nothing", 1)]
        if differ:
            lines += [("heading", "Rated otherwise than the answers suggest", 0)] + [("bullet", d, 1) for d in differ]
        if self.s.unsaved:
            lines += [("heading", "Not saved in this sitting", 0)] + [("bullet", u, 1) for u in self.s.unsaved]
        if listed:
            lines += [("heading", "Findings", 0)]
            lines += [("bullet", f"line {f.line}: {f.severity} {f.rule}: {f.message}", 1) for f in listed]
        self.s.term.page(lines)

    def differing(self) -> list[str]:
        s = self.s
        out = []
        for m in s.markers:
            entry = s.store.entry(m)
            rating = s.mset.rating(entry.rating) if entry is not None and entry.rating else None
            suggested = scoring.suggest_rating(s.mset, m, entry) if rating else None
            if rating and suggested and rating.id != suggested.id:
                out.append(f"{m.id} ({rating.id}; answers suggest {suggested.id})")
        return out

    def file_open(self, report: object) -> str:
        s = self.s
        review = s.store.review
        q_open = [m for m in s.mset.markers if any(self.questions.needs_answer(m, q) for q in m.questions)]
        n_q = sum(1 for m in s.mset.markers for q in m.questions if self.questions.needs_answer(m, q))
        n_r = sum(1 for m in s.mset.rated_markers if s.mset.rating((review.entry(m.id) or _Empty).rating) is None)
        parts = []
        if n_q:
            parts.append(f"{plural(n_q, 'question')} in {plural(len(q_open), s.item)}")
        if n_r:
            parts.append(plural(n_r, "rating"))
        if not review.conclusion.has_summary:
            parts.append("the conclusion")
        return ", ".join(parts) if parts else "nothing"

    @staticmethod
    def few(items: list[str]) -> str:
        shown = "; ".join(items[:SHOWN])
        return shown + (f"; and {len(items) - SHOWN} more (l shows them all)" if len(items) > SHOWN else "")


class _Empty:
    rating: Optional[str] = None
