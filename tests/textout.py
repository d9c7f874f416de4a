"""Reading `check`'s text output back as a person reads it: file by file, finding by finding."""

from __future__ import annotations

import re
from dataclasses import dataclass

_FINDING = re.compile(r"^  +(?P<line>\d+|-)(?::(?P<col>\d+))? +(?P<sev>error|warning|info) +(?P<rest>.*)$")


@dataclass
class TextFinding:
    file: str
    line: int | None
    column: int | None
    severity: str
    message: str
    rule: str


def findings(output: str) -> list[TextFinding]:
    """Every finding in `check`'s text output, its wrapped lines joined back into one message."""
    out: list[TextFinding] = []
    heading: list[str] = []
    in_heading = False
    current: list[str] | None = None
    meta: tuple = ()

    def flush() -> None:
        nonlocal current
        if current is not None:
            text = " ".join(current)
            m = re.match(r"^(.*) \[([a-z-]+)\]$", text)
            assert m, f"a finding without its [rule] at the end: {text!r}"
            out.append(TextFinding("".join(heading), *meta, m.group(1), m.group(2)))
        current = None

    for raw in output.splitlines():
        if raw.startswith("Files checked") or re.match(r"^\d+ files? checked", raw):
            break
        m = _FINDING.match(raw)
        if m:
            flush()
            in_heading = False
            line = None if m.group("line") == "-" else int(m.group("line"))
            meta = (line, int(m.group("col")) if m.group("col") else None, m.group("sev"))
            current = [m.group("rest").strip()]
        elif not raw.strip():
            flush()
            in_heading = False
        elif raw.startswith(" "):
            assert current is not None, f"a continuation line with no finding: {raw!r}"
            current.append(raw.strip())
        else:  # a file's path, perhaps broken over lines when it is wider than the screen
            flush()
            heading = heading + [raw] if in_heading else [raw]
            in_heading = True
    flush()
    return out


def one(output: str, **match: object) -> TextFinding:
    """The one finding with these attributes (file matched by its end)."""
    found = [
        f
        for f in findings(output)
        if all((f.file.endswith(str(v)) if k == "file" else getattr(f, k) == v) for k, v in match.items())
    ]
    assert len(found) == 1, f"{len(found)} findings match {match}:\n{output}"
    return found[0]
