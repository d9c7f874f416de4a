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
from scr_audit.termtext import visible
from scr_audit.validation import number_ranges, plural

Row = Union[FileReport, ReviewRow]

Styler = Callable[..., str]

#: Terminal styles for the colour names rating scales declare.
RATING_STYLES = {"green": "green", "amber": "yellow", "red": "red", "grey": "bright_black"}


def _plain(text: str, **_: Any) -> str:
    return text


SEVERITY_COLOURS = {"error": "red", "warning": "yellow", "info": "cyan"}
#: The widest a severity is ("warning"), so messages start in one column.
_SEVERITY_WIDTH = max(len(s) for s in SEVERITY_COLOURS)


def finding_line(f: Finding, style: Styler = _plain) -> str:
    """`path:line:col: severity rule-name message`, the one-line form editors and CI read."""
    sev = style(f.severity, fg=SEVERITY_COLOURS.get(f.severity), bold=f.severity == "error")
    return f"{visible(f.location())}: {sev} {style(f.rule, dim=True)} {visible(f.message)}"


def fold_unanswered(findings: Iterable[Finding]) -> list[Finding]:
    """A marker's unanswered questions as one finding ("QM2: questions 1-9 not answered").

    For people only: JSON keeps one finding per question. The folded finding stands where
    the marker's first unanswered question is.
    """
    findings = list(findings)
    by_marker: dict[str, list[Finding]] = {}
    for f in findings:
        if f.rule == "unanswered-question" and f.marker is not None and f.question is not None:
            by_marker.setdefault(f.marker, []).append(f)
    out: list[Finding] = []
    for f in findings:
        group = by_marker.get(f.marker) if f.rule == "unanswered-question" and f.marker is not None else None
        if not group or len(group) == 1:
            out.append(f)
        elif f is group[0]:
            numbers = [g.question for g in group if g.question is not None]
            message = f"{f.marker}: questions {number_ranges(numbers)} not answered"
            out.append(Finding(f.file, f.line, f.column, f.severity, f.rule, message, f.marker, None))
    return out


def _wrap(text: str, width: int, indent: int) -> list[str]:
    """Lines of at most `width` characters, broken between words, the rest indented."""
    import textwrap

    room = max(20, width - indent)
    lines = textwrap.wrap(text, room, break_long_words=True, break_on_hyphens=False) or [""]
    return [lines[0]] + [" " * indent + line for line in lines[1:]]


def _heading(path: str, width: int) -> list[str]:
    """The file's path, broken after a folder separator when it is wider than the screen."""
    import os

    text = visible(path)
    lines: list[str] = []
    while len(text) > width:
        cut = max(text.rfind(os.sep, 0, width), text.rfind("/", 0, width))
        cut = cut + 1 if cut > 0 else width
        lines.append(text[:cut])
        text = text[cut:]
    return lines + [text]


def file_block(report: FileReport, style: Styler = _plain, width: int = 80) -> list[str]:
    """A file's findings for people: its path once, then `line:col severity message [rule]`.

    Wrapped between words to `width`, each message's lines starting in one column.
    """
    if not report.findings:
        return []
    findings = fold_unanswered(report.findings)
    line_w = max(len(str(f.line if f.line is not None else "-")) for f in findings)
    col_w = max(len(str(f.column)) for f in findings if f.column is not None) if any(f.column is not None for f in findings) else 0
    locs = [
        f"{str(f.line if f.line is not None else '-').rjust(line_w)}" + (f":{str(f.column).ljust(col_w)}" if f.column is not None else " " * (col_w + 1 if col_w else 0))
        for f in findings
    ]
    loc_width = max(len(loc) for loc in locs)
    indent = 2 + loc_width + 1 + _SEVERITY_WIDTH + 1
    if indent > width // 2:
        indent = 4
    lines = [style(line, bold=True, underline=True) for line in _heading(report.path, width)]
    for f, loc in zip(findings, locs):
        plain_sev = f.severity.ljust(_SEVERITY_WIDTH)
        sev = style(f.severity, fg=SEVERITY_COLOURS.get(f.severity), bold=f.severity == "error") + plain_sev[len(f.severity):]
        lead = f"  {loc.rjust(loc_width)} {plain_sev} "
        body = _wrap(f"{visible(f.message)} [{f.rule}]", width, indent)
        styled_lead = f"  {loc.rjust(loc_width)} {sev} "
        if len(lead) <= indent:
            lines.append(styled_lead + " " * (indent - len(lead)) + body[0])
        else:  # a location too long to share a line with the message
            lines += [styled_lead.rstrip(), " " * indent + body[0]]
        lines += body[1:]
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


#: The closing table's columns after the first: (heading, width); and the same, shorter,
#: for a narrow screen.
_COLUMNS = (("Answered", 8), ("Rated", 5), ("Score", 5), ("Errors", 6), ("Warnings", 8), ("Info", 4))
_NARROW = (("Answ.", 7), ("Rated", 5), ("Score", 5), ("Err.", 4), ("Warn.", 5), ("Info", 4))


def files_table(reports: Iterable[Row], style: Styler = _plain, width: int = 80) -> list[str]:
    """The closing table of `check`: one row per file, named within their common folder.

    Plain text laid out to `width` (the figures in fixed columns, the review's title and
    file name wrapped in the first), so it fits an 80-column terminal and a pipe alike.
    """
    import os

    reports = list(reports)
    folder = common_folder([r.path for r in reports])
    columns, gap = _COLUMNS, "  "
    if width - (sum(w for _, w in columns) + 2 * len(columns)) < 15:
        columns, gap = _NARROW, " "
    numbers = sum(w for _, w in columns) + len(gap) * len(columns)
    first = max(8, width - numbers - 1)
    title = f"Files checked, in {folder}{os.sep}" if folder else "Files checked"
    lines = [style(line, bold=True) for line in _wrap(visible(title), width, 0)]
    heading = "Review, stage (file)" if first >= 20 else "Review (file)"
    header = heading.ljust(first) + "".join(gap + h.rjust(w) for h, w in columns)
    lines += [style(header.rstrip(), bold=True), "-" * min(width, len(header))]
    for r in reports:
        if r.is_review and r.markers_total:
            answered, rated = f"{r.answered}/{r.questions_total}", f"{r.rated}/{r.markers_total}"
        else:
            answered = rated = "-"
        name = f"{r.title}, {r.stage or '-'}" if r.is_review and r.title else "(not a review)"
        shown = os.path.relpath(r.path, folder) if folder else r.path
        cells = [answered, rated, score_text(r.score), str(r.errors), str(r.warnings), str(r.infos)]
        colours = [None, None, None, "red" if r.errors else None, "yellow" if r.warnings else None, None]
        # the title shares its first line with the figures; the file name has a line of its own
        left = _cell(visible(name), first) + [style(line, dim=True) for line in _cell(visible(shown), width, hard=True)]
        figures = "".join(
            gap + (style(c.rjust(w), fg=colour) if colour else c.rjust(w)) for c, (_, w), colour in zip(cells, columns, colours)
        )
        lines.append(_pad(left[0], first) + figures)
        lines += [line for line in left[1:]]
    return lines


def _cell(text: str, width: int, *, hard: bool = False) -> list[str]:
    """A table cell's text in lines of `width`: between words, or anywhere for a file name."""
    if hard:
        return [text[i : i + width] for i in range(0, len(text), width)] or [""]
    import textwrap

    return textwrap.wrap(text, width, break_long_words=True, break_on_hyphens=False) or [""]


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - len(text))


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


def left_out_line(left_out: Iterable[tuple[str, str]], limit: int = 3) -> Optional[str]:
    """What a folder check skipped and why, in a sentence or two (None if nothing was)."""
    import os

    by_reason: dict[str, list[str]] = {}
    for path, reason in left_out:
        by_reason.setdefault(reason, []).append(visible(os.path.basename(path)))
    if not by_reason:
        return None

    def names(reason: str) -> str:
        found = by_reason[reason]
        more = f" and {len(found) - limit} more" if len(found) > limit else ""
        return ", ".join(found[:limit]) + more

    parts = []
    if "not-yaml" in by_reason:
        parts.append(f"{plural(len(by_reason['not-yaml']), 'file')} not named .yaml or .yml ({names('not-yaml')})")
    if "hidden" in by_reason:
        parts.append(f"{plural(len(by_reason['hidden']), 'hidden file')} ({names('hidden')})")
    sentences = ["Left out " + " and ".join(parts) + "."] if parts else []
    if "hidden-folder" in by_reason:
        sentences.append(f"Hidden folders are not searched: {names('hidden-folder')}.")
    return " ".join(sentences)


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
                "marker": f.marker,
                "question": f.question,
            }
            for f in r.findings
        ],
    }


#: The version of the JSON `check --format json` writes (docs/schemas/check.schema.json).
#: Raised only when a key changes meaning or goes; new keys keep the number.
CHECK_JSON_FORMAT = 1


def check_json(reports: Iterable[FileReport], left_out: Iterable[tuple[str, str]] = ()) -> Iterator[str]:
    """The JSON document in pieces, one file at a time, so a big batch is never all in memory."""
    t = {"files": 0, "reviews": 0, "errors": 0, "warnings": 0, "infos": 0}
    yield (
        f'{{\n  "tool": "scr-audit",\n  "version": {json.dumps(__version__)},\n  "format": {CHECK_JSON_FORMAT},'
        '\n  "files": ['
    )
    for i, r in enumerate(reports):
        body = jsontext.dumps(report_dict(r)).replace("\n", "\n    ")
        yield ("," if i else "") + "\n    " + body
        t["files"] += 1
        t["reviews"] += int(r.is_review)
        t["errors"] += r.errors
        t["warnings"] += r.warnings
        t["infos"] += r.infos
    skipped = [{"path": path, "reason": reason} for path, reason in left_out]
    yield ("\n  ]" if t["files"] else "]") + f',\n  "left-out": {jsontext.dumps(skipped, indent=None)}'
    yield f',\n  "totals": {json.dumps(t)}\n}}\n'
