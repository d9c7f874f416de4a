"""Marker sets: the standard as data, and the one strict loader for it.

Nothing about the 18 Quality Markers is written in Python: a set is a directory with a
`set.yaml` (id, source, clusters, answer and rating scales, thresholds) and one YAML file
per marker. The loader refuses a set whole, listing every problem with its file, line and
column, rather than half-loading it: an audit that silently misses a question is worse
than one that does not run.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, Optional

from scr_audit.errors import MarkerSetError, Problem, UnknownItemError, UnknownMarkerSetError, YamlLoadError
from scr_audit.stages import Stage
from scr_audit.validation import did_you_mean, field_issues, or_list, set_subject
from scr_audit.yamlio import load_file

if TYPE_CHECKING:
    from pydantic import ValidationError

SET_FILE = "set.yaml"
#: The longest timeliness expectation a set may declare (100 years).
MAX_TIMELINESS_MONTHS = 1200
#: How much of set.yaml is looked at to find the set's id without loading it.
PEEK_BYTES = 64 * 1024
QUESTION_TYPES = ("scale", "text", "number", "date", "choice")

# The models are plain frozen dataclasses, so a command that reads the standard (or checks
# a review against it) never pays for importing pydantic: a bundled set comes from the
# cache (marker_cache), already validated. pydantic validates these same classes, with the
# limits below, only when a set is loaded from its YAML (`_validator`).


class Limits:
    """Bounds pydantic enforces when it validates a set (min_length, ge, le, gt, pattern).

    Kept as plain data until pydantic asks for it, so nothing is imported at start-up.
    """

    __slots__ = ("limits",)

    def __init__(self, **limits: Any) -> None:
        self.limits = limits

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        return {**handler(source), **self.limits}

    def __repr__(self) -> str:
        return f"Limits({', '.join(f'{k}={v!r}' for k, v in self.limits.items())})"


#: What each pattern a set's YAML must match means, in words (for the messages).
ID_PATTERN = r"^[A-Za-z][A-Za-z0-9_.-]*$"
SET_ID_PATTERN = r"^[a-z0-9][a-z0-9_.-]*$"
FILL_PATTERN = r"^[0-9A-Fa-f]{6}$"
PATTERN_WORDS = {
    ID_PATTERN: "an id that starts with a letter and uses only letters, digits, '.', '_' and '-' (like QM1)",
    SET_ID_PATTERN: "a set id in lower case: letters, digits, '.', '_' and '-' (like scr-quality-markers)",
    FILL_PATTERN: "a colour as six hexadecimal digits, like D9EAD3",
}


def _kebab(name: str) -> str:
    return name.replace("_", "-")


def _config(**aliases: str) -> dict[str, Any]:
    def alias(name: str) -> str:
        return aliases.get(name, _kebab(name))

    # "nan" and "inf" are text that pydantic would read as numbers: a score, a bound or a
    # threshold is a finite number, refused at its line otherwise (allow_inf_nan)
    return {"extra": "forbid", "alias_generator": alias, "populate_by_name": True, "coerce_numbers_to_str": True,
            "allow_inf_nan": False}


class _Model:
    """Base of every marker-set model: YAML keys are kebab-case; unknown keys are refused."""

    __slots__ = ()
    __pydantic_config__ = _config()

    @classmethod
    def alias(cls, name: str) -> str:
        return cls.__pydantic_config__["alias_generator"](name)


#: Not frozen and without a generated repr: each generated method costs start-up time, and
#: nothing changes a loaded set (it is shared, read-only, by every command).
model = dataclass(kw_only=True, repr=False)


@model
class Source(_Model):
    publisher: str
    year: int
    title: str
    authors: Optional[str] = None
    published: Optional[str] = None
    url: Optional[str] = None
    note: Optional[str] = None

    def citation(self) -> str:
        who = self.authors or self.publisher
        text = f"{who} ({self.year}) {self.title}. {self.publisher}."
        return text if not self.url else f"{text} {self.url}"


@model
class Cluster(_Model):
    id: str
    title: str


@model
class AnswerOption(_Model):
    id: str
    label: str
    score: Optional[Annotated[float, Limits(ge=0, le=1)]]
    aliases: list[str] = field(default_factory=list)
    #: Stages at which this answer may be used (None: any). `not-yet` is for reviews in progress.
    stages: Optional[list[Stage]] = None
    #: An answer that needs evidence or a reason beside it (missing-evidence rule).
    needs_evidence: bool = False
    #: Shown to the user when evidence is missing.
    evidence_prompt: Optional[str] = None
    #: For an answer with no score: the rating to suggest when every answer is this one.
    suggests: Optional[str] = None

    @property
    def applicable(self) -> bool:
        return self.score is not None


@model
class RatingOption(_Model):
    id: str
    label: str
    score: Optional[Annotated[float, Limits(ge=0, le=1)]]
    colour: Literal["green", "amber", "red", "grey"]
    #: Cell shading in the Word record, hex RRGGBB.
    fill: Annotated[str, Limits(pattern=FILL_PATTERN)]
    aliases: list[str] = field(default_factory=list)
    #: A rating that calls for an improvement action (missing-action rule).
    needs_action: bool = False


@model
class Threshold(_Model):
    rating: str
    #: Mean answer score (0 to 1, over applicable answers) at or above which this rating is suggested.
    min_score: Annotated[float, Limits(ge=0, le=1)]


DateName = Literal["incident", "referral", "decision", "completed", "published"]


@model
class Timeliness(_Model):
    """The expectation the slow-review rule holds a review to."""

    __pydantic_config__ = _config(from_date="from", to_date="to")

    from_date: DateName
    to_date: DateName
    #: At most a century: an expectation is months, and a count past the calendar's end
    #: (year 9999) could not be added to any date.
    months: Annotated[int, Limits(gt=0, le=MAX_TIMELINESS_MONTHS)]
    source: str


@model
class Fact(_Model):
    """A published figure shown beside a question to help judge the answer."""

    text: str
    source: str


@model
class QuestionRef(_Model):
    marker: str
    question: Annotated[int, Limits(ge=1)]

    def __str__(self) -> str:
        return f"{self.marker} question {self.question}"


@model
class Interval(_Model):
    """A figure computed from two date answers rather than asked ("How long from ... to ...?")."""

    __pydantic_config__ = _config(from_="from")

    text: str
    from_: QuestionRef
    to: QuestionRef
    unit: Literal["days", "months"] = "months"


@model
class ChoiceOption(_Model):
    id: str
    label: str


@model
class Question(_Model):
    number: Annotated[int, Limits(ge=1)]
    text: str
    type: Literal["scale", "text", "number", "date", "choice"] = "scale"
    min: Optional[float] = None
    max: Optional[float] = None
    unit: Optional[str] = None
    options: Optional[list[ChoiceOption]] = None
    facts: list[Fact] = field(default_factory=list)
    help: Optional[str] = None
    #: A scale question where "yes" is a weakness ("Were there flaws?"): its score is reversed.
    negative: bool = False

    def __post_init__(self) -> None:
        if self.negative and self.type != "scale":
            raise ValueError("'negative' only belongs to a 'scale' question")
        if self.type == "choice" and not self.options:
            raise ValueError("a 'choice' question needs 'options' (a list of id and label)")
        if self.type != "choice" and self.options:
            raise ValueError(f"'options' only belong to a 'choice' question, not a {self.type!r} one")
        if self.type != "number" and (self.min is not None or self.max is not None):
            raise ValueError("'min' and 'max' only belong to a 'number' question")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min ({self.min:g}) is greater than max ({self.max:g})")

    def bounds(self) -> list[str]:
        """A number question's limits in words ("at least 0", "at most 500")."""
        out = []
        if self.min is not None:
            out.append(f"at least {self.min:g}")
        if self.max is not None:
            out.append(f"at most {self.max:g}")
        return out

    def option(self, value: object) -> ChoiceOption | None:
        text = str(value).strip().lower()
        for opt in self.options or ():
            if opt.id.lower() == text or opt.label.lower() == text:
                return opt
        return None


@model
class Marker(_Model):
    id: Annotated[str, Limits(pattern=ID_PATTERN)]
    number: Annotated[int, Limits(ge=1)]
    title: str
    cluster: str
    page: Optional[int] = None
    statement: Optional[Annotated[str, Limits(min_length=1)]] = None
    summary: Optional[str] = None
    rationale: Optional[str] = None
    questions: Annotated[list[Question], Limits(min_length=1)]
    #: False for an item that only records facts (dates, a method) and takes no rating.
    rated: bool = True
    knowledge_base: Optional[str] = None
    equality_and_diversity: Optional[str] = None
    statutory_guidance: Optional[str] = None
    common_obstacles: Optional[str] = None

    def question(self, number: object) -> Question | None:
        if isinstance(number, bool):
            return None
        if isinstance(number, int):
            n = number
        else:
            text = str(number).strip()
            if not (text.isascii() and text.isdigit()):
                return None
            n = int(text)
        # question number -> question, built on first use (a set may have thousands); kept
        # outside the fields, so it is never compared, cached or validated
        index = self.__dict__.get("_by_number")
        if index is None:
            index = {}
            for q in self.questions:
                index.setdefault(q.number, q)
            self.__dict__["_by_number"] = index
        return index.get(n)

    @property
    def guidance(self) -> list[tuple[str, str]]:
        """The marker's supporting text, in the source's order, as (heading, text)."""
        parts = [
            ("Rationale", self.rationale),
            ("Knowledge base", self.knowledge_base),
            ("Equality and diversity", self.equality_and_diversity),
            ("Link to statutory guidance and inspection criteria", self.statutory_guidance),
            ("Tackling some common obstacles", self.common_obstacles),
        ]
        return [(h, t) for h, t in parts if t]


@model
class SetHeader(_Model):
    """set.yaml."""

    id: Annotated[str, Limits(pattern=SET_ID_PATTERN)]
    title: str
    version: str
    description: Optional[str] = None
    #: What the set calls one of its items ("Quality Marker", "Section").
    item_name: str = "marker"
    #: Headings the source uses for a marker's statement and its questions.
    statement_label: str = "Statement"
    questions_label: str = "Questions"
    #: False for a source whose items have no statement (a plain question template).
    requires_statement: bool = True
    source: Source
    clusters: Annotated[list[Cluster], Limits(min_length=1)]
    answer_scale: Annotated[list[AnswerOption], Limits(min_length=1)]
    rating_scale: Annotated[list[RatingOption], Limits(min_length=1)]
    thresholds: list[Threshold] = field(default_factory=list)
    timeliness: Optional[Timeliness] = None
    intervals: list[Interval] = field(default_factory=list)
    scoring_note: Optional[str] = None


#: Every model of a set, by name: what the cache may build, and nothing else.
MODELS: dict[str, type] = {
    cls.__name__: cls
    for cls in (Source, Cluster, AnswerOption, RatingOption, Threshold, Timeliness, Fact, QuestionRef, Interval,
                ChoiceOption, Question, Marker, SetHeader)
}


class MarkerSet:
    """A loaded, cross-checked set. Read-only; lookups are precomputed."""

    def __init__(self, header: SetHeader, markers: list[Marker], directory: Path) -> None:
        self.header = header
        self.markers = sorted(markers, key=lambda m: m.number)
        self.directory = directory
        self._by_id = {m.id.lower(): m for m in self.markers}
        self._answers: dict[str, AnswerOption] = {}
        for opt in header.answer_scale:
            for name in (opt.id, *opt.aliases):
                self._answers[name.lower()] = opt
        self._ratings: dict[str, RatingOption] = {}
        for r in header.rating_scale:
            for name in (r.id, *r.aliases):
                self._ratings[name.lower()] = r
        self._clusters = {c.id: c for c in header.clusters}

    # identity
    @property
    def id(self) -> str:
        return self.header.id

    @property
    def title(self) -> str:
        return self.header.title

    @property
    def version(self) -> str:
        return self.header.version

    @property
    def clusters(self) -> list[Cluster]:
        return list(self.header.clusters)

    @cached_property
    def question_count(self) -> int:
        return sum(len(m.questions) for m in self.markers)

    @cached_property
    def rated_markers(self) -> list[Marker]:
        """The markers that take a rating (all of them, in most sets)."""
        return [m for m in self.markers if m.rated]

    # lookups
    def marker(self, marker_id: str) -> Marker:
        found = self._by_id.get(str(marker_id).lower())
        if found is None:
            raise UnknownItemError(
                f"unknown marker {marker_id!r} in {self.id}{did_you_mean(marker_id, [m.id for m in self.markers])}; "
                f"the set has {self.markers[0].id} to {self.markers[-1].id}"
            )
        return found

    def find_marker(self, marker_id: object) -> Marker | None:
        return self._by_id.get(str(marker_id).lower())

    def cluster(self, cluster_id: str) -> Cluster:
        if cluster_id in self._clusters:
            return self._clusters[cluster_id]
        raise UnknownItemError(
            f"unknown cluster {cluster_id!r} in {self.id}{did_you_mean(cluster_id, self._clusters)}; "
            f"clusters: {', '.join(self._clusters)}"
        )

    def markers_in(self, cluster_id: str, *, rated: bool = False) -> list[Marker]:
        """A cluster's markers in order; with `rated`, only those that take a rating."""
        return [m for m in self.markers if m.cluster == cluster_id and (m.rated or not rated)]

    def answer(self, value: object) -> AnswerOption | None:
        if not isinstance(value, str):
            return None
        return self._answers.get(value.strip().lower())

    def rating(self, value: object) -> RatingOption | None:
        if not isinstance(value, str):
            return None
        return self._ratings.get(value.strip().lower())

    def rating_by_id(self, rating_id: str) -> RatingOption:
        return self._ratings[rating_id.lower()]

    def answer_words(self) -> list[str]:
        return [a.id for a in self.header.answer_scale]

    def rating_words(self) -> list[str]:
        return [r.id for r in self.header.rating_scale]

    def describe_answers(self, stage: str | None = None) -> str:
        return or_list([a.id for a in self.header.answer_scale if stage is None or a.stages is None or stage in a.stages])


# ------------------------------------------------------------------------------ loading


_VALIDATORS: dict[type, Any] = {}


def _validate(model: type, data: Any) -> Any:
    """`data` as a `model`, validated by pydantic (imported here, on first use only)."""
    adapter = _VALIDATORS.get(model)
    if adapter is None:
        from pydantic import TypeAdapter

        adapter = _VALIDATORS[model] = TypeAdapter(model)
    return adapter.validate_python(data)


def _issues_to_problems(doc: Any, error: "ValidationError", model: type) -> list[Problem]:
    known = _known_fields(model)
    out = []
    for issue in field_issues(error, doc.data, known_fields=known, patterns=PATTERN_WORDS, subject=set_subject):
        out.append(doc.problem(issue.path, issue.message, key=issue.on_key))
    return out


def _known_fields(model: type, prefix: tuple = ()) -> dict[tuple, list[str]]:
    """Allowed keys at each (index-free) path of a model, for did-you-mean on unknown keys."""
    import dataclasses
    import typing

    hints = typing.get_type_hints(model)
    names = [f.name for f in dataclasses.fields(model)]
    out: dict[tuple, list[str]] = {prefix: [model.alias(n) for n in names]}
    for name in names:
        for arg in _model_args(hints[name], typing):
            out.update(_known_fields(arg, prefix + (model.alias(name),)))
    return out


def _model_args(annotation: Any, typing: Any) -> list[type]:
    if isinstance(annotation, type) and issubclass(annotation, _Model):
        return [annotation]
    found = []
    for arg in typing.get_args(annotation):
        found += _model_args(arg, typing)
    return found


def load_marker_set(directory: Path | str) -> MarkerSet:
    """Load and cross-check a set directory, or raise MarkerSetError listing every problem."""
    from pydantic import ValidationError

    from scr_audit.paths import list_folder

    directory = Path(directory)
    problems: list[Problem] = []
    if not directory.is_dir():
        raise MarkerSetError(str(directory), [Problem(str(directory), "not a folder")])
    listing = list_folder(directory)
    if listing.problem is not None:
        raise MarkerSetError(str(directory), [Problem(str(directory), f"the folder cannot be read ({listing.problem})")])
    set_path = directory / SET_FILE
    header: SetHeader | None = None
    header_doc = None
    if not _has_set_file(directory):
        problems.append(Problem(str(set_path), f"missing: a marker set folder needs a {SET_FILE} that declares the set"))
    else:
        try:
            header_doc = load_file(set_path)
            if not isinstance(header_doc.data, dict):
                problems.append(header_doc.problem((), "set.yaml should be 'key: value' lines declaring the set (id:, title:, version:, source: ...), not a list or a single value"))
            else:
                header = _validate(SetHeader, header_doc.data)
        except YamlLoadError as exc:
            problems.append(exc.problem)
        except ValidationError as exc:
            problems += _issues_to_problems(header_doc, exc, SetHeader)

    markers: list[tuple[Marker, Any]] = []
    files = sorted(p for p in listing.files if p.suffix in (".yaml", ".yml") and p.name != SET_FILE)
    if not files:
        problems.append(Problem(str(directory), "no marker files: add one YAML file per marker beside set.yaml"))
    for path in files:
        try:
            doc = load_file(path)
        except YamlLoadError as exc:
            problems.append(exc.problem)
            continue
        if not isinstance(doc.data, dict):
            problems.append(doc.problem((), "a marker file should be 'key: value' lines describing one marker (id:, number:, title: ...), not a list or a single value"))
            continue
        try:
            marker = _validate(Marker, doc.data)
        except ValidationError as exc:
            problems += _issues_to_problems(doc, exc, Marker)
            continue
        if path.stem != marker.id:
            problems.append(
                doc.problem(("id",), f"the file is named {path.name} but its id is {marker.id!r}; make them the same")
            )
        markers.append((marker, doc))

    if header is not None and header_doc is not None:
        problems += _check_header(header, header_doc)
        problems += _check_markers(header, markers, all_read=len(markers) == len(files))
        problems += _check_intervals(header, header_doc, [m for m, _ in markers])
        if header.requires_statement:
            for marker, doc in markers:
                if marker.statement is None:
                    problems.append(doc.problem((), f"{marker.id} has no 'statement:'; every marker of this set needs its statement"))
    if problems:
        problems.sort(key=lambda p: (p.file, p.line or 0, p.column or 0))
        raise MarkerSetError(str(directory), problems)
    assert header is not None
    return MarkerSet(header, [m for m, _ in markers], directory)


def _check_header(header: SetHeader, doc: Any) -> list[Problem]:
    problems = []

    def dupes(items: list[Any], names: list[str], field: str) -> None:
        seen: dict[str, int] = {}
        for i, item in enumerate(items):
            for name in names[i]:
                low = name.lower()
                if low in seen:
                    problems.append(doc.problem((field, i), f"{field}: {name!r} is used twice (also in item {seen[low] + 1})"))
                seen[low] = i

    dupes(header.clusters, [[c.id] for c in header.clusters], "clusters")
    dupes(header.answer_scale, [[a.id, *a.aliases] for a in header.answer_scale], "answer-scale")
    dupes(header.rating_scale, [[r.id, *r.aliases] for r in header.rating_scale], "rating-scale")
    ratings = {r.id for r in header.rating_scale}
    for i, t in enumerate(header.thresholds):
        if t.rating not in ratings:
            problems.append(
                doc.problem(("thresholds", i, "rating"), f"threshold names rating {t.rating!r}, which is not in the rating scale{did_you_mean(t.rating, ratings)}")
            )
    for i, a in enumerate(header.answer_scale):
        if a.suggests is not None and a.suggests not in ratings:
            problems.append(
                doc.problem(("answer-scale", i, "suggests"), f"answer {a.id!r} suggests rating {a.suggests!r}, which is not in the rating scale{did_you_mean(a.suggests, ratings)}")
            )
    mins = [t.min_score for t in header.thresholds]
    if mins != sorted(mins, reverse=True):
        problems.append(doc.problem(("thresholds",), "thresholds must be listed from the highest min-score to the lowest"))
    return problems


def _check_markers(header: SetHeader, markers: list[tuple[Marker, Any]], *, all_read: bool) -> list[Problem]:
    problems = []
    clusters = [c.id for c in header.clusters]
    ids: dict[str, Any] = {}
    numbers: dict[int, Any] = {}
    for marker, doc in markers:
        if marker.id.lower() in ids:
            problems.append(doc.problem(("id",), f"duplicate marker id {marker.id!r} (also in {ids[marker.id.lower()].name})"))
        ids[marker.id.lower()] = doc
        if marker.number in numbers:
            problems.append(doc.problem(("number",), f"duplicate marker number {marker.number} (also in {numbers[marker.number].name})"))
        numbers[marker.number] = doc
        if marker.cluster not in clusters:
            problems.append(
                doc.problem(("cluster",), f"unknown cluster {marker.cluster!r}{did_you_mean(marker.cluster, clusters)}; set.yaml declares {or_list(clusters)}")
            )
        for i, q in enumerate(marker.questions, start=1):
            if q.number != i:
                problems.append(
                    doc.problem(
                        ("questions", i - 1, "number"),
                        f"question numbers must run 1, 2, 3... without gaps or repeats: expected {i}, found {q.number}",
                    )
                )
                break
    if markers and all_read:  # a gap left by a file that failed to load is already reported
        expected = list(range(1, len(markers) + 1))
        found = sorted(numbers)
        if found != expected:
            missing = sorted(set(expected) - set(found))
            where = markers[0][1]
            problems.append(
                Problem(
                    str(Path(where.name).parent),
                    f"marker numbers must run 1 to {len(markers)} without gaps; missing {', '.join(map(str, missing)) or 'none'}",
                )
            )
    return problems


def _check_intervals(header: SetHeader, doc: Any, markers: list[Marker]) -> list[Problem]:
    problems = []
    by_id = {m.id: m for m in markers}
    for i, interval in enumerate(header.intervals):
        for end, ref in (("from", interval.from_), ("to", interval.to)):
            target = by_id.get(ref.marker)
            q = target.question(ref.question) if target else None
            if q is None or q.type != "date":
                problems.append(doc.problem(("intervals", i, end), f"{ref} is not a date question of this set"))
    return problems


# ----------------------------------------------------------------------------- registry


def bundled_dir() -> Path:
    """The bundled sets: inside the installed package, or `markers/` in a source checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "markers", here.parent / "markers"):
        if candidate.is_dir():
            return candidate
    return here / "markers"


class Registry:
    """Every marker set the user can name: bundled ones plus `--markers` directories.

    A directory given with `--markers` may be one set (it holds set.yaml) or a folder of
    sets. A user's set wins over a bundled one with the same id: that is how a local
    adaptation replaces the published set.
    """

    def __init__(self, extra_dirs: list[Path] | tuple[Path, ...] = ()) -> None:
        self.extra_dirs = [Path(d) for d in extra_dirs]
        self._loaded: dict[str, MarkerSet] = {}

    @cached_property
    def locations(self) -> dict[str, Path]:
        found: dict[str, Path] = {}
        for base in [bundled_dir(), *self.extra_dirs]:
            for d in _set_dirs(base, self.unreadable):
                found[_peek_id(d)] = d
        return found

    @cached_property
    def unreadable(self) -> list[tuple[Path, str]]:
        """Folders searched for sets that could not be listed, and why (filled by `locations`)."""
        return []

    def ids(self) -> list[str]:
        return list(self.locations)

    def get(self, set_id: str) -> MarkerSet:
        if set_id in self._loaded:
            return self._loaded[set_id]
        if set_id not in self.locations:
            known = self.ids()
            raise UnknownMarkerSetError(
                f"unknown marker set {set_id!r}{did_you_mean(set_id, known)}; known sets: {', '.join(known) or 'none'}"
                " (add a folder of your own with --markers DIR)"
            )
        directory = self.locations[set_id]
        loaded = _load_bundled(directory, set_id) if directory.parent == bundled_dir() else load_marker_set(directory)
        if loaded.id != set_id:
            raise MarkerSetError(
                str(self.locations[set_id]), [Problem(str(self.locations[set_id] / SET_FILE), f"id changed while reading: {loaded.id}")]
            )
        self._loaded[set_id] = loaded
        return loaded

    def find(self, set_id: str) -> MarkerSet | None:
        return self.get(set_id) if set_id in self.locations else None


def _load_bundled(directory: Path, set_id: str) -> MarkerSet:
    """A bundled set: from the cache when it holds this very set, else validated and cached."""
    from scr_audit import marker_cache

    cached = marker_cache.load(directory, set_id)
    if cached is not None:
        return cached
    loaded = load_marker_set(directory)
    marker_cache.store(directory, loaded)
    return loaded


def _set_dirs(base: Path, unreadable: list[tuple[Path, str]]) -> list[Path]:
    from scr_audit.paths import list_folder

    if _has_set_file(base):
        return [base]
    listing = list_folder(base)
    if listing.problem is not None and base.exists():
        unreadable.append((base, listing.problem))
    return sorted(d for d in listing.folders if _has_set_file(d))


def _has_set_file(directory: Path) -> bool:
    """Whether `directory` holds a set.yaml (even one that is not a regular file: loading says so)."""
    try:
        os.stat(directory / SET_FILE)
        return True
    except OSError:
        return os.path.islink(directory / SET_FILE)


def _peek_id(directory: Path) -> str:
    """The set's id without loading it: from the first PEEK_BYTES of set.yaml.

    A set is only loaded when a review names it, so an unrelated set (however large, or
    not even a regular file) costs one small read. The folder name stands in when the id
    is not there.
    """
    path = directory / SET_FILE
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return directory.name
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
        with os.fdopen(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                return directory.name
            head = fh.read(PEEK_BYTES)
    except OSError:
        return directory.name
    for raw in head.splitlines()[:-1] if len(head) == PEEK_BYTES else head.splitlines():
        line = raw.decode("utf-8", errors="replace").lstrip("\ufeff")
        if line.startswith("id:"):
            value = line[3:].split("#", 1)[0].strip().strip("'\"")
            if value:
                return value
    return directory.name


DEFAULT_SET = "scr-quality-markers"
