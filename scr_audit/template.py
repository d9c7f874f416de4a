"""A blank review file: every marker and question present, the standard's words beside them.

The file is written as text rather than dumped from data so that its layout is the one a
person would want to fill in by hand: the statement above each marker, each question's
text above its line, and a first line that points editors at the JSON Schema.

That first line (the yaml-language-server modeline) names `<set-id>.schema.json`, a file
beside the review file, so that an editor validates and completes against the review's own
marker set, offline. `new`, `assess` and `compare --merge` write that file beside the review
file when it is missing or was written by another version (`write_schema_beside`); a file of
that name the tool did not write is never replaced.
"""

from __future__ import annotations

import json
import re
import textwrap
from datetime import date
from typing import Any, Optional

from scr_audit.markers import Marker, MarkerSet, Question
from scr_audit.review_plain import DATE_FIELDS, FORMAT_VERSION

#: The generic schema's file name (`scr-audit schema --generic`); a set's is schema_file(mset).
SCHEMA_FILE = "scr-audit-review.schema.json"
COMMENT_WIDTH = 96

_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 ._()/&,'-]*\Z")
_YAML_WORDS = {
    "yes", "no", "y", "n", "on", "off", "true", "false", "null", "~", "nan", "inf",
}  # fmt: skip


def scalar(value: Any) -> str:
    """A YAML scalar for `value`: plain when that is unambiguous, else double-quoted."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    if _PLAIN.match(text) and text.lower() not in _YAML_WORDS and not text.endswith((" ", ":")) and ": " not in text and " #" not in text:
        return text
    return quoted(text)


def quoted(text: str) -> str:
    """`text` as a double-quoted YAML scalar that reads back as the same text.

    JSON's escapes are YAML's; JSON escapes the C0 controls, and YAML also refuses DEL and
    the C1 controls written raw, so those are escaped too.
    """
    return _NOT_YAML.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(text, ensure_ascii=False))


#: Characters a YAML file may not hold raw (beyond the C0 controls json.dumps escapes), or
#: that it would read as a line break (NEL, the line and paragraph separators) or drop (BOM).
_NOT_YAML = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")


def comment(text: str, indent: str, first: str = "# ", rest: str = "#   ") -> list[str]:
    """`text` as comment lines (comments cannot span lines, so long text is wrapped)."""
    from scr_audit.termtext import visible

    text = " ".join(visible(text).split())  # a control character from a set's words cannot be in a YAML file
    lines = textwrap.wrap(text, width=max(40, COMMENT_WIDTH - len(indent) - len(first)), break_long_words=False, break_on_hyphens=False)
    return [indent + (first if i == 0 else rest) + line for i, line in enumerate(lines or [""])]


def question_hint(q: Question) -> Optional[str]:
    """What a typed question expects, for its comment (scale questions need no hint)."""
    if q.type == "scale":
        return "a yes here is a weakness: it counts against the score" if q.negative else None
    if q.type == "number":
        bounds = q.bounds()
        unit = f" ({q.unit})" if q.unit else ""
        return f"answer: a number{unit}" + (f", {' and '.join(bounds)}" if bounds else "")
    if q.type == "date":
        return "answer: a date, YYYY-MM-DD"
    if q.type == "choice":
        return "answer: one of " + ", ".join(o.id for o in q.options or ())
    return "answer: text"


def render(
    mset: MarkerSet,
    *,
    title: str,
    stage: str,
    partnership: Optional[str] = None,
    lead_reviewers: tuple[str, ...] = (),
    assessors: tuple[str, ...] = (),
    assessed_on: Optional[date] = None,
) -> str:
    src = mset.header.source
    answers = ", ".join(a.id for a in mset.header.answer_scale)
    ratings = ", ".join(r.id for r in mset.header.rating_scale)
    out: list[str] = [
        *modeline(mset),
        "#",
        f"# scr-audit review file, format version {FORMAT_VERSION}.",
        *comment(f"Marker set: {mset.title}, version {mset.version} ({src.publisher}, {src.published or src.year}).", "", "# ", "# "),
        *comment(f"Answer each question with one of: {answers}. Give evidence for no and partly, and a reason for not-applicable.", "", "# ", "# "),
        *comment(f"Rate each marker: {ratings}. Add improvement actions (action, owner, due, status) where a marker falls short.", "", "# ", "# "),
        "# Keep personal details out: no names, dates of birth, addresses, NHS or NI numbers.",
        "# Check it with: scr-audit check FILE",
        f"scr-audit: {FORMAT_VERSION}",
        f"marker-set: {scalar(mset.id)}",
        f"marker-set-version: {json.dumps(mset.version)}",
        "review:",
        f"  title: {scalar(title)}  # the review's anonymised name",
        f"  partnership: {scalar(partnership)}".rstrip(),
        f"  stage: {stage}  # beginning | progressive | end",
        f"  lead-reviewers: {_flow_list(lead_reviewers)}",
        f"  assessors: {_flow_list(assessors)}",
        f"  assessed-on: {scalar(assessed_on)}".rstrip(),
        "  dates:  # YYYY-MM-DD; used for timeliness",
    ]
    notes = {"decision": "decision to hold the SCR", "completed": "final report presented to the Board"}
    for name in DATE_FIELDS:
        line = f"    {name}:"
        if name in notes:
            line += f"  # {notes[name]}"
        out.append(line)
    out += ["  delay-reasons:", "markers:"]
    for cluster in mset.clusters:
        for m in mset.markers_in(cluster.id):
            out.append("")
            out += marker_comment(mset, m)
            out.append(f"  {scalar(m.id)}:")
            out.append("    answers:")
            for q in m.questions:
                out += question_comment(q)
                out.append(f"      {question_key(q.number)}:")
            for interval in mset.header.intervals:
                if interval.from_.marker == m.id:
                    out += comment(f"Computed, not asked: {interval.text} (from {interval.from_} to {interval.to})", "      ")
            if m.rated:
                out.append("    rating:")
            out.append("    rationale:")
            if m.rated:
                out.append("    actions: []")
    out += conclusion_lines()
    return "\n".join(out) + "\n"


def question_key(number: int) -> str:
    """A question's key as the tool writes it: `"1"`, text, so that editors show the
    question's words on hover (the language server does so only for text keys)."""
    return f'"{number}"'


def schema_file(mset: MarkerSet) -> str:
    """The name of the set's schema file, written beside its review files."""
    return re.sub(r"[^A-Za-z0-9._-]", "-", mset.id) + ".schema.json"


def modeline(mset: MarkerSet) -> list[str]:
    """The first lines of a review file: the yaml-language-server modeline and what it names."""
    name = schema_file(mset)
    return [
        f"# yaml-language-server: $schema={name}",
        "# (that file, beside this one, gives editors completion and checking; scr-audit new and assess write it)",
    ]


def write_schema_beside(path: Any, mset: MarkerSet) -> Optional[str]:
    """Write or refresh the set's schema file beside review file `path`.

    Returns what was done, for the command to say (None when the file was already current).
    A file of that name that scr-audit did not write is left alone, and a folder that cannot
    be written in is no reason to stop: editors then simply go without the schema.
    """
    from pathlib import Path

    from scr_audit import schema, yamlio
    from scr_audit.errors import WriteRefusedError

    target = Path(path).parent / schema_file(mset)
    stamp = schema.stamp(mset)
    existed = target.exists() or target.is_symlink()
    if existed:
        try:
            with open(target, "rb") as fh:
                head = fh.read(2048).decode("utf-8", "replace")
        except OSError:
            return None
        if stamp in head:
            return None  # current
        if schema.STAMP_PREFIX not in head:
            return f"{target} was not written by scr-audit, so it was left as it is; editors use it for {Path(path).name}"
    try:
        yamlio.atomic_write(target, schema.schema_json(mset), overwrite=existed)
    except WriteRefusedError as exc:
        return f"the schema file for editors was not written: {exc}"
    return f"{'Refreshed' if existed else 'Wrote'} {target}: the JSON Schema editors use for {mset.id} files in that folder"


def conclusion_lines() -> list[str]:
    """The blank conclusion at the end of a new file: what page 1 of the audit record says."""
    return [
        "",
        *comment(
            "The assessor's conclusion, for the Board (page 1 of the audit record): summary, one paragraph "
            "on how the review was run overall; strengths and concerns, one line each; board-asked-to, "
            "what the Board is asked to do (e.g. Agree the action plan.).",
            "",
            "# ",
            "# ",
        ),
        "conclusion:",
        "  summary:",
        "  strengths: []",
        "  concerns: []",
        "  board-asked-to: []",
    ]


def marker_comment(mset: MarkerSet, m: Marker) -> list[str]:
    """The comment above a marker's entry: its id, title, cluster and statement."""
    lines = comment(f"{m.id} {m.title} ({mset.cluster(m.cluster).title})", "  ", "# ", "# ")
    if m.statement:
        lines += comment(f"{mset.header.statement_label}: {m.statement}", "  ", "# ", "#   ")
    return lines


def question_comment(q: Question) -> list[str]:
    """The comment above a question's line: its text, what it expects, and any context."""
    lines = comment(f"{q.number}. {q.text}", "      ")
    hint = question_hint(q)
    if hint:
        lines += comment(hint, "      ", "#    ", "#    ")
    if q.help:
        lines += comment(f"Note: {q.help}", "      ", "#    ", "#    ")
    for fact in q.facts:
        lines += comment(f"Context: {fact.text} ({fact.source})", "      ", "#    ", "#    ")
    return lines


def _flow_list(items: tuple[str, ...]) -> str:
    return "[" + ", ".join(scalar(i) for i in items) + "]"
