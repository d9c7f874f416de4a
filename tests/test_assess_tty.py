"""`scr-audit assess` on a real pseudo-terminal (pexpect): the walkthrough as a lead
reviewer meets it, including Ctrl-C, SIGKILL and a file edited underneath it.

Every step waits for the prompt it answers (expect), never for time to pass.
"""

from __future__ import annotations

import os
import re
import signal
import sys
from pathlib import Path
from typing import Optional

import pytest

from scr_audit.review import answer_for, read_review

pexpect = pytest.importorskip("pexpect", reason="pexpect is needed for the terminal tests (pip install -e '.[test]')")

ANSWER = "Answer [y/p/n/na, b/s/q/?]: "
ANSWER_PROGRESSIVE = "Answer [y/p/n/t/na, b/s/q/?]: "
EVIDENCE = "Evidence (one line, Enter for none, e for an editor): "
EVIDENCE_PARTLY = "Evidence: What is missing, and where is the evidence for what is there? (e for an editor): "
EVIDENCE_NO = "Evidence: What shows it is not met? (e for an editor): "
COMMENT = "# Panel met 3 March; notes in the shared drive."
SGR = re.compile(r"\x1b\[[0-9;]*m")


def spawn(cwd: Path, *args: str, colour: bool = False, env: Optional[dict[str, str]] = None) -> "pexpect.spawn":
    environment = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "SCR_AUDIT_DEBUG", "EDITOR", "VISUAL")}
    environment["TERM"] = "xterm-256color"
    if not colour:
        environment["NO_COLOR"] = "1"
    environment.update(env or {})
    child = pexpect.spawn(
        sys.executable,
        ["-m", "scr_audit", *args],
        cwd=str(cwd),
        env=environment,
        encoding="utf-8",
        timeout=60,
        dimensions=(50, 200),
    )
    return child


def page_through(child: "pexpect.spawn", text: str) -> None:
    """Wait for `text`, pressing Enter at each of the pager's "more" prompts on the way."""
    while child.expect([re.escape(text), r"-- \d+ more lines?: Enter for more"]) == 1:
        child.sendline("")


def expect_words(child: "pexpect.spawn", text: str) -> None:
    """Wait for `text` however the terminal wrapped it."""
    child.expect(r"\s+".join(re.escape(word) for word in text.split()))


def finish(child: "pexpect.spawn") -> int:
    child.expect(pexpect.EOF)
    child.close()
    return child.exitstatus


def answers(path: Path, marker: str) -> dict[int, tuple]:
    read = read_review(path)
    assert read.review is not None and not read.findings, read.findings
    entry = read.review.entry(marker)
    out = {}
    for q in range(1, 10):
        ans = answer_for(entry, q)[1]
        if ans is not None and ans.is_answered:
            out[q] = (ans.answer, ans.evidence)
    return out


@pytest.fixture
def blank(tmp_path: Path) -> Path:
    """A review file with a hand-written comment and no answers, made by `scr-audit new`."""
    child = spawn(tmp_path, "new", "child-d.yaml", "--title", "Child D", "--stage", "end")
    assert finish(child) == 0
    path = tmp_path / "child-d.yaml"
    text = path.read_text(encoding="utf-8").replace("markers:\n", COMMENT + "\nmarkers:\n", 1)
    path.write_text(text, encoding="utf-8")
    return path


def test_ctrl_c_keeps_the_answer_resume_starts_after_it_sigkill_loses_nothing(tmp_path: Path, blank: Path):
    # answer question 1 with evidence; Ctrl-C at question 2
    child = spawn(tmp_path, "assess", "child-d.yaml", "--marker", "QM3")
    child.expect_exact("QM3 question 1 of 2")
    child.expect_exact(ANSWER)
    child.sendline("y")
    child.expect_exact(EVIDENCE)
    child.sendline("Board minutes of 3 March record the chair's decision.")
    child.expect_exact("QM3 question 2 of 2")
    child.expect_exact(ANSWER)
    child.sendintr()
    expect_words(child, "Interrupted. Everything confirmed is saved in child-d.yaml (1 of 107 questions answered).")
    child.expect_exact("Resume with: scr-audit assess child-d.yaml --marker QM3")
    assert finish(child) == 130
    text = blank.read_text(encoding="utf-8")
    assert COMMENT in text
    assert answers(blank, "QM3") == {1: ("yes", "Board minutes of 3 March record the chair's decision.")}

    # run again: it starts at question 2
    child = spawn(tmp_path, "assess", "child-d.yaml", "--marker", "QM3")
    child.expect(r"QM3 question (\d) of 2")
    assert child.match.group(1) == "2"
    child.expect_exact(ANSWER)
    child.sendline("p")
    child.expect_exact(EVIDENCE_PARTLY)
    child.sendline("The rationale went to the subgroup only.")
    child.expect_exact("(Enter: partly-met): ")
    child.kill(signal.SIGKILL)
    child.expect(pexpect.EOF)
    child.close()
    assert child.signalstatus == signal.SIGKILL
    assert answers(blank, "QM3") == {
        1: ("yes", "Board minutes of 3 March record the chair's decision."),
        2: ("partly", "The rationale went to the subgroup only."),
    }
    assert COMMENT in blank.read_text(encoding="utf-8")
    assert not [p for p in blank.parent.iterdir() if p.name.endswith(".tmp")]  # no temporary file left


def test_sigkill_right_after_an_answer_keeps_it(tmp_path: Path, blank: Path):
    child = spawn(tmp_path, "assess", "child-d.yaml", "--marker", "QM3")
    child.expect_exact(ANSWER)
    child.sendline("n")
    child.expect_exact(EVIDENCE_NO)  # shown only once the answer is on disk
    child.kill(signal.SIGKILL)
    child.expect(pexpect.EOF)
    child.close()
    assert answers(blank, "QM3") == {1: ("no", None)}


def test_sigkill_at_any_moment_leaves_a_whole_file_answered_in_order(tmp_path: Path, blank: Path):
    """Answers typed ahead at speed, the process killed wherever it happens to be: the
    file always parses, and what it holds is the first answers, in order, unbroken."""
    child = spawn(tmp_path, "assess", "child-d.yaml", "--marker", "QM2")
    child.expect_exact(ANSWER)
    child.send("y\nevidence\n" * 9)
    child.expect_exact("QM2 question 4 of 9")  # part-way through the typed-ahead answers
    child.kill(signal.SIGKILL)
    child.expect(pexpect.EOF)
    child.close()
    read = read_review(blank)
    assert read.review is not None and not read.findings
    given = [answer_for(read.review.entry("QM2"), n)[1] for n in range(1, 10)]
    done = [a is not None and a.is_answered for a in given]
    k = done.index(False) if False in done else len(done)
    assert k >= 3 and not any(done[k:])  # a prefix: nothing after the first gap
    assert all(a.answer == "yes" for a in given[:k])
    assert all(a.evidence == "evidence" for a in given[: k - 1])  # the last may have lost only its note
    assert COMMENT in blank.read_text(encoding="utf-8")


def test_back_skip_and_help_on_a_terminal(tmp_path: Path, blank: Path):
    child = spawn(tmp_path, "assess", "child-d.yaml", "--marker", "QM1")
    child.expect_exact("QM1 · Quality Marker 1: Referral")
    child.expect_exact("Quality Marker 1 of 1 in this sitting · 0 of 107 answers in the file")
    child.expect_exact(ANSWER)
    child.sendline("y")
    child.expect_exact(EVIDENCE)
    child.sendline("Referral form of 20 January.")
    child.expect_exact("QM1 question 2 of 3")
    child.expect_exact(ANSWER)
    child.sendline("?")
    child.expect_exact("QM1 Referral: guidance")
    child.expect_exact("Rationale")
    child.expect_exact("Individual cases need to be referred to the Local Safeguarding Children Board")
    page_through(child, "Tackling some common obstacles")
    page_through(child, "QM1 question 2 of 3")  # the same question, asked again
    child.expect_exact(ANSWER)
    child.sendline("b")
    child.expect_exact("QM1 question 1 of 3")
    child.expect_exact("Recorded: yes (evidence: Referral form of 20 January.)")
    child.expect_exact("Answer [y/p/n/na, b/s/q/?] (Enter: yes): ")
    child.sendline("")
    child.expect_exact("Evidence (Enter keeps it, - clears it, e edits it in your editor): ")
    child.sendline("")
    child.expect_exact("QM1 question 2 of 3")
    child.expect_exact(ANSWER)
    child.sendline("s")
    child.expect_exact("QM1 question 3 of 3")
    child.expect_exact(ANSWER)
    child.sendline("n")
    child.expect_exact(EVIDENCE_NO)
    child.sendline("")
    expect_words(child, "Type it now, or press Enter again to leave it empty.")
    child.sendline("No reason given for a ten-day gap.")
    child.expect_exact("The answers suggest: partly-met (Partly met).")
    child.expect_exact("(Enter: partly-met): ")
    child.sendline("q")
    child.expect_exact("QM1: question 2; rating")
    expect_words(child, "Stopped at QM1 rating. Saved: everything confirmed is in child-d.yaml.")
    assert finish(child) == 0
    assert answers(blank, "QM1") == {1: ("yes", "Referral form of 20 January."), 3: ("no", "No reason given for a ten-day gap.")}


def test_a_comment_added_in_an_editor_during_a_sitting_is_kept_and_the_sitting_goes_on(tmp_path: Path, blank: Path):
    child = spawn(tmp_path, "assess", "child-d.yaml", "--marker", "QM3")
    child.expect_exact(ANSWER)
    child.sendline("y")
    child.expect_exact(EVIDENCE)
    child.sendline("")
    child.expect_exact("QM3 question 2 of 2")
    child.expect_exact(ANSWER)
    edited = blank.read_text(encoding="utf-8") + "# added in an editor meanwhile\n"
    blank.write_text(edited.replace("    incident:", "    incident: 2025-01-10", 1), encoding="utf-8")
    child.sendline("n")
    expect_words(child, "child-d.yaml had been changed on disk (in an editor or another program): kept those changes and saved QM3 question 2 with them.")
    child.expect_exact(EVIDENCE_NO)
    child.sendline("Not sent to members.")
    child.expect_exact("(Enter: partly-met): ")
    child.sendline("q")
    assert finish(child) == 0
    text = blank.read_text(encoding="utf-8")
    assert "# added in an editor meanwhile\n" in text and COMMENT in text
    assert read_review(blank).review.review.dates.incident.isoformat() == "2025-01-10"
    assert answers(blank, "QM3") == {1: ("yes", None), 2: ("no", "Not sent to members.")}


def in_qm3(path: Path, old: str, new: str) -> None:
    """Edit `path` as an editor would: replace `old` with `new` in QM3's entry."""
    text = path.read_text(encoding="utf-8")
    at = text.index("  QM3:\n")
    path.write_text(text[:at] + text[at:].replace(old, new, 1), encoding="utf-8")


def test_an_outside_edit_of_the_same_answer_asks_which_to_keep(tmp_path: Path, blank: Path):
    child = spawn(tmp_path, "assess", "child-d.yaml", "--marker", "QM3")
    child.expect_exact(ANSWER)
    in_qm3(blank, '      "1":\n', '      "1": {answer: partly, evidence: From the editor}\n')
    child.sendline("y")
    expect_words(child, "child-d.yaml was changed on disk at QM3 question 1 while you answered it.")
    expect_words(child, "The file now says: partly, evidence 'From the editor'")
    expect_words(child, "You entered: yes")
    child.expect_exact("Keep which? f the file's, m mine: ")
    child.sendline("m")
    child.expect_exact(EVIDENCE)
    child.sendline("")
    child.expect_exact("QM3 question 2 of 2")
    child.expect_exact(ANSWER)
    in_qm3(blank, '      "2":\n', '      "2": no\n')
    child.sendline("y")
    child.expect_exact("Keep which? f the file's, m mine: ")
    child.sendline("f")
    expect_words(child, "Kept the file's value; yours was not saved (QM3 question 2: yes).")
    child.expect_exact("Rating [")
    child.sendline("q")
    expect_words(child, "Not saved in this sitting: QM3 question 2: yes.")
    assert finish(child) == 0
    assert answers(blank, "QM3") == {1: ("yes", None), 2: ("no", None)}


def test_a_second_sitting_on_an_open_file_is_refused(tmp_path: Path, blank: Path):
    first = spawn(tmp_path, "assess", "child-d.yaml", "--marker", "QM3")
    first.expect_exact(ANSWER)
    second = spawn(tmp_path, "assess", "child-d.yaml", "--marker", "QM1")
    expect_words(second, f"child-d.yaml is open in a walkthrough since")
    second.expect(r"\(pid (\d+)\); finish that sitting first")
    assert int(second.match.group(1)) == first.pid
    assert finish(second) == 2
    first.sendline("y")
    first.expect_exact(EVIDENCE)
    first.sendline("q")
    assert finish(first) == 0
    assert answers(blank, "QM3") == {1: ("yes", None)}
    third = spawn(tmp_path, "assess", "child-d.yaml", "--marker", "QM3")  # free again once the first ended
    third.expect_exact(ANSWER)
    third.sendline("q")
    assert finish(third) == 0


def test_e_opens_the_editor_for_a_long_note(tmp_path: Path, blank: Path):
    editor = tmp_path / "editor.py"
    editor.write_text(
        "import os, sys, time\n"
        "path = sys.argv[1]\n"
        "open(path, 'w').write('First paragraph of a long note.\\n\\nSecond paragraph: with detail.\\n')\n"
        "t = time.time() + 10\n"
        "os.utime(path, (t, t))\n",
        encoding="utf-8",
    )
    child = spawn(tmp_path, "assess", "child-d.yaml", "--marker", "QM3", env={"EDITOR": f"{sys.executable} {editor}"})
    child.expect_exact(ANSWER)
    child.sendline("n")
    child.expect_exact(EVIDENCE_NO)
    child.sendline("e")
    child.expect_exact("Note: First paragraph of a long note. Second paragraph: with detail.")
    child.expect_exact("QM3 question 2 of 2")
    child.expect_exact(ANSWER)
    child.sendline("q")
    assert finish(child) == 0
    assert answers(blank, "QM3") == {1: ("no", "First paragraph of a long note.\n\nSecond paragraph: with detail.")}
    assert '"1": {answer: no, evidence: "First paragraph of a long note.\\n\\nSecond paragraph: with detail."}' in blank.read_text(encoding="utf-8")


def test_a_new_file_on_a_terminal_asks_for_title_and_stage(tmp_path: Path):
    child = spawn(tmp_path, "assess", "child-h.yaml", "--marker", "QM3")
    child.expect_exact("child-h.yaml does not exist yet: a new review file.")
    child.expect_exact("Title of the review, its anonymised name (Enter: child-h): ")
    child.sendline("Child H")
    child.expect_exact("Stage: beginning, progressive or end (Enter: end): ")
    child.sendline("prog")
    child.expect_exact("Wrote child-h.yaml")
    child.expect_exact(ANSWER_PROGRESSIVE)
    child.sendline("t")
    child.expect_exact(EVIDENCE)
    child.sendline("")
    child.expect_exact(ANSWER_PROGRESSIVE)
    child.sendline("q")
    assert finish(child) == 0
    review = read_review(tmp_path / "child-h.yaml").review
    assert (review.review.title, review.review.stage) == ("Child H", "progressive")
    assert answers(tmp_path / "child-h.yaml", "QM3") == {1: ("not-yet", None)}


@pytest.mark.parametrize("colour", [True, False])
def test_colour_only_on_a_terminal_without_no_color(tmp_path: Path, blank: Path, colour: bool):
    child = spawn(tmp_path, "assess", "child-d.yaml", "--marker", "QM3", colour=colour)
    child.expect_exact(ANSWER)
    seen = child.before
    child.sendline("q")
    assert finish(child) == 0
    assert bool(SGR.search(seen)) is colour
