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
from functools import cached_property
from pathlib import Path
from typing import Any, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, model_validator

from scr_audit.errors import MarkerSetError, Problem, UnknownItemError, UnknownMarkerSetError, YamlLoadError
from scr_audit.stages import Stage
from scr_audit.validation import did_you_mean, field_issues, or_list
from scr_audit.yamlio import load_file

SET_FILE = "set.yaml"
#: The longest timeliness expectation a set may declare (100 years).
MAX_TIMELINESS_MONTHS = 1200
#: How much of set.yaml is looked at to find the set's id without loading it.
PEEK_BYTES = 64 * 1024
QUESTION_TYPES = ("scale", "text", "number", "date", "choice")


def _kebab(name: str) -> str:
    return name.replace("_", "-")


class _Model(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        alias_generator=_kebab,
        populate_by_name=True,
        frozen=True,
        coerce_numbers_to_str=True,
        # "nan" and "inf" are text that pydantic would read as numbers: a score, a bound or
        # a threshold is a finite number, refused at its line otherwise
        allow_inf_nan=False,
    )


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


class Cluster(_Model):
    id: str
    title: str


class AnswerOption(_Model):
    id: str
    label: str
    score: Optional[float] = Field(ge=0, le=1)
    aliases: list[str] = []
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


class RatingOption(_Model):
    id: str
    label: str
    score: Optional[float] = Field(ge=0, le=1)
    colour: Literal["green", "amber", "red", "grey"]
    #: Cell shading in the Word record, hex RRGGBB.
    fill: str = Field(pattern=r"^[0-9A-Fa-f]{6}$")
    aliases: list[str] = []
    #: A rating that calls for an improvement action (missing-action rule).
    needs_action: bool = False


class Threshold(_Model):
    rating: str
    #: Mean answer score (0 to 1, over applicable answers) at or above which this rating is suggested.
    min_score: float = Field(ge=0, le=1)


class Timeliness(_Model):
    """The expectation the slow-review rule holds a review to."""

    from_date: Literal["incident", "referral", "decision", "completed", "published"] = Field(alias="from")
    to_date: Literal["incident", "referral", "decision", "completed", "published"] = Field(alias="to")
    #: At most a century: an expectation is months, and a count past the calendar's end
    #: (year 9999) could not be added to any date.
    months: int = Field(gt=0, le=MAX_TIMELINESS_MONTHS)
    source: str


class Fact(_Model):
    """A published figure shown beside a question to help judge the answer."""

    text: str
    source: str


class QuestionRef(_Model):
    marker: str
    question: int = Field(ge=1)

    def __str__(self) -> str:
        return f"{self.marker} question {self.question}"


class Interval(_Model):
    """A figure computed from two date answers rather than asked ("How long from ... to ...?")."""

    text: str
    from_: QuestionRef = Field(alias="from")
    to: QuestionRef
    unit: Literal["days", "months"] = "months"


class ChoiceOption(_Model):
    id: str
    label: str


class Question(_Model):
    number: int = Field(ge=1)
    text: str
    type: Literal["scale", "text", "number", "date", "choice"] = "scale"
    min: Optional[float] = None
    max: Optional[float] = None
    unit: Optional[str] = None
    options: Optional[list[ChoiceOption]] = None
    facts: list[Fact] = []
    help: Optional[str] = None
    #: A scale question where "yes" is a weakness ("Were there flaws?"): its score is reversed.
    negative: bool = False

    @model_validator(mode="after")
    def _typed(self) -> "Question":
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
        return self

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


class Marker(_Model):
    id: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9_.-]*$")
    number: int = Field(ge=1)
    title: str
    cluster: str
    page: Optional[int] = None
    statement: Optional[str] = Field(None, min_length=1)
    summary: Optional[str] = None
    rationale: Optional[str] = None
    questions: list[Question] = Field(min_length=1)
    #: False for an item that only records facts (dates, a method) and takes no rating.
    rated: bool = True
    knowledge_base: Optional[str] = None
    equality_and_diversity: Optional[str] = None
    statutory_guidance: Optional[str] = None
    common_obstacles: Optional[str] = None

    #: question number -> question, built on first use (a set may have thousands)
    _by_number: Any = PrivateAttr(default=None)

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
        if self._by_number is None:
            index: dict[int, Question] = {}
            for q in self.questions:
                index.setdefault(q.number, q)
            self._by_number = index
        return self._by_number.get(n)

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


class SetHeader(_Model):
    """set.yaml."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$")
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
    clusters: list[Cluster] = Field(min_length=1)
    answer_scale: list[AnswerOption] = Field(min_length=1)
    rating_scale: list[RatingOption] = Field(min_length=1)
    thresholds: list[Threshold] = []
    timeliness: Optional[Timeliness] = None
    intervals: list[Interval] = []
    scoring_note: Optional[str] = None


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


def _issues_to_problems(doc: Any, error: ValidationError, model: type[BaseModel]) -> list[Problem]:
    known = _known_fields(model)
    out = []
    for issue in field_issues(error, doc.data, known_fields=known):
        out.append(doc.problem(issue.path, issue.message, key=issue.on_key))
    return out


def _known_fields(model: type[BaseModel], prefix: tuple = ()) -> dict[tuple, list[str]]:
    """Allowed keys at each (index-free) path of a model, for did-you-mean on unknown keys."""
    import typing

    out: dict[tuple, list[str]] = {prefix: [f.alias or n for n, f in model.model_fields.items()]}
    for name, f in model.model_fields.items():
        for arg in _model_args(f.annotation, typing):
            out.update(_known_fields(arg, prefix + (f.alias or name,)))
    return out


def _model_args(annotation: Any, typing: Any) -> list[type[BaseModel]]:
    found = []
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    for arg in typing.get_args(annotation):
        found += _model_args(arg, typing)
    return found


def load_marker_set(directory: Path | str) -> MarkerSet:
    """Load and cross-check a set directory, or raise MarkerSetError listing every problem."""
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
                problems.append(header_doc.problem((), "set.yaml should be a mapping of 'key: value' lines"))
            else:
                header = SetHeader.model_validate(header_doc.data)
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
            problems.append(doc.problem((), "a marker file should be a mapping of 'key: value' lines"))
            continue
        try:
            marker = Marker.model_validate(doc.data)
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
        loaded = load_marker_set(self.locations[set_id])
        if loaded.id != set_id:
            raise MarkerSetError(
                str(self.locations[set_id]), [Problem(str(self.locations[set_id] / SET_FILE), f"id changed while reading: {loaded.id}")]
            )
        self._loaded[set_id] = loaded
        return loaded

    def find(self, set_id: str) -> MarkerSet | None:
        return self.get(set_id) if set_id in self.locations else None


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
