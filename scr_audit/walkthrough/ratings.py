"""The end of a marker: its rating (the suggestion as the default), a rationale, and
improvement actions."""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING, Any, Optional

from scr_audit import scoring
from scr_audit.markers import Marker, RatingOption
from scr_audit.validation import or_list, plural
from scr_audit.walkthrough import prompts as p
from scr_audit.walkthrough.changes import ActionChange, FieldChange
from scr_audit.walkthrough.questions import QuestionStep
from scr_audit.walkthrough.session import NEXT, Session

if TYPE_CHECKING:  # or review_plain's PlainEntry: a well-formed file is read without pydantic
    from scr_audit.review import MarkerEntry

_ISO = re.compile(r"\d{4}-\d{2}-\d{2}\Z")


class RatingStep:
    """A marker's rating, rationale and actions, one after another (b goes back a part)."""

    def __init__(self, s: Session, questions: QuestionStep) -> None:
        self.s = s
        self.questions = questions

    def needs_rating(self, marker: Marker) -> bool:
        entry = self.s.store.entry(marker)
        return marker.id in self.s.touched or entry is None or self.s.mset.rating(entry.rating) is None

    def run(self, marker: Marker) -> str:
        part = 0
        while True:
            move = (self.rating, self.rationale, self.actions)[part](marker)
            if move == p.QUIT:
                return p.QUIT
            if move == p.SKIP:
                return NEXT
            if move == p.BACK:
                if part == 0:
                    return p.BACK
                part -= 1
            else:
                part += 1
                if part == 3:
                    return NEXT

    # the rating ----------------------------------------------------------------------

    def rating(self, marker: Marker) -> str:
        s, term = self.s, self.s.term
        entry = s.store.entry(marker)
        suggested = scoring.suggest_rating(s.mset, marker, entry)
        raw_recorded = entry.rating if entry is not None else None
        recorded = s.mset.rating(raw_recorded) if raw_recorded else None
        term.say()
        term.say(f"{marker.id} rating · {marker.title}", "progress")
        term.say(self.answers_line(marker, entry))
        if suggested is not None:
            term.say(f"The answers suggest: {suggested.id} ({suggested.label}).")
        else:
            term.say("The answers suggest no rating yet.", "muted")
        if raw_recorded and recorded is None:
            term.say(f"Recorded: {raw_recorded!r} is not on the rating scale; rate again.", "warn")
        elif recorded is not None:
            term.say(f"Recorded: {recorded.id}.", "muted")
        default = recorded or suggested
        ratings = s.mset.header.rating_scale
        listed = "/".join(self.short_name(r) for r in ratings)
        prompt = f"Rating [{listed}, {p.KEYS}]" + (f" (Enter: {default.id})" if default else "") + ": "
        while True:
            raw = p.clean(term.ask(prompt)).strip()
            move = p.move(raw)
            if move == p.HELP:
                s.guidance(marker, extra=("Ratings: " + "; ".join(f"{self.short_name(r)} {r.id} ({r.label})" for r in ratings) + ".",))
                continue
            if move is not None:
                return move
            chosen: Optional[RatingOption] = default if not raw else None
            could: list[RatingOption] = []
            if raw:
                chosen, could = p.pick(raw, ratings, lambda r: (r.id, r.label, *r.aliases))
            if chosen is None:
                if could:
                    what = f"{raw!r} could be {or_list([r.id for r in could])}; type more of it. "
                else:
                    what = f"{raw!r} is not a rating. " if raw else ""
                term.say(f"{what}Choose {or_list([f'{self.short_name(r)} {r.id}' for r in ratings])}; or {p.COMMANDS}.", "warn")
                continue
            break
        if raw_recorded != chosen.id:
            if not s.save(FieldChange.make(marker.id, "rating", chosen.id)):
                return NEXT
        if suggested is not None and chosen.id != suggested.id:
            term.say(f"Rated {chosen.id}, where the answers suggest {suggested.id}: say why in the rationale.", "muted")
        return NEXT

    @staticmethod
    def short_name(r: RatingOption) -> str:
        """The rating's shortcut: its shortest alias, else its hyphen-initials (pm)."""
        names = [a for a in r.aliases if "/" not in a] or [r.id]
        best = min(names, key=len)
        words = r.id.split("-")
        initials = "".join(w[0] for w in words) if len(words) > 1 else best
        return min((best, initials), key=len)

    def answers_line(self, marker: Marker, entry: Optional[MarkerEntry]) -> str:
        counts: dict[str, int] = {}
        for given in scoring.scale_answers(self.s.mset, marker, entry):
            counts[given.option.id] = counts.get(given.option.id, 0) + 1
        unanswered = sum(1 for q in marker.questions if self.questions.needs_answer(marker, q))
        parts = [f"{n} {oid}" for oid, n in counts.items()]
        if unanswered:
            parts.append(f"{unanswered} not answered")
        return "Answers: " + (", ".join(parts) if parts else "none yet") + "."

    # the rationale -------------------------------------------------------------------

    def rationale(self, marker: Marker) -> str:
        s, term = self.s, self.s.term
        entry = s.store.entry(marker)
        recorded = entry.rationale if entry is not None and entry.rationale else None
        if recorded:
            term.say(f"Rationale recorded: {p.short(recorded, 200)}", "muted")
            prompt = f"Rationale (Enter keeps it, {p.CLEAR} clears it, {p.EDIT} edits it in your editor): "
        else:
            prompt = f"Rationale for the rating (one line, Enter for none, {p.EDIT} for an editor): "
        move, note = s.ask_note(prompt, recorded, lambda: s.guidance(marker, extra=(p.LITERAL_HINT[0].upper() + p.LITERAL_HINT[1:] + ".",)), back=p.BACK)
        if move != NEXT:
            return move
        if (note or None) != (recorded or None):
            if s.save(FieldChange.make(marker.id, "rationale", note)):
                s.warn_personal(note)
        return NEXT

    # actions -------------------------------------------------------------------------

    def actions(self, marker: Marker) -> str:
        s, term = self.s, self.s.term
        entry = s.store.entry(marker)
        actions = list(entry.actions) if entry is not None else []
        if actions:
            term.say(f"{plural(len(actions), 'action')} recorded:", "muted")
            for i, a in enumerate(actions, start=1):
                term.say(f"{i}. {a.action} ({_detail(a.owner, a.due)}; {a.status})", "muted", 1)
        while True:
            entry = s.store.entry(marker)
            rating = s.mset.rating(entry.rating) if entry is not None and entry.rating else None
            has_actions = bool(entry is not None and entry.actions)
            default_yes = rating is not None and rating.needs_action and not has_actions
            another = "another" if has_actions else "an"
            raw = p.clean(term.ask(f"Add {another} improvement action? [{'Y/n' if default_yes else 'y/N'}, {p.KEYS}]: ")).strip().lower()
            move = p.move(raw)
            if move == p.HELP:
                self.action_help(marker)
                continue
            if move is not None:
                return move
            if raw in ("y", "yes") or (not raw and default_yes):
                if self.new_action(marker) == p.QUIT:
                    return p.QUIT
                continue
            if raw in ("n", "no") or not raw:
                return NEXT
            term.say(f"Type y or n; or {p.COMMANDS}.", "warn")

    def action_help(self, marker: Marker) -> None:
        calls = [r.id for r in self.s.mset.header.rating_scale if r.needs_action]
        self.s.guidance(
            marker,
            extra=(
                "An improvement action says what will be done about a shortfall, who owns it and by when"
                + (f"; ratings that call for one: {or_list(calls)}." if calls else "."),
            ),
        )

    def new_action(self, marker: Marker) -> str:
        """Ask what, owner and due date; the action is saved once all three are given."""
        s, term = self.s, self.s.term
        fields: dict[str, Any] = {}
        order = ("action", "owner", "due")
        prompts = {
            "action": f"  What will be done? (Enter to add no action; {p.KEYS}): ",
            "owner": "  Owner (a role, e.g. LSCB business manager): ",
            "due": "  Due date (YYYY-MM-DD): ",
        }
        i = 0
        warned: set[str] = set()
        while i < len(order):
            name = order[i]
            raw = p.clean(term.ask(prompts[name], "note")).strip()
            move = p.move(raw)
            if move == p.HELP:
                self.action_help(marker)
                continue
            if move in (p.QUIT, p.SKIP):
                term.say("The action being typed was not saved.", "muted")
                return p.QUIT if move == p.QUIT else NEXT
            if move == p.BACK:
                if i == 0:
                    return NEXT
                i -= 1
                continue
            raw = p.note_text(raw)
            if name == "action":
                if not raw:
                    return NEXT
                fields[name] = raw
            elif not raw:
                if name not in warned:
                    what = "an owner" if name == "owner" else "a due date"
                    term.say(f"An action without {what} is flagged by scr-audit check (vague-action). Press Enter again to leave it out.", "warn")
                    warned.add(name)
                    continue
                fields[name] = None
            elif name == "due":
                fields[name] = _date(raw)
                if fields[name] is None:
                    term.say(f"{raw!r} is not a date written YYYY-MM-DD (e.g. 2027-01-31).", "warn")
                    continue
                if fields[name] < date.today():
                    term.say("That date has passed; the action will show as overdue.", "muted")
            else:
                fields[name] = raw
            i += 1
        change = ActionChange.make(marker.id, fields["action"], fields["owner"], fields["due"])
        if s.save(change):
            s.warn_personal(" ".join(str(v) for v in (fields["action"], fields["owner"]) if v))
            term.say("Action added.", "ok")
        return NEXT


def _detail(owner: Optional[str], due: Optional[date]) -> str:
    return f"owner {owner or 'not given'}, due {due.isoformat() if due else 'not given'}"


def _date(raw: str) -> Optional[date]:
    try:
        return date.fromisoformat(raw) if _ISO.match(raw) else None
    except ValueError:
        return None
