"""The walkthrough: one sitting of answering a review's questions, saving as it goes.

A lead reviewer answers up to 107 questions over several sittings, so the session is built
around never losing what they typed: every confirmed answer, note, rating, rationale and
action is written to the file at once (a whole new file beside the old one, renamed over
it), and a file someone else changed since it was read is never overwritten.

The session talks to the person through a small `Terminal` (ask one line, say one line),
so the same logic serves a real terminal, piped answers and tests. It knows nothing of
the Quality Markers themselves: labels, scales, aliases and the name of an item all come
from the marker set.
"""

from __future__ import annotations

import math
import re
import signal
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Callable, Iterator, Optional, Protocol

from scr_audit import personal_data, scoring, template, textblocks, yamlio
from scr_audit.checks import CheckOptions, check_read, typed_answer_problem
from scr_audit.editing import ReviewEditor
from scr_audit.errors import FileChangedError, Problem, ReviewFileError, ScrAuditError, WriteRefusedError, YamlLoadError
from scr_audit.markers import AnswerOption, Marker, MarkerSet, Question, RatingOption, Registry
from scr_audit.stages import STAGES
from scr_audit.results import FileReport
from scr_audit.review import AnswerEntry, MarkerEntry, ReadResult, ReviewFile, answer_for, read_review
from scr_audit.validation import or_list, plural

#: Findings that make a file unsafe to edit: the walkthrough would not know where an answer
#: goes, or would write over something it could not read.
REFUSED_RULES = frozenset(
    {"yaml-syntax", "file-unreadable", "not-a-review", "schema", "unknown-marker-set", "unknown-marker", "unknown-question"}
)
#: Findings the summary counts rather than lists: its own table already says what is left.
COUNTED_RULES = ("unanswered-question", "unrated-marker")

BACK, SKIP, QUIT, HELP, EDIT, CLEAR = "b", "s", "q", "?", "e", "-"
#: Moves a step can end with besides BACK and QUIT: on to the next step due, or the same again.
NEXT, REDO = "next", "redo"
COMMANDS = f"{BACK} back, {SKIP} skip, {QUIT} save and quit, {HELP} guidance"

_ESCAPES = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[@-_]")
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")


class Terminal(Protocol):
    """How the session meets the person: one line in, lines out."""

    #: A person at a terminal (not piped input): only then are they asked for a title and
    #: stage, or offered an editor.
    interactive: bool

    def ask(self, prompt: str) -> str:
        """One line of input. Raises EOFError at the end of input, KeyboardInterrupt on Ctrl-C."""

    def say(self, text: str = "", kind: str = "text", level: int = 0) -> None:
        """One line (or paragraph) of output. kind: text, heading, muted, ok, warn, error,
        bullet, question, progress."""

    def panel(self, title: str, lines: list[tuple[str, str]]) -> None:
        """A marker's header panel: a title and (kind, text) lines."""

    def edit(self, text: str) -> Optional[str]:
        """Open the person's editor on `text`; the new text, or None if nothing was saved."""


# -------------------------------------------------------------------------- the file


class ReviewStore:
    """The review file on disk: read once, then every change written whole and atomically.

    `stamp` is what the file held when last read or written; a save finds the file
    changed (another editor, a second session) and stops rather than overwrite it.
    """

    def __init__(self, path: Path, registry: Registry, mset: MarkerSet, text: str, stamp: yamlio.Stamp, read: ReadResult) -> None:
        assert read.review is not None
        self.path = path
        #: Where the bytes live: a symlinked review file is updated, not replaced by a copy.
        self.target = path.resolve() if path.is_symlink() else path
        self.registry = registry
        self.mset = mset
        self.stamp = stamp
        self.text = text
        self.read = read
        self.review: ReviewFile = read.review
        self.editor = _editor(path, text, mset)
        unchanged = self.editor.text()
        lost = self.editor.lost_comments(unchanged)
        if lost:
            raise ReviewFileError(
                str(path),
                [Problem(str(path), f"saving would drop the comment {c!r} (the YAML library cannot keep a comment there); "
                 "move it onto its own line beside a key, then run assess again") for c in lost],
            )
        #: The file's layout differs from what the tool writes, so the first save rewrites
        #: some spacing or quoting (never a comment or a value).
        self.reformats = unchanged != text

    @classmethod
    def open(cls, path: Path, registry: Registry, set_id: Optional[str] = None) -> "ReviewStore":
        """Read and check an existing review file; refuse one the walkthrough cannot edit safely."""
        name = str(path)
        try:
            data = yamlio.read_bytes(path)
            text = yamlio.decode(data, name)
        except YamlLoadError as exc:
            raise ReviewFileError(name, [exc.problem]) from None
        read = read_review(path, text=text)
        report = check_read(read, registry, CheckOptions())
        refused = [f for f in report.findings if f.rule in REFUSED_RULES and f.severity == "error"]
        if refused or read.review is None:
            raise ReviewFileError(name, [Problem(f.file, f"{f.message} [{f.rule}]", f.line, f.column) for f in refused])
        mset = registry.get(read.review.marker_set)
        if set_id is not None and set_id != mset.id:
            raise ScrAuditError(
                f"{name} is a review against the marker set {mset.id!r}, not {set_id!r}; leave out --set to continue it"
            )
        return cls(path, registry, mset, text, yamlio.Stamp(yamlio.file_digest(data)), read)

    @classmethod
    def create(cls, path: Path, registry: Registry, mset: MarkerSet, *, title: str, stage: str) -> "ReviewStore":
        """Write a new review file (as `scr-audit new` would) and open it."""
        text = template.render(mset, title=title, stage=stage, assessed_on=date.today())
        stamp = yamlio.atomic_write(path, text)  # never replaces a file that appeared meanwhile
        return cls(path, registry, mset, text, stamp, read_review(path, text=text))

    # reading
    def entry(self, marker: Marker) -> Optional[MarkerEntry]:
        return self.review.entry(marker.id)

    def answer(self, marker: Marker, number: int) -> Optional[AnswerEntry]:
        return answer_for(self.entry(marker), number)[1]

    def answered(self) -> int:
        return scoring.answered_count(self.mset, self.review)

    def report(self) -> FileReport:
        return check_read(self.read, self.registry, CheckOptions())

    # writing
    def ensure_unchanged(self) -> None:
        if yamlio.stamp(self.target) != self.stamp:
            raise FileChangedError(
                f"{self.path} changed on disk since it was read (another program or session edited it); "
                "nothing was written over it"
            )

    def save(self, edit: Callable[[ReviewEditor], None], reads_back: Callable[[ReviewFile], bool], what: str) -> None:
        """Apply one edit and write the whole file at once.

        The new text is read back before it is written: if it does not say what was meant
        (which would be a bug here), nothing is written.
        """
        edit(self.editor)
        text = self.editor.text()
        read = read_review(self.path, text=text)
        if read.findings or read.review is None or not reads_back(read.review) or self.editor.lost_comments(text):
            self.editor = _editor(self.path, self.text, self.mset)
            raise WriteRefusedError(
                f"{self.path}: {what} did not read back as entered, or a comment would have been lost, so nothing was written; "
                "this is a bug in scr-audit, please report it"
            )
        with _interrupts_deferred():
            self.stamp = yamlio.atomic_write(self.target, text, overwrite=True, expect=self.stamp)
            self.text, self.read, self.review = text, read, read.review


def _editor(path: Path, text: str, mset: MarkerSet) -> ReviewEditor:
    from ruamel.yaml.error import YAMLError

    try:
        return ReviewEditor(text, [m.id for m in mset.markers])
    except (YAMLError, ValueError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ReviewFileError(str(path), [Problem(str(path), f"cannot be edited safely: {first}")]) from None


@contextmanager
def _interrupts_deferred() -> Iterator[None]:
    """Ctrl-C during a write takes effect after it, so the file and the session agree."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: caught.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous if previous is not None else signal.default_int_handler)
    if caught:
        raise KeyboardInterrupt


# --------------------------------------------------------------------------- helpers


def select_markers(mset: MarkerSet, marker_ids: tuple[str, ...] = (), cluster_ids: tuple[str, ...] = ()) -> list[Marker]:
    """The markers of this sitting, in the set's order: all of them unless some are named."""
    if not marker_ids and not cluster_ids:
        return list(mset.markers)
    wanted = {mset.marker(m).id for m in marker_ids}
    for c in cluster_ids:
        wanted |= {m.id for m in mset.markers_in(mset.cluster(c).id)}
    return [m for m in mset.markers if m.id in wanted]


def ask_new_review(term: Terminal, default_title: str, title: Optional[str], stage: Optional[str]) -> tuple[str, str]:
    """Title and stage for a new file, asking for whichever was not given."""
    while title is None:
        raw = clean(term.ask(f"Title of the review, its anonymised name (Enter: {default_title}): ")).strip()
        title = raw or default_title
    while stage is None:
        raw = clean(term.ask(f"Stage: {or_list(list(STAGES))} (Enter: end): ")).strip().lower()
        if not raw:
            stage = "end"
        elif raw in STAGES:
            stage = raw
        else:
            matches = [s for s in STAGES if s.startswith(raw)]
            if len(matches) == 1:
                stage = matches[0]
            else:
                term.say(f"{raw!r} is not a stage; type {or_list(list(STAGES))}.", "warn")
    return title, stage


def clean(raw: str) -> str:
    """A typed line without terminal escape sequences (arrow keys) or control characters."""
    return _CONTROLS.sub("", _ESCAPES.sub("", raw))


def shown(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _short(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# ------------------------------------------------------------------------ the session


@dataclass
class Outcome:
    """How the sitting ended: done, quit, eof, nothing (to do), interrupted, changed (the
    file, underneath the session) or failed (a write)."""

    status: str


class Walkthrough:
    """One sitting over the selected markers: questions, then each marker's rating."""

    def __init__(
        self,
        store: ReviewStore,
        term: Terminal,
        markers: list[Marker],
        *,
        revisit: bool = False,
        resume_command: str = "",
    ) -> None:
        self.store = store
        self.term = term
        self.mset = store.mset
        self.markers = markers
        self.revisit = revisit
        self.resume_command = resume_command
        self.steps: list[tuple[Marker, Optional[Question]]] = []
        for m in markers:
            self.steps += [(m, q) for q in m.questions] + ([(m, None)] if m.rated else [])
        self.touched: set[str] = set()  # markers whose answers changed in this sitting
        self.pending = ""  # what is being written, to report if the write is refused
        self._panel_shown: Optional[str] = None
        self._item = self.mset.header.item_name

    @property
    def stage(self) -> str:
        return self.store.review.review.stage

    # the loop ------------------------------------------------------------------------

    def run(self) -> Outcome:
        try:
            self._intro()
            i = self._next_due(0)
            if i is None:
                self.term.say(
                    "Everything selected is answered and rated. Use --revisit to walk through it again.", "ok"
                )
                self._summary()
                return Outcome("nothing")
            while i is not None:
                marker, q = self.steps[i]
                self.store.ensure_unchanged()
                self._show_panel(marker)
                move = self._question(marker, q) if q is not None else self._rating(marker)
                if move == QUIT:
                    self.term.say()
                    self.term.say(f"Saved. Stopped at {self._where(marker, q)}.", "ok")
                    self._summary()
                    return Outcome("quit")
                if move == BACK:
                    if i == 0:
                        self.term.say("This is the first question of this sitting.", "muted")
                    else:
                        i -= 1
                elif move != REDO:
                    i = self._next_due(i + 1)
            self.term.say()
            self.term.say(f"That is every {self._item} selected.", "ok")
            self._summary()
            return Outcome("done")
        except EOFError:
            self.term.say()
            self.term.say("End of input: everything confirmed is saved.", "ok")
            self._summary()
            return Outcome("eof")
        except KeyboardInterrupt:
            self.term.say()
            self.term.say(
                f"Interrupted. Everything confirmed is saved in {self.store.path} "
                f"({self.store.answered()} of {self.mset.question_count} questions answered).",
                "warn",
            )
            if self.resume_command:
                self.term.say(f"Resume with: {self.resume_command}")
            return Outcome("interrupted")
        except (FileChangedError, WriteRefusedError) as exc:
            self.term.say()
            self.term.say(str(exc).rstrip(".") + ".", "error")
            if self.pending:
                self.term.say(f"Not saved: {self.pending}. Note it, then run the walkthrough again:", "warn")
            else:
                self.term.say("Run the walkthrough again to continue from the file as it is now:", "warn")
            self.term.say(f"  {self.resume_command or 'scr-audit assess ' + _quote(self.store.path)}")
            return Outcome("changed" if isinstance(exc, FileChangedError) else "failed")

    def _next_due(self, start: int) -> Optional[int]:
        for i in range(start, len(self.steps)):
            marker, q = self.steps[i]
            if self.revisit or (self._needs_answer(marker, q) if q is not None else self._needs_rating(marker)):
                return i
        return None

    def _needs_answer(self, marker: Marker, q: Question) -> bool:
        ans = self.store.answer(marker, q.number)
        return ans is None or not ans.is_answered or self._recorded_problem(q, ans) is not None

    def _needs_rating(self, marker: Marker) -> bool:
        entry = self.store.entry(marker)
        return marker.id in self.touched or entry is None or self.mset.rating(entry.rating) is None

    def _where(self, marker: Marker, q: Optional[Question]) -> str:
        return f"{marker.id} question {q.number}" if q is not None else f"{marker.id} rating"

    # what the person sees -------------------------------------------------------------

    def _intro(self) -> None:
        info = self.store.review.review
        src = self.mset.header.source
        self.term.say(f"{info.title} · stage {info.stage} · {self.mset.title} ({src.published or src.year})", "heading")
        rated = sum(1 for r in scoring.marker_ratings(self.mset, self.store.review).values() if r)
        n = len(self.markers)
        ids = ", ".join(m.id for m in self.markers) if n <= 6 else f"{self.markers[0].id} to {self.markers[-1].id}"
        self.term.say(
            f"{self.store.path}: {self.store.answered()} of {self.mset.question_count} questions answered, "
            f"{rated} of {len(self.mset.rated_markers)} {plural(len(self.mset.rated_markers), self._item, count=False)} rated. "
            f"This sitting: {ids} ({plural(n, self._item)})."
        )
        self.term.say(f"Answers: {self._legend()}. Also: {COMMANDS}.", "muted")
        self.term.say(f"Each answer is saved to {self.store.path} as soon as you give it.", "muted")
        if self.store.reformats:
            self.term.say(
                "Note: saving rewrites the spacing or quoting of some lines of this file into the tool's layout; "
                "comments and values are kept.",
                "muted",
            )

    def _show_panel(self, marker: Marker) -> None:
        if self._panel_shown == marker.id:
            return
        self._panel_shown = marker.id
        cluster = self.mset.cluster(marker.cluster)
        k = self.markers.index(marker) + 1
        self.term.say()
        self.term.panel(
            f"{marker.id} · {self._item} {marker.number}: {marker.title}",
            [
                ("muted", f"Cluster: {cluster.title}"),
                *([("text", f"{self.mset.header.statement_label}: {marker.statement}")] if marker.statement else []),
                (
                    "progress",
                    f"{self._item} {k} of {len(self.markers)} in this sitting · "
                    f"{self.store.answered()} of {self.mset.question_count} answers in the file",
                ),
            ],
        )

    def _legend(self, q: Optional[Question] = None) -> str:
        if q is not None and q.type != "scale":
            return self._typed_legend(q)
        return ", ".join(f"{self._key(o)} {o.id}" if self._key(o) != o.id else o.id for o in self._answers())

    def _typed_legend(self, q: Question) -> str:
        extra = [self._key(o) for o in self._answers() if o.score is None]
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

    def _answers(self) -> list[AnswerOption]:
        """The answers this review's stage allows, in the scale's order."""
        return [a for a in self.mset.header.answer_scale if a.stages is None or self.stage in a.stages]

    @staticmethod
    def _key(opt: AnswerOption | RatingOption) -> str:
        return min((opt.id, *opt.aliases), key=len)

    def _guidance(self, marker: Marker, q: Optional[Question] = None) -> None:
        self.term.say()
        self.term.say(f"{marker.id} {marker.title}: guidance", "heading")
        if q is not None:
            for fact in q.facts:
                self.term.say(f"{fact.text} ({fact.source})", "text", 1)
            if q.help:
                self.term.say(q.help, "text", 1)
        parts = marker.guidance
        if not parts:
            self.term.say("The standard gives no further guidance for this one.", "muted")
        for heading, text in parts:
            self.term.say()
            self.term.say(heading, "heading")
            previous = None
            for block in textblocks.parse(text):
                if block.kind == "paragraph" and previous == "paragraph":
                    self.term.say()
                self.term.say(block.text, "bullet" if block.kind == "bullet" else "text", block.level + 1)
                previous = block.kind
        src = self.mset.header.source
        page = f", p {marker.page}" if marker.page else ""
        self.term.say()
        self.term.say(f"Source: {src.publisher} ({src.published or src.year}) {src.title}{page}.", "muted")

    def _say_question(self, marker: Marker, q: Question) -> None:
        self.term.say()
        self.term.say(
            f"{marker.id} question {q.number} of {len(marker.questions)}  ·  "
            f"{self.store.answered()}/{self.mset.question_count} answered",
            "progress",
        )
        self.term.say(q.text + (f" [{q.type}]" if q.type != "scale" else ""), "question")
        if q.type != "scale":
            self.term.say(f"Answer with {self._typed_legend(q)}.", "muted")
        elif q.negative:
            self.term.say("Note: a yes here is a weakness; it counts against the score.", "muted")
        for fact in q.facts:
            self.term.say(f"Context: {fact.text} ({fact.source})", "muted", 1)

    # a question ----------------------------------------------------------------------

    def _question(self, marker: Marker, q: Question) -> str:
        self._say_question(marker, q)
        recorded = self.store.answer(marker, q.number)
        default: Any = None
        if recorded is not None and recorded.is_answered:
            problem = self._recorded_problem(q, recorded)
            if problem:
                self.term.say(f"Recorded: {problem}; answer again.", "warn")
            else:
                default = self._canonical(q, recorded.answer)
                note = f" (evidence: {_short(recorded.evidence)})" if recorded.has_evidence else ""
                self.term.say(f"Recorded: {self._display(q, default)}{note}", "muted")
        prompt = f"Answer [{self._prompt_keys(q)}]" + (f" (Enter: {self._display(q, default)})" if default is not None else "") + ": "
        while True:
            raw = clean(self.term.ask(prompt)).strip()
            low = raw.lower()
            if low == HELP:
                self._guidance(marker, q)
                self._say_question(marker, q)
                continue
            if low in (BACK, SKIP, QUIT):
                return NEXT if low == SKIP else low
            if not raw:
                if default is None:
                    self.term.say(f"Choose {self._legend(q)}; or {COMMANDS}.", "warn")
                    continue
                value = default
            else:
                value, error = self._parse_answer(q, raw)
                if error:
                    self.term.say(f"{error} Choose {self._legend(q)}; or {COMMANDS}.", "warn")
                    continue
            break
        evidence = recorded.evidence if recorded is not None and recorded.has_evidence else None
        if default is None or value != default:  # new, corrected or changed: saved before the note is asked
            self._save_answer(marker, q, value, evidence)
        return self._evidence(marker, q, value, evidence)

    def _prompt_keys(self, q: Question) -> str:
        if q.type == "scale":
            keys = "/".join(self._key(o) for o in self._answers())
        elif q.type == "choice":
            keys = f"1-{len(q.options or ())}"
        else:
            keys = {"number": "number", "date": "YYYY-MM-DD", "text": "text"}[q.type]
        return f"{keys}, {BACK}/{SKIP}/{QUIT}/{HELP}"

    def _parse_answer(self, q: Question, raw: str) -> tuple[Any, Optional[str]]:
        """(value to record, None) or (None, why not)."""
        opt = self.mset.answer(raw)
        if q.type == "scale" or (opt is not None and opt.score is None):
            if opt is None:
                return None, f"{raw!r} is not an answer here."
            if opt.stages is not None and self.stage not in opt.stages:
                return None, f"{opt.id!r} is for reviews at stage {or_list(list(opt.stages))}; this one is at stage {self.stage}."
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
        problem = typed_answer_problem(q, value)
        return (None, problem[0].upper() + problem[1:] + ".") if problem else (value, None)

    def _recorded_problem(self, q: Question, ans: AnswerEntry) -> Optional[str]:
        """Why an answer already in the file cannot stand (None if it can)."""
        value = ans.answer
        opt = self.mset.answer(value)
        if q.type == "scale" or (opt is not None and opt.score is None):
            if opt is None:
                return f"{shown(value)!r} is not on the answer scale"
            if opt.stages is not None and self.stage not in opt.stages:
                return f"{opt.id!r} cannot stand in a review at stage {self.stage}"
            return None
        return typed_answer_problem(q, value)

    def _canonical(self, q: Question, value: Any) -> Any:
        """A valid recorded answer in the form the tool writes (the scale's id, the choice's id)."""
        opt = self.mset.answer(value)
        if opt is not None and (q.type == "scale" or opt.score is None):
            return opt.id
        if q.type == "choice":
            choice = q.option(value)
            return choice.id if choice else value
        return value

    def _display(self, q: Question, value: Any) -> str:
        if q.type == "choice":
            choice = q.option(value)
            if choice is not None:
                return f"{choice.id} ({choice.label})" if choice.label != choice.id else choice.id
        if q.type == "number" and q.unit and self.mset.answer(value) is None:
            return f"{shown(value)} {q.unit}"
        return shown(value)

    def _evidence(self, marker: Marker, q: Question, value: Any, recorded: Optional[str]) -> str:
        opt = self.mset.answer(value) if isinstance(value, str) else None
        if opt is not None and q.type != "scale" and opt.score is not None:
            opt = None  # "no" typed as a text answer is text, not the scale's no
        needs = bool(opt is not None and opt.needs_evidence)
        if recorded:
            self.term.say(f"Evidence recorded: {_short(recorded, 200)}", "muted")
            prompt = f"Evidence (Enter keeps it, {CLEAR} clears it, {EDIT} edits it in your editor): "
        elif needs and opt is not None and opt.evidence_prompt:
            prompt = f"Evidence: {opt.evidence_prompt} ({EDIT} for an editor): "
        else:
            prompt = f"Evidence (one line, Enter for none, {EDIT} for an editor): "
        warned = False

        def once_more() -> bool:
            nonlocal warned
            if not needs or warned:
                return False
            why = "a reason it does not apply" if opt is not None and opt.score is None else "evidence"
            self.term.say(
                f"'{opt.id if opt else value}' calls for {why}; `scr-audit check` will flag it (missing-evidence). "
                "Type it now, or press Enter again to leave it empty.",
                "warn",
            )
            warned = True
            return True

        def helped() -> None:
            self._guidance(marker, q)
            self._say_question(marker, q)

        move, note = self._ask_note(prompt, recorded, helped, back=REDO, on_empty=once_more)
        if move != NEXT:
            return move
        if (note or None) != (recorded or None):
            self._save_answer(marker, q, value, note)
            self._warn_personal(note)
        return NEXT

    def _ask_note(
        self,
        prompt: str,
        recorded: Optional[str],
        on_help: Callable[[], None],
        *,
        back: str,
        on_empty: Optional[Callable[[], bool]] = None,
    ) -> tuple[str, Optional[str]]:
        """A one-line note, or one written in the editor: (NEXT, the note) or (back or QUIT, None).

        Enter keeps what is recorded (or, with nothing recorded, asks once more when
        `on_empty` says so); CLEAR clears it.
        """
        while True:
            raw = clean(self.term.ask(prompt)).strip()
            low = raw.lower()
            if low == HELP:
                on_help()
                continue
            if low == BACK:
                return back, None
            if low == QUIT:
                return QUIT, None
            if low == EDIT:
                note = self._edit(recorded or "")
                if note is None:
                    continue
                return NEXT, note
            if low == CLEAR:
                return NEXT, None
            if not raw:
                if recorded:
                    return NEXT, recorded
                if on_empty is not None and on_empty():
                    continue
                return NEXT, None
            return NEXT, raw

    def _edit(self, text: str) -> Optional[str]:
        if not self.term.interactive:
            self.term.say("No editor when the answers are piped in: type the note on one line.", "warn")
            return None
        edited = self.term.edit(text)
        if edited is None:
            self.term.say("Nothing saved in the editor; the note is unchanged.", "muted")
            return None
        note = clean(edited.replace("\r\n", "\n")).strip()
        if not note:
            self.term.say(f"The note came back empty and is unchanged ({CLEAR} clears it).", "muted")
            return None
        self.term.say(f"Note: {_short(note, 200)}", "muted")
        return note

    def _warn_personal(self, text: Optional[str]) -> None:
        for match in personal_data.find(text or ""):
            self.term.say(
                f"This looks like {personal_data.KINDS[match.kind]} ({match.text!r}): keep personal details out of "
                "the record (change it with --revisit or in the file).",
                "warn",
            )

    def _save_answer(self, marker: Marker, q: Question, value: Any, evidence: Optional[str]) -> None:
        self.pending = f"{marker.id} question {q.number}: {self._display(q, value)}" + (f", evidence {evidence!r}" if evidence else "")

        def reads_back(review: ReviewFile) -> bool:
            _, ans = answer_for(review.entry(marker.id), q.number)
            return ans is not None and ans.answer == value and (ans.evidence or None) == (evidence or None)

        self.store.save(lambda ed: ed.set_answer(marker.id, q.number, value, evidence), reads_back, f"{marker.id} question {q.number}")
        self.pending = ""
        self.touched.add(marker.id)

    # a marker's rating -----------------------------------------------------------------

    def _rating(self, marker: Marker) -> str:
        step = 0
        while True:
            if step == 0:
                move = self._rating_prompt(marker)
            elif step == 1:
                move = self._rationale(marker)
            else:
                move = self._actions(marker)
            if move == QUIT:
                return QUIT
            if move == SKIP:
                return NEXT
            if move == BACK:
                if step == 0:
                    return BACK
                step -= 1
            else:
                step += 1
                if step == 3:
                    return NEXT

    def _rating_prompt(self, marker: Marker) -> str:
        entry = self.store.entry(marker)
        suggested = scoring.suggest_rating(self.mset, marker, entry)
        raw_recorded = entry.rating if entry is not None else None
        recorded = self.mset.rating(raw_recorded) if raw_recorded else None
        self.term.say()
        self.term.say(f"{marker.id} rating · {marker.title}", "progress")
        self.term.say(self._answers_line(marker, entry))
        if suggested is not None:
            self.term.say(f"The answers suggest: {suggested.id} ({suggested.label}).")
        else:
            self.term.say("The answers suggest no rating yet.", "muted")
        if raw_recorded and recorded is None:
            self.term.say(f"Recorded: {raw_recorded!r} is not on the rating scale; rate again.", "warn")
        elif recorded is not None:
            self.term.say(f"Recorded: {recorded.id}.", "muted")
        default = recorded or suggested
        ratings = self.mset.header.rating_scale
        listed = ", ".join(r.id for r in ratings)
        prompt = f"Rating [{listed}, {BACK}/{SKIP}/{QUIT}/{HELP}]" + (f" (Enter: {default.id})" if default else "") + ": "
        while True:
            raw = clean(self.term.ask(prompt)).strip()
            low = raw.lower()
            if low == HELP:
                self._guidance(marker)
                self.term.say("Ratings: " + "; ".join(f"{r.id} ({r.label})" for r in ratings) + ".", "muted")
                continue
            if low in (BACK, SKIP, QUIT):
                return low
            if not raw and default is not None:
                chosen: Optional[RatingOption] = default
            else:
                chosen = self.mset.rating(raw) if raw else None
            if chosen is None:
                what = f"{raw!r} is not a rating. " if raw else ""
                self.term.say(f"{what}Choose {or_list([r.id for r in ratings])}; or {COMMANDS}.", "warn")
                continue
            break
        if raw_recorded != chosen.id:
            rid = chosen.id
            self.pending = f"{marker.id} rating: {rid}"
            self.store.save(
                lambda ed: ed.set_rating(marker.id, rid),
                lambda review: (review.entry(marker.id) or MarkerEntry()).rating == rid,
                f"{marker.id} rating",
            )
            self.pending = ""
        if suggested is not None and chosen.id != suggested.id:
            self.term.say(f"Rated {chosen.id}, where the answers suggest {suggested.id}: say why in the rationale.", "muted")
        return NEXT

    def _answers_line(self, marker: Marker, entry: Optional[MarkerEntry]) -> str:
        counts: dict[str, int] = {}
        for given in scoring.scale_answers(self.mset, marker, entry):
            counts[given.option.id] = counts.get(given.option.id, 0) + 1
        unanswered = sum(1 for q in marker.questions if self._needs_answer(marker, q))
        parts = [f"{n} {oid}" for oid, n in counts.items()]
        if unanswered:
            parts.append(f"{unanswered} not answered")
        return "Answers: " + (", ".join(parts) if parts else "none yet") + "."

    def _rationale(self, marker: Marker) -> str:
        entry = self.store.entry(marker)
        recorded = entry.rationale if entry is not None and entry.rationale else None
        if recorded:
            self.term.say(f"Rationale recorded: {_short(recorded, 200)}", "muted")
            prompt = f"Rationale (Enter keeps it, {CLEAR} clears it, {EDIT} edits it in your editor): "
        else:
            prompt = f"Rationale for the rating (one line, Enter for none, {EDIT} for an editor): "
        move, note = self._ask_note(prompt, recorded, lambda: self._guidance(marker), back=BACK)
        if move != NEXT:
            return move
        if (note or None) != (recorded or None):
            self.pending = f"{marker.id} rationale: {note!r}"
            self.store.save(
                lambda ed: ed.set_rationale(marker.id, note),
                lambda review: ((review.entry(marker.id) or MarkerEntry()).rationale or None) == (note or None),
                f"{marker.id} rationale",
            )
            self.pending = ""
            self._warn_personal(note)
        return NEXT

    def _actions(self, marker: Marker) -> str:
        entry = self.store.entry(marker)
        actions = list(entry.actions) if entry is not None else []
        if actions:
            self.term.say(f"{plural(len(actions), 'action')} recorded:", "muted")
            for i, a in enumerate(actions, start=1):
                self.term.say(f"{i}. {a.action} ({self._action_detail(a.owner, a.due)}; {a.status})", "muted", 1)
        while True:
            entry = self.store.entry(marker)
            rating = self.mset.rating(entry.rating) if entry is not None and entry.rating else None
            has_actions = bool(entry is not None and entry.actions)
            default_yes = rating is not None and rating.needs_action and not has_actions
            another = "another" if has_actions else "an"
            raw = clean(self.term.ask(f"Add {another} improvement action? [{'Y/n' if default_yes else 'y/N'}]: ")).strip().lower()
            if raw == HELP:
                self._action_help(marker)
                continue
            if raw in (BACK, QUIT):
                return raw
            if raw in ("y", "yes") or (not raw and default_yes):
                move = self._new_action(marker)
                if move == QUIT:
                    return QUIT
                continue
            if raw in ("n", "no") or not raw:
                return NEXT
            self.term.say("Type y or n (or b back, q save and quit).", "warn")

    def _action_help(self, marker: Marker) -> None:
        self._guidance(marker)
        calls = [r.id for r in self.mset.header.rating_scale if r.needs_action]
        self.term.say(
            "An improvement action says what will be done about a shortfall, who owns it and by when"
            + (f"; ratings that call for one: {or_list(calls)}." if calls else "."),
            "muted",
        )

    @staticmethod
    def _action_detail(owner: Optional[str], due: Optional[date]) -> str:
        return f"owner {owner or 'not given'}, due {due.isoformat() if due else 'not given'}"

    def _new_action(self, marker: Marker) -> str:
        """Ask what, owner and due date; the action is saved once all three are given."""
        fields: dict[str, Any] = {}
        order = ("action", "owner", "due")
        i = 0
        warned: set[str] = set()
        while i < len(order):
            name = order[i]
            prompt = {
                "action": "  What will be done? (Enter to add no action): ",
                "owner": "  Owner (a role, e.g. LSCB business manager): ",
                "due": "  Due date (YYYY-MM-DD): ",
            }[name]
            raw = clean(self.term.ask(prompt)).strip()
            low = raw.lower()
            if low == HELP:
                self._action_help(marker)
                continue
            if low == QUIT:
                self.term.say("The action being typed was not saved.", "muted")
                return QUIT
            if low == BACK:
                if i == 0:
                    return NEXT
                i -= 1
                continue
            if name == "action":
                if not raw:
                    return NEXT
                fields[name] = raw
            elif not raw:
                if name not in warned:
                    what = "an owner" if name == "owner" else "a due date"
                    self.term.say(f"An action without {what} is flagged by `scr-audit check` (vague-action). Enter again to leave it out.", "warn")
                    warned.add(name)
                    continue
                fields[name] = None
            elif name == "due":
                try:
                    fields[name] = date.fromisoformat(raw) if _ISO_DATE.match(raw) else None
                except ValueError:
                    fields[name] = None
                if fields[name] is None:
                    self.term.say(f"{raw!r} is not a date written YYYY-MM-DD (e.g. 2027-01-31).", "warn")
                    continue
                if fields[name] < date.today():
                    self.term.say("That date has passed; the action will show as overdue.", "muted")
            else:
                fields[name] = raw
            i += 1
        what, owner, due = fields["action"], fields["owner"], fields["due"]
        self.pending = f"{marker.id} action {what!r} ({self._action_detail(owner, due)})"
        before = len((self.store.entry(marker) or MarkerEntry()).actions)

        def reads_back(review: ReviewFile) -> bool:
            acts = (review.entry(marker.id) or MarkerEntry()).actions
            return len(acts) == before + 1 and acts[-1].action == what and acts[-1].owner == owner and acts[-1].due == due

        self.store.save(lambda ed: ed.add_action(marker.id, what, owner, due), reads_back, f"{marker.id} action")
        self.pending = ""
        self._warn_personal(" ".join(str(v) for v in (what, owner) if v))
        self.term.say("Action added.", "ok")
        return NEXT

    # the end ---------------------------------------------------------------------------

    def _left(self) -> list[str]:
        """What is still to do in the markers selected, one line per marker."""
        out = []
        for m in self.markers:
            missing = [str(q.number) for q in m.questions if self._needs_answer(m, q)]
            entry = self.store.entry(m)
            parts = []
            if missing:
                parts.append(f"{plural(len(missing), 'question', count=False)} {', '.join(missing)}")
            if m.rated and (entry is None or self.mset.rating(entry.rating) is None):
                parts.append("rating")
            if parts:
                out.append(f"{m.id}: {'; '.join(parts)}")
        return out

    def _summary(self) -> None:
        store, mset, term = self.store, self.mset, self.term
        term.say()
        term.say(f"Summary · {store.review.review.title} · {store.path}", "heading")
        for m in self.markers:
            entry = store.entry(m)
            answered = sum(1 for q in m.questions if not self._needs_answer(m, q))
            line = f"{m.id} {_short(m.title, 40)}: {answered}/{len(m.questions)} answered"
            if m.rated:
                suggested = scoring.suggest_rating(mset, m, entry)
                rating = mset.rating(entry.rating) if entry is not None and entry.rating else None
                differs = " (differs from the suggestion)" if rating and suggested and rating.id != suggested.id else ""
                line += f" · suggested {suggested.id if suggested else '-'} · rated {rating.id if rating else '-'}{differs}"
            term.say(line, "text", 1)
        report = store.report()
        term.say(
            f"In the file: {report.answered} of {report.questions_total} questions answered, "
            f"{report.rated} of {report.markers_total} {plural(report.markers_total, self._item, count=False)} rated."
        )
        left = self._left()
        if left:
            term.say(f"Still to do in this sitting's {plural(2, self._item, count=False)}: " + " · ".join(left), "warn")
        listed = [f for f in report.findings if f.rule not in COUNTED_RULES and f.severity != "info"]
        if report.findings:
            term.say(
                f"Open findings: {plural(report.errors, 'error')}, "
                f"{plural(report.warnings, 'warning')}, {report.infos} for information."
            )
        else:
            term.say("Open findings: none.", "ok")
        for f in listed[:10]:
            term.say(f"{f.location()}: {f.severity} {f.rule}: {f.message}", "warn" if f.severity == "warning" else "error", 1)
        not_listed = len(report.findings) - min(len(listed), 10)
        if not_listed:
            rules: dict[str, int] = {}
            for f in report.findings:
                if f.rule in COUNTED_RULES or f.severity == "info" or f not in listed[:10]:
                    rules[f.rule] = rules.get(f.rule, 0) + 1
            term.say("Not listed here: " + ", ".join(f"{n} {rule}" for rule, n in rules.items()) + ".", "muted", 1)
        term.say("Next:", "heading")
        if left and self.resume_command:
            term.say(f"continue: {self.resume_command}", "text", 1)
        term.say(f"check the whole file: scr-audit check {_quote(store.path)}", "text", 1)
        term.say(f"the Word record: scr-audit export {_quote(store.path)} -o {_quote(store.path.with_suffix('.docx'))}", "text", 1)


def _quote(path: Path) -> str:
    import shlex

    return shlex.quote(str(path))
