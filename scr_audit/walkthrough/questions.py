"""One question: show it, take the answer (or confirm a suggestion), then the evidence."""

from __future__ import annotations

import math
import re
from datetime import date
from typing import TYPE_CHECKING, Any, Optional

from scr_audit.markers import AnswerOption, Marker, Question, RatingOption
from scr_audit.validation import or_list
from scr_audit.walkthrough import prompts as p
from scr_audit.walkthrough.changes import AnswerChange
from scr_audit.walkthrough.session import NEXT, REDO, Session

if TYPE_CHECKING:  # or review_plain's PlainAnswer: a well-formed file is read without pydantic
    from scr_audit.review import AnswerEntry

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")


def shown(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def key(opt: AnswerOption | RatingOption) -> str:
    """The shortest name of an answer or rating: what the prompt offers."""
    return min((opt.id, *opt.aliases), key=len)


class QuestionStep:
    """Asks one question and saves what is confirmed."""

    def __init__(self, s: Session) -> None:
        self.s = s

    # what is due ---------------------------------------------------------------------

    def needs_answer(self, marker: Marker, q: Question) -> bool:
        ans = self.s.store.answer(marker, q.number)
        return ans is None or not ans.is_answered or self.recorded_problem(q, ans) is not None

    def legend(self, q: Optional[Question] = None) -> str:
        if q is not None and q.type != "scale":
            return self.typed_legend(q)
        return ", ".join(f"{key(o)} {o.id}" if key(o) != o.id else o.id for o in self.s.answers())

    def typed_legend(self, q: Question) -> str:
        extra = [key(o) for o in self.s.answers() if o.score is None]
        also = f"; or {' or '.join(extra)}" if extra else ""
        if q.type == "number":
            bounds = q.bounds()
            unit = f" of {q.unit}" if q.unit else ""
            return f"a number{unit}" + (f" ({', '.join(bounds)})" if bounds else "") + also
        if q.type == "date":
            return "a date, YYYY-MM-DD" + also
        if q.type == "choice":
            return "one of " + ", ".join(f"{i} {o.label}" for i, o in enumerate(q.options or (), start=1)) + also
        return "text, one line" + also

    # the question --------------------------------------------------------------------

    def say_question(self, marker: Marker, q: Question) -> None:
        term, s = self.s.term, self.s
        term.say()
        term.say(
            f"{marker.id} question {q.number} of {len(marker.questions)}  ·  {s.store.answered()}/{s.mset.question_count} answered",
            "progress",
        )
        term.say(q.text + (f" [{q.type}]" if q.type != "scale" else ""), "question")
        if q.type != "scale":
            term.say(f"Answer with {self.typed_legend(q)}.", "muted")
        elif q.negative:
            term.say("Note: a yes here is a weakness; it counts against the score.", "muted")
        for fact in q.facts:
            term.say(f"Context: {fact.text} ({fact.source})", "muted", 1)

    def run(self, marker: Marker, q: Question) -> str:
        s, term = self.s, self.s.term
        self.say_question(marker, q)
        recorded = s.store.answer(marker, q.number)
        default: Any = None
        suggestion = recorded is not None and recorded.is_suggestion and recorded.has_value
        if recorded is not None and (recorded.is_answered or suggestion):
            problem = self.recorded_problem(q, recorded)
            note = f" (evidence: {p.short(recorded.evidence)})" if recorded.has_evidence else ""
            if problem:
                term.say(f"{'Suggested' if suggestion else 'Recorded'}: {problem}; answer again.", "warn")
            elif suggestion:
                default = self.canonical(q, recorded.answer)
                term.say(f"Suggested by {recorded.suggested_by}: {self.display(q, default)}{note}", "ok")
                term.say("This is a suggestion, not yet your answer: Enter confirms it, or give your own.", "muted")
            else:
                default = self.canonical(q, recorded.answer)
                term.say(f"Recorded: {self.display(q, default)}{note}", "muted")
        prompt = f"Answer [{self.prompt_keys(q)}]" + (f" (Enter: {self.display(q, default)})" if default is not None else "") + ": "
        while True:
            raw = p.clean(term.ask(prompt)).strip()
            move = p.move(raw)
            if move == p.HELP:
                s.guidance(marker, q)
                self.say_question(marker, q)
                continue
            if move is not None:
                return NEXT if move == p.SKIP else move
            if not raw:
                if default is None:
                    term.say(f"Choose {self.legend(q)}; or {p.COMMANDS}.", "warn")
                    continue
                value = default
            else:
                value, error = self.parse_answer(q, raw)
                if error:
                    term.say(f"{error} Choose {self.legend(q)}; or {p.COMMANDS}.", "warn")
                    continue
            break
        evidence = recorded.evidence if recorded is not None and recorded.has_evidence else None
        # new, corrected, changed or a confirmed suggestion: saved before the note is asked
        if default is None or value != default or suggestion:
            if not self.save(marker, q, value, evidence):
                return NEXT
        return self.evidence(marker, q, value, evidence)

    def save(self, marker: Marker, q: Question, value: Any, evidence: Optional[str]) -> bool:
        change = AnswerChange.make(marker.id, q.number, value, evidence, label=self.display(q, value))
        if self.s.save(change):
            self.s.touched.add(marker.id)
            return True
        return False

    def prompt_keys(self, q: Question) -> str:
        if q.type == "scale":
            keys = "/".join(key(o) for o in self.s.answers())
        elif q.type == "choice":
            keys = f"1-{len(q.options or ())}"
        else:
            keys = {"number": "number", "date": "YYYY-MM-DD", "text": "text"}[q.type]
        return f"{keys}, {p.KEYS}"

    def parse_answer(self, q: Question, raw: str) -> tuple[Any, Optional[str]]:
        """(value to record, None) or (None, why not)."""
        s = self.s
        opt = s.mset.answer(raw)
        if q.type == "scale":
            if opt is None:
                opt, could = p.pick(raw, s.mset.header.answer_scale, lambda o: (o.id, o.label, *o.aliases))
                if opt is None:
                    if could:
                        return None, f"{raw!r} could be {or_list([o.id for o in could])}; type more of it."
                    return None, f"{raw!r} is not an answer here."
        if opt is not None and (q.type == "scale" or opt.score is None):
            if opt.stages is not None and s.stage not in opt.stages:
                return None, f"{opt.id!r} is for reviews at stage {or_list(list(opt.stages))}; this one is at stage {s.stage}."
            return opt.id, None
        value: Any = raw
        if q.type == "number":
            try:
                value = int(raw) if re.fullmatch(r"[+-]?\d+", raw) else float(raw)
            except ValueError:
                return None, f"{raw!r} is not a number."
            if not math.isfinite(value):
                return None, f"{raw!r} is not a number."
        elif q.type == "date":
            try:
                value = date.fromisoformat(raw) if _ISO_DATE.match(raw) else None
            except ValueError:
                value = None
            if value is None:
                return None, f"{raw!r} is not a date written YYYY-MM-DD (e.g. 2025-01-31)."
        elif q.type == "choice":
            options = q.options or []
            if raw.isdigit() and 1 <= int(raw) <= len(options):
                return options[int(raw) - 1].id, None
            choice = q.option(raw)
            if choice is None:
                return None, f"{raw!r} is not one of the choices."
            return choice.id, None
        elif q.type == "text":
            value = p.note_text(raw)
        from scr_audit.checks import typed_answer_problem

        problem = typed_answer_problem(q, value)
        return (None, problem[0].upper() + problem[1:] + ".") if problem else (value, None)

    def recorded_problem(self, q: Question, ans: AnswerEntry) -> Optional[str]:
        """Why an answer already in the file cannot stand (None if it can)."""
        s = self.s
        value = ans.answer
        opt = s.mset.answer(value)
        if q.type == "scale" or (opt is not None and opt.score is None):
            if opt is None:
                return f"{shown(value)!r} is not on the answer scale"
            if opt.stages is not None and s.stage not in opt.stages:
                return f"{opt.id!r} cannot stand in a review at stage {s.stage}"
            return None
        from scr_audit.checks import typed_answer_problem

        return typed_answer_problem(q, value)

    def canonical(self, q: Question, value: Any) -> Any:
        """A valid recorded answer in the form the tool writes (the scale's id, the choice's id)."""
        opt = self.s.mset.answer(value)
        if opt is not None and (q.type == "scale" or opt.score is None):
            return opt.id
        if q.type == "choice":
            choice = q.option(value)
            return choice.id if choice else value
        return value

    def display(self, q: Question, value: Any) -> str:
        if q.type == "choice":
            choice = q.option(value)
            if choice is not None:
                return f"{choice.id} ({choice.label})" if choice.label != choice.id else choice.id
        if q.type == "number" and q.unit and self.s.mset.answer(value) is None:
            return f"{shown(value)} {q.unit}"
        return shown(value)

    # the evidence --------------------------------------------------------------------

    def evidence(self, marker: Marker, q: Question, value: Any, recorded: Optional[str]) -> str:
        s, term = self.s, self.s.term
        opt = s.mset.answer(value) if isinstance(value, str) else None
        if opt is not None and q.type != "scale" and opt.score is not None:
            opt = None  # "no" typed as a text answer is text, not the scale's no
        needs = bool(opt is not None and opt.needs_evidence)
        if recorded:
            term.say(f"Evidence recorded: {p.short(recorded, 200)}", "muted")
            prompt = f"Evidence (Enter keeps it, {p.CLEAR} clears it, {p.EDIT} edits it in your editor): "
        elif needs and opt is not None and opt.evidence_prompt:
            prompt = f"Evidence: {opt.evidence_prompt} ({p.EDIT} for an editor): "
        else:
            prompt = f"Evidence (one line, Enter for none, {p.EDIT} for an editor): "
        warned = False

        def once_more() -> bool:
            nonlocal warned
            if not needs or warned:
                return False
            why = "a reason it does not apply" if opt is not None and opt.score is None else "evidence"
            term.say(
                f"'{opt.id if opt else value}' calls for {why}; scr-audit check will flag it (missing-evidence). "
                "Type it now, or press Enter again to leave it empty.",
                "warn",
            )
            warned = True
            return True

        def helped() -> None:
            s.guidance(marker, q, extra=(f"At the evidence prompt: {p.COMMANDS}; {p.LITERAL_HINT}.",))
            self.say_question(marker, q)

        move, note = s.ask_note(prompt, recorded, helped, back=REDO, on_empty=once_more)
        if move == p.SKIP:
            return NEXT
        if move != NEXT:
            return move
        if (note or None) != (recorded or None):
            if self.save(marker, q, value, note):
                s.warn_personal(note)
        return NEXT
