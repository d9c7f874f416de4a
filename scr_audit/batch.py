"""Checking many files: on every core, results in the order the files were given.

Work is sent to worker processes in chunks and results come back in input order, so
output is identical to a single-process run and stable between runs. With the `fork`
start method the workers inherit the marker sets already loaded by the parent; elsewhere
each worker loads them once. Memory stays flat: only finished reports are held, and each
is a few hundred bytes plus its findings.
"""

from __future__ import annotations

import os
from pathlib import Path
from functools import partial
from typing import Callable, Iterator, Optional, Sequence, TypeVar

from scr_audit.checks import CheckOptions, check_file
from scr_audit.errors import Problem
from scr_audit.markers import Registry
from scr_audit.results import FileReport, Finding
from scr_audit.rules import RULES

#: Below this many files, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 16

T = TypeVar("T")

_worker_registry: Optional[Registry] = None
_worker_options: Optional[CheckOptions] = None


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def effective_jobs(requested: Optional[int], files: int) -> int:
    """Worker processes for `files` files: as asked (all cores by default), never more than
    there are files or cores."""
    jobs = default_jobs() if requested is None else max(1, requested)
    return max(1, min(jobs, files, default_jobs()))


def _init_worker(marker_dirs: tuple[Path, ...], set_ids: tuple[str, ...], options: CheckOptions) -> None:
    global _worker_registry, _worker_options
    if _worker_registry is None or _worker_registry.extra_dirs != list(marker_dirs):
        _worker_registry = Registry(marker_dirs)
        for sid in set_ids:
            _worker_registry.find(sid)
    _worker_options = options


def _in_worker(work: Callable[[str, Registry, CheckOptions], T], path: str) -> T:
    assert _worker_registry is not None and _worker_options is not None
    return work(path, _worker_registry, _worker_options)


def _check(path: str, registry: Registry, options: CheckOptions) -> FileReport:
    return check_file(path, registry, options)


def check_many(
    paths: Sequence[Path],
    registry: Registry,
    options: CheckOptions,
    *,
    jobs: Optional[int] = None,
) -> Iterator[FileReport]:
    """Reports for `paths`, in order. `jobs=1` checks in this process.

    However many jobs are asked for, no more processes start than there are files to
    check or cores to run them (`--jobs 100000` starts as many as `--jobs 2` on two cores).
    """
    return map_files(_check, paths, registry, options, jobs=jobs)


def map_files(
    work: Callable[[str, Registry, CheckOptions], T],
    paths: Sequence[Path],
    registry: Registry,
    options: CheckOptions,
    *,
    jobs: Optional[int] = None,
) -> Iterator[T]:
    """`work(path, registry, options)` for each of `paths`, in order, on every core.

    `work` must be a module-level function, or a partial of one (it is sent to the workers
    by name), and return what pickles.
    """
    jobs = effective_jobs(jobs, len(paths))
    if jobs <= 1 or len(paths) < PARALLEL_THRESHOLD:
        for p in paths:
            yield work(str(p), registry, options)
        return
    global _worker_registry, _worker_options
    # load every set the parent knows before forking, so workers start ready
    loaded = tuple(sid for sid in registry.ids() if _try_load(registry, sid))
    _worker_registry, _worker_options = registry, options
    import multiprocessing  # only here: one file, or --jobs 1, never pays for it

    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    chunk = max(1, min(64, len(paths) // (jobs * 8) or 1))
    with ctx.Pool(jobs, initializer=_init_worker, initargs=(tuple(registry.extra_dirs), loaded, options)) as pool:
        yield from pool.imap(partial(_in_worker, work), [str(p) for p in paths], chunksize=chunk)


def _try_load(registry: Registry, set_id: str) -> bool:
    from scr_audit.errors import ScrAuditError

    try:
        registry.get(set_id)
        return True
    except ScrAuditError:
        return False


def unreadable_reports(problems: Sequence[Problem], options: CheckOptions) -> list[FileReport]:
    """A report for each folder a walk could not read, so the check cannot pass without it."""
    out = []
    for p in problems:
        report = FileReport(p.file)
        if "file-unreadable" not in options.ignore:
            report.findings.append(Finding(p.file, None, None, RULES["file-unreadable"].severity, "file-unreadable", p.message))
        out.append(report)
    return out
