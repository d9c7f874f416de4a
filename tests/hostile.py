"""Helpers for the hostile-input corpus: what every case asserts, and the files it builds.

Every case is generated in the test (large files, special files, odd names), and every
case asserts the same things a careful user would check: no traceback, no "bug in
scr-audit", the documented exit code, a message that says what is true, no raw control
character from a file on the terminal, and nothing written (or the original intact).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, Optional

from conftest import BUNDLED, ROOT

#: What must never reach a terminal from a file: C0 controls but tab and newline, DEL, C1
#: controls, bidirectional overrides and isolates.
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
#: A hostile title: set the window title (OSC), ring the bell, recolour, reverse the line,
#: and rich markup that would restyle a table.
HOSTILE_TEXT = "\x1b]0;PWNED\x07\x1b[31mRED\x1b[0m \u202eevil\u202c [bold]x[/bold] \x9b2J end"
#: The same, as a YAML double-quoted scalar (the escapes YAML itself defines).
HOSTILE_YAML = '"\\e]0;PWNED\\a\\e[31mRED\\e[0m \\u202eevil\\u202c [bold]x[/bold] \\x9b2J end"'


def clean(result: Any, code: int, *, json_out: bool = False) -> str:
    """Assert what every hostile case must hold for a CliRunner result; return all its text."""
    out = result.stdout_bytes.decode("utf-8")  # strict: valid UTF-8 or this raises
    err = result.stderr_bytes.decode("utf-8")
    text = out + err
    assert "Traceback" not in text, text[-3000:]
    assert "bug in scr-audit" not in text, text[-3000:]
    bare = text.replace("\r\n", "\n")  # CSV's line ends are not a control character from a file
    assert not RAW_CONTROL.search(bare), f"raw control character: {RAW_CONTROL.search(bare).group()!r} in {text[:2000]!r}"
    assert result.exit_code == code, (result.exit_code, text[-3000:])
    if json_out:
        strict_json(out)
    return text


def strict_json(text: str) -> Any:
    """Parse as a strict parser would: NaN, Infinity and lone surrogates refused."""

    def refuse(name: str) -> Any:
        raise ValueError(f"not JSON: {name}")

    value = json.loads(text, parse_constant=refuse)
    text.encode("utf-8")  # no lone surrogate escaped into the text
    assert "\\ud8" not in text.lower() and "\\udc" not in text.lower() and "\\udd" not in text.lower()
    return value


def run(*args: str, timeout: float = 120, stdout: Any = subprocess.PIPE, env: Optional[dict[str, str]] = None,
        input: Optional[bytes] = None, argv_bytes: Optional[list[bytes]] = None, cwd: Optional[Path] = None) -> subprocess.CompletedProcess:
    """`python -m scr_audit ARGS` in a process of its own, as a user runs it (a hang fails at `timeout`)."""
    environment = {k: v for k, v in os.environ.items() if k not in ("SCR_AUDIT_DEBUG",)}
    environment["NO_COLOR"] = "1"
    environment.update(env or {})
    command: list[Any] = [sys.executable, "-m", "scr_audit", *args]
    if argv_bytes is not None:
        command = [os.fsencode(sys.executable), b"-m", b"scr_audit", *argv_bytes]
    return subprocess.run(
        command, stdout=stdout, stderr=subprocess.PIPE, timeout=timeout, env=environment, input=input, cwd=cwd or ROOT,
    )


def proc_clean(done: subprocess.CompletedProcess, code: int) -> str:
    """The assertions of `clean`, for a process."""
    out = (done.stdout or b"").decode("utf-8")
    err = done.stderr.decode("utf-8")
    text = out + err
    assert "Traceback" not in text, text[-3000:]
    assert "bug in scr-audit" not in text, text[-3000:]
    assert not RAW_CONTROL.search(text.replace("\r\n", "\n")), f"raw control character in {text[:2000]!r}"
    assert done.returncode == code, (done.returncode, text[-3000:])
    return text


def copy_set(tmp_path: Path, name: str = "our-set", set_id: str = "our-set") -> Path:
    """A copy of the bundled Quality Markers under another id, for a user's own set."""
    target = tmp_path / "sets" / name
    shutil.copytree(BUNDLED / "scr-quality-markers", target)
    header = target / "set.yaml"
    header.write_text(header.read_text(encoding="utf-8").replace("id: scr-quality-markers", f"id: {set_id}", 1), encoding="utf-8")
    return target


def replace_in(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")
