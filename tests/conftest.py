"""Shared fixtures: the CLI runner, the bundled set, and review files built to order."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any, Callable, Optional

import pytest
from click.testing import CliRunner

from scr_audit.cli import main
from scr_audit.markers import MarkerSet, Registry

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "markers"
REFERENCE = ROOT.parent / "shared" / "reference"
EXAMPLES = ROOT / "examples" / "reviews"


@pytest.fixture(scope="session", autouse=True)
def marker_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tests' own cache of validated marker sets, never the user's."""
    import os

    folder = tmp_path_factory.mktemp("marker-cache")
    os.environ["SCR_AUDIT_CACHE_DIR"] = str(folder)
    return folder


@pytest.fixture(scope="session")
def registry() -> Registry:
    return Registry()


@pytest.fixture(scope="session")
def qm(registry: Registry) -> MarkerSet:
    return registry.get("scr-quality-markers")


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def cli(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Any]:
    """Run `scr-audit ARGS...` the way a user would, in-process; returns click's Result."""
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "100")

    def run(*args: str, input: Optional[str] = None) -> Any:
        return runner.invoke(main, [str(a) for a in args], input=input, catch_exceptions=False)

    return run


def _q(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def review_text(
    mset: MarkerSet,
    *,
    title: str = "Child D",
    stage: str = "end",
    answer: Callable[[str, int], Optional[str]] = lambda m, q: "yes",
    evidence: Callable[[str, int], Optional[str]] = lambda m, q: f"Evidence for {m} question {q}: minutes of the panel meeting.",
    rating: Callable[[str], Optional[str]] = lambda m: "met",
    actions: Callable[[str], list[dict[str, Any]]] = lambda m: [],
    assessors: tuple[str, ...] = ("B. Panel-Member",),
    dates: Optional[dict[str, date]] = None,
    delay_reasons: Optional[str] = None,
    extra_review: str = "",
    conclusion: Optional[str] = "The review was well run overall; the action plan addresses what fell short.",
) -> str:
    """A review file's text, every question answered by the callables given."""
    dates = dates if dates is not None else {
        "incident": date(2025, 1, 10),
        "referral": date(2025, 1, 20),
        "decision": date(2025, 2, 14),
        "completed": date(2025, 7, 30),
        "published": date(2025, 10, 1),
    }
    lines = [
        "scr-audit: 1",
        f"marker-set: {mset.id}",
        f"marker-set-version: {_q(mset.version)}",
        "review:",
        f"  title: {_q(title)}",
        "  partnership: Anytown LSCB",
        f"  stage: {stage}",
        "  lead-reviewers: [A. Reviewer]",
        f"  assessors: [{', '.join(assessors)}]",
        "  assessed-on: 2026-11-01",
        "  dates:",
    ]
    lines += [f"    {k}: {v.isoformat()}" for k, v in dates.items()]
    if delay_reasons:
        lines.append(f"  delay-reasons: {_q(delay_reasons)}")
    if extra_review:
        lines.append(extra_review)
    lines.append("markers:")
    for m in mset.markers:
        lines.append(f"  {m.id}:")
        lines.append("    answers:")
        for q in m.questions:
            a = answer(m.id, q.number)
            if a is None:
                lines.append(f"      {q.number}:")
                continue
            ev = evidence(m.id, q.number)
            if ev is None:
                lines.append(f"      {q.number}: {_q(a) if not isinstance(a, str) else a}")
            else:
                lines.append(f"      {q.number}: {{answer: {a}, evidence: {_q(ev)}}}")
        r = rating(m.id)
        lines.append(f"    rating: {r if r else ''}".rstrip())
        lines.append(f"    rationale: {_q('Rationale for ' + m.id)}")
        acts = actions(m.id)
        if acts:
            lines.append("    actions:")
            for act in acts:
                first = True
                for k, v in act.items():
                    prefix = "      - " if first else "        "
                    first = False
                    lines.append(f"{prefix}{k}: {_q(v) if isinstance(v, str) else v}")
    if conclusion is not None:
        lines += ["conclusion:", f"  summary: {_q(conclusion)}"]
    return "\n".join(lines) + "\n"


@pytest.fixture
def write_review(tmp_path: Path, qm: MarkerSet) -> Callable[..., Path]:
    """Write a review file (complete and clean unless told otherwise) and return its path."""
    counter = {"n": 0}

    def write(name: Optional[str] = None, mset: Optional[MarkerSet] = None, **kwargs: Any) -> Path:
        counter["n"] += 1
        path = tmp_path / (name or f"review{counter['n']}.yaml")
        path.write_text(review_text(mset or qm, **kwargs), encoding="utf-8")
        return path

    return write
