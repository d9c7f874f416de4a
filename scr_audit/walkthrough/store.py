"""The review file a sitting works on: locked, saved change by change, merged with
edits made to it meanwhile.

- **One sitting per file.** The store holds the file's lock (locks.py) from before it is
  read until the sitting ends, so a second walkthrough, `scan --into` or `compare --merge`
  is refused at once rather than saving over this one.
- **Targeted saves.** A change replaces the characters of the one value it changes
  (targeted.py), or, where that is not simple, goes through the round-trip editor. Either
  way the new text is read back before anything is written: it must say what was meant,
  hold everything else exactly as before and keep every comment, or nothing is written.
  Then it is written beside the file, flushed and renamed over it (yamlio.atomic_write).
- **Outside edits merged.** Before each save the file on disk is compared with what the
  store last read or wrote. If someone changed it (an editor adds a comment, fills in the
  dates), the change is applied to the file as it is now, so both survive. Only when the
  outside edit changed the very value being saved does the store stop and raise
  EditConflictError, for the sitting to ask which to keep.
"""

from __future__ import annotations

from contextlib import ExitStack
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

from scr_audit import yamlio
from scr_audit.errors import EditConflictError, FileChangedError, Problem, ReviewFileError, ScrAuditError, WriteRefusedError, YamlLoadError
from scr_audit.markers import Marker, MarkerSet, Registry
from scr_audit.review_plain import PlainReview, ReadResult, answer_for, read_text, with_part_read
from scr_audit.walkthrough.changes import MISSING, Change, Saved, lookup, same_except
from scr_audit.walkthrough.targeted import Layout

if TYPE_CHECKING:  # a well-formed file is read and saved without pydantic (start-up time)
    from scr_audit.review import AnswerEntry, MarkerEntry, ReviewFile

#: Findings that make a file unsafe to edit: the walkthrough would not know where an answer
#: goes, or would write over something it could not read.
REFUSED_RULES = frozenset(
    {"yaml-syntax", "file-unreadable", "not-a-review", "schema", "unknown-marker-set", "unknown-marker", "unknown-question"}
)


def _only_refused() -> frozenset[str]:
    """Every other rule, left out of the check before a sitting (the sitting's end checks the
    whole file): at start-up it only has to know whether the file is safe to edit."""
    from scr_audit.rules import RULES

    return frozenset(RULES) - REFUSED_RULES


class CannotEditError(WriteRefusedError):
    """The file cannot be changed without losing something in it: the sitting stops."""


class ReviewStore:
    """The review file on disk, as last read or written, and every change to it."""

    def __init__(self, path: Path, registry: Registry, mset: MarkerSet, raw: bytes, read: ReadResult, locks: ExitStack) -> None:
        assert read.review is not None and read.doc is not None
        self.path = path
        #: Where the bytes live: a symlinked review file is updated, not replaced by a copy.
        self.target = path.resolve() if path.is_symlink() else path
        self.registry = registry
        self.mset = mset
        self._locks = locks
        self._adopt(raw, read)
        self._pending_layout: Optional[tuple[str, int, int, int]] = None

    # opening and closing -------------------------------------------------------------

    @classmethod
    def open(cls, path: Path, registry: Registry, set_id: Optional[str] = None) -> "ReviewStore":
        """Lock and read an existing review file; refuse one the walkthrough cannot edit safely."""
        from scr_audit import locks

        stack = ExitStack()
        try:
            stack.enter_context(locks.hold(path, "a walkthrough"))
            raw = _read(path)
            read = _check(path, raw, registry)
            assert read.review is not None
            mset = registry.get(read.review.marker_set)
            if set_id is not None and set_id != mset.id:
                raise ScrAuditError(
                    f"{path} is a review against the marker set {mset.id}, not {set_id}; leave out --set to continue it"
                )
            return cls(path, registry, mset, raw, read, stack)
        except BaseException:
            stack.close()
            raise

    @classmethod
    def create(cls, path: Path, registry: Registry, mset: MarkerSet, *, title: str, stage: str) -> "ReviewStore":
        """Write a new review file (as `scr-audit new` would), locked, and open it."""
        from scr_audit import locks, template

        stack = ExitStack()
        try:
            stack.enter_context(locks.hold(path, "a walkthrough"))
            text = template.render(mset, title=title, stage=stage, assessed_on=date.today())
            yamlio.atomic_write(path, text)  # never replaces a file that appeared meanwhile
            raw = text.encode("utf-8")
            return cls(path, registry, mset, raw, read_text(path, text), stack)
        except BaseException:
            stack.close()
            raise

    def close(self) -> None:
        """Let go of the file's lock (the sitting is over)."""
        self._locks.close()

    def __enter__(self) -> "ReviewStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _adopt(self, raw: bytes, read: ReadResult) -> None:
        assert read.review is not None and read.doc is not None
        self.raw = raw
        self.text = read.doc.text
        self.read = read
        #: The review as read: plain objects (review_plain) for a file valid as written, else
        #: the pydantic models; both have the same attributes and behaviour.
        self.review: "ReviewFile | PlainReview" = read.review
        self._layout: Optional[Layout] = None
        #: After in-place saves the node tree's character positions are behind the text;
        #: a full read brings them up to date before anything needs them (the report).
        self._stale = False

    # reading -------------------------------------------------------------------------

    def entry(self, marker: Marker) -> Optional[MarkerEntry]:
        return self.review.entry(marker.id)

    def answer(self, marker: Marker, number: int) -> Optional[AnswerEntry]:
        return answer_for(self.entry(marker), number)[1]

    def answered(self) -> int:
        from scr_audit import scoring

        return scoring.answered_count(self.mset, self.review)

    def report(self):  # -> FileReport
        from scr_audit.checks import CheckOptions, check_read

        self._fresh()
        return check_read(self.read, self.registry, CheckOptions())

    def _fresh(self) -> None:
        if self._stale:
            self._adopt(self.raw, read_text(self.path, self.text))

    def _after_write(self, data: bytes, read: ReadResult) -> None:
        pending, layout = self._pending_layout, self._layout
        self._adopt(data, read)
        if pending is not None and layout is not None:  # written in place: the layout follows
            layout.commit(*pending)
            self._layout = layout
            self._stale = True

    def reload(self) -> None:
        """Take the file as it is on disk now (after an outside edit the person chose to keep)."""
        raw = _read(self.target)
        if raw != self.raw:
            self._adopt(raw, _check(self.path, raw, self.registry, changed=True))

    # writing -------------------------------------------------------------------------

    def save(self, change: Change, *, keep_mine: bool = False) -> Saved:
        """Write `change` (or raise, with nothing written): merged with any edit made to the
        file meanwhile; EditConflictError if that edit changed this very value (unless
        `keep_mine`); WriteRefusedError if the result would not read back as meant."""
        saved = Saved()
        for _attempt in range(3):
            raw = _read(self.target)
            if raw != self.raw:
                theirs = _check(self.path, raw, self.registry, changed=True)
                assert theirs.review is not None and theirs.doc is not None
                base, now = change.value(self.read.doc.data), change.value(theirs.doc.data)  # type: ignore[union-attr]
                if base != now and not keep_mine:
                    if change.holds(theirs.review, theirs.review):
                        self._adopt(raw, theirs)
                        saved.already = saved.merged = True
                        return saved
                    raise EditConflictError(
                        f"{self.path} was changed on disk at {change.what} while you answered it",
                        change.what,
                        change.shown(),
                        _describe(now),
                    )
                self._adopt(raw, theirs)
                saved.merged = True
            self._pending_layout = None
            text, read = self._apply(change, saved)
            data = text.encode("utf-8")
            try:
                with _interrupts_deferred():
                    yamlio.atomic_write(self.target, data, overwrite=True, expect=yamlio.Stamp(yamlio.file_digest(raw)))
                    self._after_write(data, read)
                return saved
            except FileChangedError:
                continue  # changed between reading and writing: merge again
        raise FileChangedError(f"{self.path} keeps changing on disk (another program is writing it); {change.what} was not saved")

    def _apply(self, change: Change, saved: Saved) -> tuple[str, ReadResult]:
        """The file's new text with `change` made, read back and checked."""
        fast = self._in_place(change)
        if fast is not None:
            return fast
        self._fresh()
        before = self.read.doc.data  # type: ignore[union-attr]
        editor = self._round_trip()
        unshared = editor.unshare(change.parts)
        change.slow(editor)
        text = editor.text()
        lost = editor.lost_comments(text)
        if lost:
            raise CannotEditError(
                f"{self.path}: saving {change.what} would drop the comment {lost[0]!r} (the YAML library cannot keep "
                "a comment there), so nothing was written; move that comment onto its own line beside a key"
            )
        saved.unshared = unshared
        self._refuse_oversize(change, text)
        read = read_text(self.path, text)
        after = read.doc.data if read.doc is not None else None
        path, _ = lookup(after, change.parts) if after is not None else ((), MISSING)
        if (
            read.findings
            or read.review is None
            or not change.holds(read.review, self.review)
            or not same_except(before, after, path[: len(change.parts)])
        ):
            raise WriteRefusedError(
                f"{self.path}: {change.what} did not read back as entered, or the save would have changed something "
                "else in the file, so nothing was written; this is a bug in scr-audit, please report it"
            )
        return text, read

    def _in_place(self, change: Change) -> Optional[tuple[str, ReadResult]]:
        """The change made by replacing its one value in the text (targeted.py), read back
        line and model; None when that is not possible (the round trip is used instead).

        Only the characters of the value change, so the rest of the file is what it was by
        construction; the changed line is parsed on its own and must read back as exactly
        the value meant, and the model is rebuilt from the changed entry and checked."""
        value = change.fast_value()
        if value is None or self.read.doc is None:
            return None
        new, plain = value
        if self._layout is None:
            self._layout = Layout(self.text, self.read.doc._root)
        done = self._layout.replace(change.parts, new)
        if done is None:
            return None
        text, line, start, end = done
        data = self.read.doc.data
        path, _ = lookup(data, change.parts)
        try:
            alone = yamlio.parse(self._layout.line(line, text).strip(), str(self.path)).data
        except YamlLoadError:
            return None
        if not (isinstance(alone, dict) and len(alone) == 1 and list(alone) == [path[-1]] and _same(alone[path[-1]], plain)):
            return None
        after = _replaced(data, path, plain)
        review = _remodel(self.review, after, path)
        if review is None or not change.holds(review, self.review):
            return None
        self._refuse_oversize(change, text)
        from scr_audit.yamlio import Document

        read = ReadResult(str(self.path), Document(str(self.path), after, self.read.doc._root, text), review, [])
        self._pending_layout = (text, line, start, end)
        return text, read

    def _refuse_oversize(self, change: Change, text: str) -> None:
        size = len(text.encode("utf-8"))
        if size > yamlio.MAX_BYTES:
            raise WriteRefusedError(
                f"{self.path}: saving {change.what} would make the file {size / 1048576:.1f} MB, over the "
                f"{yamlio.MAX_BYTES // 1048576} MB a review file may be (scr-audit would then refuse to read it), "
                "so nothing was written; shorten the note"
            )

    def _round_trip(self):  # -> ReviewEditor
        from ruamel.yaml.error import YAMLError

        from scr_audit.editing import ReviewEditor

        try:
            return ReviewEditor(self.text, [m.id for m in self.mset.markers])
        except (YAMLError, ValueError) as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise WriteRefusedError(f"{self.path} cannot be edited safely: {first}") from None


def _same(a: object, b: object) -> bool:
    """Equal, and of the same kind (a YAML `1` is not the text "1", nor `true` the number 1)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b


def _replaced(data: dict, path: tuple, value: object) -> dict:
    """`data` with the value at `path` replaced, copying only the mappings on the way."""
    top = dict(data)
    node = top
    for key in path[:-1]:
        child = dict(node[key])
        node[key] = child
        node = child
    node[path[-1]] = value
    return top


def _remodel(review: Any, data: dict, path: tuple) -> Any:
    """The model with the entry that `path` leads into rebuilt from `data` (None if it does
    not validate: the round trip and its full read then decide). A plain review stays plain
    (pydantic is not imported for it); a review the models read is rebuilt by the models."""
    if isinstance(review, PlainReview):
        return with_part_read(review, data, path)
    from pydantic import ValidationError

    from scr_audit.review import Conclusion, MarkerEntry

    try:
        if path[0] == "markers" and len(path) >= 2:
            raw = data["markers"][path[1]]
            entry = MarkerEntry.model_validate(raw) if raw is not None else None
            return review.model_copy(update={"markers": {**review.markers, path[1]: entry}})
        if path[0] == "conclusion":
            return review.model_copy(update={"conclusion": Conclusion.model_validate(data["conclusion"] or {})})
    except (ValidationError, KeyError, TypeError):
        return None
    return None


def _read(path: Path) -> bytes:
    try:
        return yamlio.read_bytes(path)
    except YamlLoadError as exc:
        raise ReviewFileError(str(path), [exc.problem]) from None


def _check(path: Path, raw: bytes, registry: Registry, *, changed: bool = False) -> ReadResult:
    """The file read and checked for what would make editing it unsafe."""
    from scr_audit.checks import CheckOptions, check_read

    name = str(path)
    try:
        text = yamlio.decode(raw, name)
    except YamlLoadError as exc:
        problems = [exc.problem]
    else:
        read = read_text(path, text)
        report = check_read(read, registry, CheckOptions(ignore=_only_refused()))
        refused = [f for f in report.findings if f.rule in REFUSED_RULES and f.severity == "error"]
        if not refused and read.review is not None:
            return read
        problems = [Problem(f.file, f"{f.message} [{f.rule}]", f.line, f.column) for f in refused]
    if changed:
        lines = "; ".join(str(p) for p in problems[:3])
        raise FileChangedError(f"{path} was changed on disk and now has errors ({lines}); nothing was written over it")
    raise ReviewFileError(name, problems)


def _describe(value: object) -> str:
    if value is MISSING or value is None:
        return "no answer"
    if isinstance(value, dict):
        ans = value.get("answer")
        ev = value.get("evidence")
        return f"{ans}" + (f", evidence {ev!r}" if ev else "")
    if isinstance(value, list):
        return f"{len(value)} item(s)"
    return str(value)


class _interrupts_deferred:
    """Ctrl-C during a write takes effect after it, so the file and the sitting agree."""

    def __enter__(self) -> None:
        import signal
        import threading

        self._caught: list[int] = []
        self._previous = None
        if threading.current_thread() is threading.main_thread():
            self._previous = signal.signal(signal.SIGINT, lambda signum, frame: self._caught.append(signum))
            self._installed = True
        else:
            self._installed = False

    def __exit__(self, *exc: object) -> None:
        import signal

        if self._installed:
            signal.signal(signal.SIGINT, self._previous if self._previous is not None else signal.default_int_handler)
        if self._caught and exc[0] is None:
            raise KeyboardInterrupt
