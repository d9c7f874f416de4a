"""`check` for people: the path once, `line:col severity message [rule]`, fitted to the screen.

The text output is read back as a person reads it (tests/textout.py), and compared with
the JSON, which keeps every finding whole (one per unanswered question).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
from pathlib import Path

import pytest

import textout
from conftest import EXAMPLES, review_text


def lines_wider_than(text: str, width: int) -> list[str]:
    return [line for line in text.splitlines() if len(line) > width]


@pytest.fixture
def piped(cli, monkeypatch):
    """`scr-audit` with output to a pipe and no COLUMNS: how a newcomer's redirect meets it."""
    monkeypatch.delenv("COLUMNS", raising=False)
    return cli


def test_the_examples_fit_80_columns_when_piped(piped, cli, monkeypatch):
    out = piped("check", "--as-of", "2026-12-01", EXAMPLES).output
    assert lines_wider_than(out, 80) == []
    monkeypatch.setenv("COLUMNS", "80")
    assert lines_wider_than(cli("check", EXAMPLES).output, 80) == []
    monkeypatch.setenv("COLUMNS", "60")
    narrow = cli("check", EXAMPLES).output
    assert lines_wider_than(narrow, 60) == [] and "Child G" in narrow


def test_each_file_is_named_once_then_its_findings(piped):
    out = piped("check", "--as-of", "2026-12-01", EXAMPLES).output
    flawed = str(EXAMPLES / "child-g-flawed.yaml")
    assert out.count(flawed) == 1, "the path heads its findings once, and is not repeated"
    found = textout.findings(out)
    assert {f.file for f in found} == {str(EXAMPLES / "child-f-progressive.yaml"), flawed}
    assert all(f.line is not None and f.column is not None for f in found)


def test_wrapped_messages_are_broken_between_words_only(piped, tmp_path, qm):
    long_note = "The panel minutes of 3 March 2025 " * 6
    path = tmp_path / "r.yaml"
    path.write_text(
        review_text(qm, answer=lambda m, q: "no" if m == "QM1" else "yes", evidence=lambda m, q: None if m == "QM1" else long_note),
        encoding="utf-8",
    )
    text = piped("check", path).output
    data = json.loads(piped("check", "--format", "json", path).output)
    expected = {(f["line"], f["column"], f["rule"]): " ".join(f["message"].split()) for f in data["files"][0]["findings"]}
    shown = {(f.line, f.column, f.rule): f.message for f in textout.findings(text)}
    assert shown == expected
    assert lines_wider_than(text, 80) == []
    # each wrapped line of a message starts in the message's column
    block = [ln for ln in text.splitlines() if ln.startswith("  ")]
    starts = {len(ln) - len(ln.lstrip()) for ln in block if not re.match(r"^\s+\d+:\d+ ", ln)}
    first = {re.match(r"^(\s+\d+:\d+\s+\w+\s+)", ln).end() for ln in block if re.match(r"^\s+\d+:\d+ ", ln)}
    assert starts <= first and len(first) == 1


def test_a_fresh_file_at_stage_end_gives_one_unanswered_line_per_marker(piped, tmp_path, qm):
    path = tmp_path / "fresh.yaml"
    assert piped("new", path, "--stage", "end").exit_code == 0
    result = piped("check", path)
    assert result.exit_code == 1
    found = textout.findings(result.output)
    unanswered = [f for f in found if f.rule == "unanswered-question"]
    assert len(unanswered) == 18
    assert len({f.message.split(":")[0] for f in unanswered}) == 18
    qm2 = next(f for f in unanswered if f.message.startswith("QM2:"))
    assert qm2.message == "QM2: questions 1-9 not answered" and qm2.severity == "error"
    assert lines_wider_than(result.output, 80) == []
    # programs still get one finding per question, with the marker and question named
    data = json.loads(piped("check", "--format", "json", path).output)
    per_question = [f for f in data["files"][0]["findings"] if f["rule"] == "unanswered-question"]
    assert len(per_question) == 107
    assert {(f["marker"], f["question"]) for f in per_question} == {(m.id, q.number) for m in qm.markers for q in m.questions}


def test_before_the_end_too_text_folds_and_json_keeps_each_question(piped, tmp_path, qm):
    path = tmp_path / "p.yaml"
    path.write_text(
        review_text(qm, stage="progressive", answer=lambda m, q: None if m == "QM2" and q in (3, 4, 5, 9) else "yes"),
        encoding="utf-8",
    )
    result = piped("check", path)
    assert result.exit_code == 0
    (f,) = [f for f in textout.findings(result.output) if f.rule == "unanswered-question"]
    assert f.message == "QM2: questions 3-5 and 9 not answered" and f.severity == "info"
    data = json.loads(piped("check", "--format", "json", path).output)
    infos = [(x["marker"], x["question"], x["severity"]) for x in data["files"][0]["findings"] if x["rule"] == "unanswered-question"]
    assert infos == [("QM2", n, "info") for n in (3, 4, 5, 9)]


def test_one_unanswered_question_keeps_its_own_words(piped, tmp_path, qm):
    path = tmp_path / "one.yaml"
    path.write_text(review_text(qm, answer=lambda m, q: None if (m, q) == ("QM3", 2) else "yes"), encoding="utf-8")
    (f,) = [f for f in textout.findings(piped("check", path).output) if f.rule == "unanswered-question"]
    assert f.message.startswith("QM3 question 2 is not answered: Is the rationale for the decision")


def test_the_file_table_fits_80_columns_with_long_titles_and_names(piped, tmp_path, qm):
    folder = tmp_path / "a folder with a long name for the Board papers of January"
    folder.mkdir()
    title = "Child W, a review whose anonymised title is much longer than any table column would hold"
    (folder / ("w-" + "x" * 90 + ".yaml")).write_text(review_text(qm, title=title), encoding="utf-8")
    (folder / "short.yaml").write_text(review_text(qm, title="Child S"), encoding="utf-8")
    out = piped("check", folder).output
    assert lines_wider_than(out, 80) == []
    table = out[out.index("Files checked"):]
    assert "Child W, a review whose" in table and "107/107" in table and "18/18" in table
    row = next(line for line in table.splitlines() if line.startswith("Child S"))
    assert re.search(r"107/107\s+18/18\s+100%\s+0\s+0\s+0$", row), row


def test_a_path_wider_than_the_screen_is_broken_at_folders(piped, tmp_path):
    deep = tmp_path
    for i in range(6):
        deep = deep / f"folder-number-{i}-of-the-board-papers"
    deep.mkdir(parents=True)
    path = deep / "broken.yaml"
    path.write_text("scr-audit: 1\nreview: [\n", encoding="utf-8")
    out = piped("check", "--quiet", path).output
    assert lines_wider_than(out, 80) == []
    (f,) = textout.findings(out)
    assert f.file == str(path) and f.rule == "yaml-syntax"


def test_text_from_files_is_shown_not_obeyed(piped, tmp_path, qm):
    path = tmp_path / "r.yaml"
    path.write_text(review_text(qm, title="Child \x1b]0;owned\x07 D").replace("\x1b", "\\e").replace("\x07", "\\a"), encoding="utf-8")
    text = path.read_text(encoding="utf-8").replace('"Child \\e]0;owned\\a D"', '"Child \\u001b]0;owned\\u0007 D"')
    path.write_text(text, encoding="utf-8")
    out = piped("check", path).output
    assert "\x1b" not in out and "\x07" not in out and "\\x1b]0;owned\\x07" in out


def test_a_folder_check_says_what_it_left_out_and_why(piped, tmp_path, qm):
    folder = tmp_path / "reviews"
    (folder / ".git").mkdir(parents=True)
    (folder / ".git" / "config.yaml").write_text("x: 1\n")
    (folder / "a.yaml").write_text(review_text(qm), encoding="utf-8")
    for name in ("notes.txt", "record.docx", "b.yaml.bak", "c.json"):
        (folder / name).write_text("x\n")
    (folder / ".draft.yaml").write_text("x\n")
    result = piped("check", folder)
    assert result.exit_code == 0
    assert (
        "Left out 4 files not named .yaml or .yml (b.yaml.bak, c.json, notes.txt and 1 more) and 1 hidden file "
        "(.draft.yaml). Hidden folders are not searched: .git." in " ".join(result.output.split())
    )
    data = json.loads(piped("check", "--format", "json", folder).output)
    assert sorted((Path(x["path"]).name, x["reason"]) for x in data["left-out"]) == [
        (".draft.yaml", "hidden"), (".git", "hidden-folder"), ("b.yaml.bak", "not-yaml"), ("c.json", "not-yaml"),
        ("notes.txt", "not-yaml"), ("record.docx", "not-yaml"),
    ]
    # a file named on the command line is checked whatever its name, and nothing is "left out"
    assert "Left out" not in piped("check", folder / "a.yaml").output


def test_scr_audits_own_files_beside_reviews_are_not_called_left_out(piped, tmp_path, qm):
    folder = tmp_path / "reviews"
    folder.mkdir()
    (folder / "a.yaml").write_text(review_text(qm), encoding="utf-8")
    (folder / "scr-quality-markers.schema.json").write_text("{}\n")  # the editor schema new and assess write
    (folder / ".a.yaml.lock").write_text("")  # a sitting's lock
    result = piped("check", folder)
    assert result.exit_code == 0 and "Left out" not in result.output
    assert "Left out" not in piped("check", EXAMPLES).output


def test_a_folder_with_nothing_to_check_says_why(piped, tmp_path):
    (tmp_path / "notes.txt").write_text("x\n")
    result = piped("check", tmp_path)
    assert result.exit_code == 2
    assert "Nothing to check: no .yaml or .yml files in" in result.output
    assert "Left out 1 file not named .yaml or .yml (notes.txt)." in result.output


pexpect = pytest.importorskip("pexpect", reason="pexpect is needed for the terminal tests (pip install -e '.[test]')")


def test_on_a_terminal_findings_wrap_to_its_width(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env.update(NO_COLOR="1", TERM="xterm")
    child = pexpect.spawn(
        sys.executable, ["-m", "scr_audit", "check", str(EXAMPLES / "child-g-flawed.yaml")],
        cwd=str(tmp_path), env=env, dimensions=(40, 64), encoding="utf-8", timeout=60,
    )
    child.expect(pexpect.EOF)
    child.close()
    out = child.before.replace("\r\n", "\n")
    assert child.exitstatus == 0, out
    assert lines_wider_than(out, 64) == [] and "[personal-data]" in out
    assert any(len(line) > 56 for line in out.splitlines()), "uses the terminal's width"
    assert shutil.which("scr-audit") or True
