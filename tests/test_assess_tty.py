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


def spawn(cwd: Path, *args: str, colour: bool = False, env: Optional[dict[str, str]] = None, dims: tuple[int, int] = (50, 200)) -> "pexpect.spawn":
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
        dimensions=dims,
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
    expect_words(child, "Still open in this sitting: QM3: question 2; rating.")
    expect_words(child, "Still open in the file: 106 questions in 18 Quality Markers, 18 ratings, the conclusion.")
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


# ------------------------------------------------------------------ piped input, on real pipes


def test_piped_a_conflict_keeps_the_files_value_reports_the_answer_and_exits_2(tmp_path: Path, blank: Path):
    from pexpect.popen_spawn import PopenSpawn

    env = {k: v for k, v in os.environ.items() if k not in ("SCR_AUDIT_DEBUG",)}
    env["NO_COLOR"] = "1"
    child = PopenSpawn([sys.executable, "-m", "scr_audit", "assess", "child-d.yaml", "--marker", "QM3"], cwd=str(tmp_path), env=env, encoding="utf-8", timeout=60)
    child.expect_exact(ANSWER)  # piped: the prompt is written, then the line read
    in_qm3(blank, '      "1":\n', '      "1": {answer: partly, evidence: From the editor}\n')
    child.sendline("y")
    child.expect(pexpect.EOF)
    out = child.before
    assert child.wait() == 2
    assert "child-d.yaml was changed on disk at QM3 question 1 while you answered it; with piped answers the file's value is kept." in out
    assert "The file says: partly, evidence 'From the editor'" in out
    assert "Not saved: QM3 question 1: yes. Note it, then run the walkthrough again:" in out
    assert "Everything confirmed is saved" not in out and "Saved:" not in out
    assert answers(blank, "QM3") == {1: ("partly", "From the editor")}


RACE_ROUNDS = 50


def test_two_sittings_pressing_enter_in_the_same_millisecond(tmp_path: Path):
    """Two sittings started on one file at once, both sent their answer at the same
    instant, 50 times: exactly one holds the file; the other is refused with a message and
    claims no save; every answer confirmed is in the file."""
    import subprocess
    import threading

    template_text = None
    env = {k: v for k, v in os.environ.items() if k not in ("SCR_AUDIT_DEBUG",)}
    env["NO_COLOR"] = "1"
    for round_no in range(RACE_ROUNDS):
        path = tmp_path / f"race-{round_no}.yaml"
        if template_text is None:
            assert subprocess.run([sys.executable, "-m", "scr_audit", "new", str(path), "--title", "Race"], capture_output=True, env=env).returncode == 0
            template_text = path.read_text(encoding="utf-8")
        else:
            path.write_text(template_text, encoding="utf-8")
        procs = [
            subprocess.Popen([sys.executable, "-m", "scr_audit", "assess", str(path), "--marker", "QM3"],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
            for _ in range(2)
        ]
        # wait until each is at its first prompt (or refused and gone), then press Enter in
        # both at the same instant: "y" from the first, "n" from the second
        outs = ["", ""]
        ready = [threading.Event(), threading.Event()]

        def read(i: int) -> None:
            while True:
                chunk = procs[i].stdout.read1(4096) if hasattr(procs[i].stdout, "read1") else procs[i].stdout.read(1)
                if not chunk:
                    break
                outs[i] += chunk.decode("utf-8")
                if ANSWER in outs[i]:
                    ready[i].set()
            ready[i].set()

        readers = [threading.Thread(target=read, args=(i,)) for i in range(2)]
        for t in readers:
            t.start()
        for event in ready:
            assert event.wait(60)
        barrier = threading.Barrier(2)

        def press(proc: subprocess.Popen, line: bytes) -> None:
            barrier.wait()
            try:
                proc.stdin.write(line)
                proc.stdin.flush()
                proc.stdin.close()
            except (BrokenPipeError, OSError, ValueError):
                pass  # refused and gone already

        threads = [threading.Thread(target=press, args=(p, line)) for p, line in zip(procs, (b"y\n\n", b"n\n\n"))]
        for t in threads + readers:
            t.start() if t in threads else None
        for t in threads + readers:
            t.join()
        codes = [p.wait(timeout=60) for p in procs]
        winners = [i for i, c in enumerate(codes) if c == 0]
        assert len(winners) == 1, (codes, outs)
        loser = 1 - winners[0]
        assert codes[loser] == 2
        assert "is open in a walkthrough since" in outs[loser] and "finish that sitting first" in outs[loser]
        assert "Saved" not in outs[loser] and "saved" not in outs[loser]
        assert "Saved: everything confirmed is in" in outs[winners[0]]
        assert answers(path, "QM3") == {1: ("yes" if winners[0] == 0 else "no", None)}


# ------------------------------------------------------------------ a 24-line terminal


def test_on_a_small_terminal_guidance_pages_and_the_summary_fits(tmp_path: Path, blank: Path):
    child = spawn(tmp_path, "assess", "child-d.yaml", dims=(24, 80))
    child.expect_exact(ANSWER)
    child.sendline("?")
    child.expect_exact("QM1 Referral: guidance")
    pages = 0
    while child.expect([r"-- (\d+) more lines?: Enter for more, q to go back to the question --", re.escape(ANSWER)]) == 0:
        pages += 1
        child.sendline("")
    assert pages >= 2  # the guidance is longer than two screens; none of it scrolled past unseen
    child.sendline("y")
    child.expect_exact(EVIDENCE)
    child.sendline("q")
    child.expect_exact("Summary ·")
    child.expect(r"Saved: everything\s+confirmed is in\s+child-d.yaml\.")
    summary = "Summary ·" + child.before + "Saved"
    assert len(summary.splitlines()) <= 20, summary
    child.expect_exact("Type l for the full list, or press Enter to finish: ")
    child.sendline("l")
    page_through(child, "QM18: questions 1, 2, 3, 4; rating")
    assert finish(child) == 0


def test_answers_and_notes_keep_separate_histories(tmp_path: Path, blank: Path):
    child = spawn(tmp_path, "assess", "child-d.yaml", "--marker", "QM3")
    child.expect_exact(ANSWER)
    child.sendline("p")
    child.expect_exact(EVIDENCE_PARTLY)
    child.sendline("Sent to the subgroup only")
    child.expect_exact("QM3 question 2 of 2")
    child.expect_exact(ANSWER)
    child.send("\x1b[A\r")  # arrow up at an answer: the last answer, not the last note
    child.expect_exact(EVIDENCE_PARTLY)
    child.send("\x1b[A\r")  # arrow up at a note: the last note
    child.expect_exact("(Enter: partly-met): ")
    child.sendline("q")
    assert finish(child) == 0
    assert answers(blank, "QM3") == {1: ("partly", "Sent to the subgroup only"), 2: ("partly", "Sent to the subgroup only")}


def test_the_piped_protocol_takes_the_same_lines_as_the_terminal(tmp_path: Path, cli_lines=None):
    """The same lines, typed at a terminal and piped in, make the same file."""
    import subprocess

    script = ["y", "Board minutes", "?", "p", "b", "n", "Not sent to members", "pm", "Half done", "y", "Circulate decisions", "Chair", "2027-03-31", "n"]
    results = []
    for how in ("tty", "pipe"):
        folder = tmp_path / how
        folder.mkdir()
        assert subprocess.run([sys.executable, "-m", "scr_audit", "new", "r.yaml", "--title", "R"], cwd=folder, capture_output=True).returncode == 0
        if how == "tty":
            child = spawn(folder, "assess", "r.yaml", "--marker", "QM3", dims=(400, 200))
            for line in script:
                child.expect(r": $")
                child.sendline(line)
            assert finish(child) == 0
        else:
            env = dict(os.environ, NO_COLOR="1")
            proc = subprocess.run([sys.executable, "-m", "scr_audit", "assess", "r.yaml", "--marker", "QM3"], cwd=folder,
                                  input="\n".join(script) + "\n", capture_output=True, text=True, env=env)
            assert proc.returncode == 0, proc.stdout
        results.append((folder / "r.yaml").read_text(encoding="utf-8"))
    assert results[0] == results[1]
    e = read_review(tmp_path / "pipe" / "r.yaml").review.entry("QM3")
    assert e.rating == "partly-met" and e.actions[0].owner == "Chair"


def test_prompts_wrap_at_word_boundaries_on_a_narrow_terminal(tmp_path: Path, blank: Path):
    child = spawn(tmp_path, "assess", "child-d.yaml", "--marker", "QM3", dims=(24, 50))
    child.expect_exact("Answer [")
    child.sendline("p")
    child.expect(r"\(e for an\s+editor\): ")
    shown = child.before + child.after
    prompt = shown[shown.index("Evidence:"):]
    for row in prompt.replace("\r", "").split("\n"):
        assert len(row) <= 50, row
    words = "Evidence: What is missing, and where is the evidence for what is there? (e for an editor):".split()
    assert prompt.split() == words  # every word whole, none cut across two lines
    child.sendline("q")
    assert finish(child) == 0
