"""Output formats for `check`: small functions over the one result model.

A new format is one new function here and one entry in FORMATS. Text is for people
(findings grouped by file, then a table of files); JSON is for programs and is stable:
keys are only ever added.
"""

from __future__ import annotations

import json
from typing import Any, Callable, Iterable, Iterator, Optional, Union

from scr_audit import __version__, jsontext
from scr_audit.results import FileReport, Finding, ReviewRow, Score
from scr_audit.termtext import markup, visible
from scr_audit.validation import plural

Row = Union[FileReport, ReviewRow]

Styler = Callable[..., str]

#: Terminal styles for the colour names rating scales declare.
RATING_STYLES = {"green": "green", "amber": "yellow", "red": "red", "grey": "bright_black"}


def _plain(text: str, **_: Any) -> str:
    return text


def finding_line(f: Finding, style: Styler = _plain) -> str:
    """`path:line:col: severity rule-name message`, the format editors and CI understand."""
    colours = {"error": "red", "warning": "yellow", "info": "cyan"}
    sev = style(f.severity, fg=colours.get(f.severity), bold=f.severity == "error")
    # the path and the message quote the file (its name, its keys, its text): shown, never obeyed
    return f"{visible(f.location())}: {sev} {style(f.rule, dim=True)} {visible(f.message)}"


def file_block(report: FileReport, style: Styler = _plain) -> list[str]:
    if not report.findings:
        return []
    lines = [style(visible(report.path), bold=True, underline=True)]
    lines += [finding_line(f, style) for f in report.findings]
    return lines + [""]


def score_text(score: Optional[Score]) -> str:
    if score is None or score.percent is None:
        return "-"
    return f"{score.percent:.0f}%"


def common_folder(paths: list[str]) -> str:
    """The folder every path is in ('' if none), so a table can show short names."""
    import os

    folders = [os.path.dirname(p) for p in paths]
    if not folders or any(not f for f in folders):
        return ""
    try:
        return os.path.commonpath(folders)
    except ValueError:  # a mix of absolute and relative paths
        return ""


def files_table(reports: Iterable[Row]) -> Any:
    """The closing table of `check`: one row per file, named within their common folder."""
    import os

    from rich import box
    from rich.table import Table

    escape = markup  # control characters visible, rich markup escaped
    reports = list(reports)
    folder = common_folder([r.path for r in reports])
    title = f"Files checked, in {folder}{os.sep}" if folder else "Files checked"
    table = Table(title=escape(title), title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True)
    table.add_column("Review, stage (file)", min_width=14, overflow="fold")
    table.add_column("Answered", justify="right", no_wrap=True)
    table.add_column("Rated", justify="right", no_wrap=True)
    table.add_column("Score", justify="right", no_wrap=True)
    table.add_column("Errors", justify="right", no_wrap=True)
    table.add_column("Warnings", justify="right", no_wrap=True)
    table.add_column("Info", justify="right", no_wrap=True)
    for r in reports:
        if r.is_review and r.markers_total:
            answered = f"{r.answered}/{r.questions_total}"
            rated = f"{r.rated}/{r.markers_total}"
        else:
            answered = rated = "-"
        name = f"{escape(r.title)}, {r.stage or '-'}" if r.is_review and r.title else "(not a review)"
        table.add_row(
            f"{name}\n[dim]{escape(os.path.relpath(r.path, folder) if folder else r.path)}[/dim]",
            answered,
            rated,
            score_text(r.score),
            f"[red]{r.errors}[/red]" if r.errors else "0",
            f"[yellow]{r.warnings}[/yellow]" if r.warnings else "0",
            str(r.infos),
        )
    return table


def totals(reports: Iterable[Row]) -> dict[str, int]:
    t = {"files": 0, "reviews": 0, "errors": 0, "warnings": 0, "infos": 0}
    for r in reports:
        t["files"] += 1
        t["reviews"] += int(r.is_review)
        t["errors"] += r.errors
        t["warnings"] += r.warnings
        t["infos"] += r.infos
    return t


def totals_line(t: dict[str, int]) -> str:
    return (
        f"{plural(t['files'], 'file')} checked ({plural(t['reviews'], 'review')}): "
        f"{plural(t['errors'], 'error')}, {plural(t['warnings'], 'warning')}, {t['infos']} info."
    )


def score_dict(score: Optional[Score]) -> Optional[dict[str, Any]]:
    if score is None:
        return None
    return {
        "percent": None if score.percent is None else round(score.percent, 2),
        "markers": score.total,
        "rated": score.rated,
        "scored": score.scored,
        "not-applicable": score.not_applicable,
        "unrated": score.unrated,
        "counts": dict(score.counts),
    }


def report_dict(r: FileReport) -> dict[str, Any]:
    return {
        "path": r.path,
        "is-review": r.is_review,
        "title": r.title,
        "partnership": r.partnership,
        "stage": r.stage,
        "marker-set": r.marker_set,
        "marker-set-version": r.marker_set_version,
        "questions": r.questions_total,
        "answered": r.answered,
        "markers": r.markers_total,
        "rated": r.rated,
        "score": score_dict(r.score),
        "clusters": {cid: score_dict(s) for cid, s in r.clusters.items()},
        "ratings": dict(r.ratings),
        "figures": dict(r.figures),
        "choices": dict(r.choices),
        "errors": r.errors,
        "warnings": r.warnings,
        "infos": r.infos,
        "findings": [
            {
                "file": f.file,
                "line": f.line,
                "column": f.column,
                "severity": f.severity,
                "rule": f.rule,
                "message": f.message,
            }
            for f in r.findings
        ],
    }


def check_json(reports: Iterable[FileReport]) -> Iterator[str]:
    """The JSON document in pieces, one file at a time, so a big batch is never all in memory."""
    t = {"files": 0, "reviews": 0, "errors": 0, "warnings": 0, "infos": 0}
    yield f'{{\n  "tool": "scr-audit",\n  "version": {json.dumps(__version__)},\n  "files": ['
    for i, r in enumerate(reports):
        body = jsontext.dumps(report_dict(r)).replace("\n", "\n    ")
        yield ("," if i else "") + "\n    " + body
        t["files"] += 1
        t["reviews"] += int(r.is_review)
        t["errors"] += r.errors
        t["warnings"] += r.warnings
        t["infos"] += r.infos
    yield ("\n  ]" if t["files"] else "]") + f',\n  "totals": {json.dumps(t)}\n}}\n'
