"""The hostile-input corpus, part 2: what the file system and the process can do.

Named pipes and devices called `*.yaml` (a pipe would block any program that opens it),
sockets, links that loop or lead nowhere, a tree 1,200 folders deep, folders that cannot
be read, names whose bytes are not UTF-8, a full disk under standard output, a reader
that goes away. Cases that could hang run in a process of their own with a timeout, so a
regression fails instead of stopping the suite; the timeout is a guard, not a measure
(the time bounds are in benchmarks/bench.py).
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import review_text
from hostile import RAW_CONTROL, clean, copy_set, proc_clean, run, strict_json

ROOT_USER = hasattr(os, "geteuid") and os.geteuid() == 0
needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes (os.mkfifo) are not available here")
needs_dev_full = pytest.mark.skipif(not Path("/dev/full").exists(), reason="/dev/full (a device that is always full) is not on this system")


@pytest.fixture
def folder(tmp_path, qm):
    """A folder with one good review in it."""
    d = tmp_path / "reviews"
    d.mkdir()
    (d / "good.yaml").write_text(review_text(qm), encoding="utf-8")
    return d


# --------------------------------------------------------------- special files


@needs_fifo
@pytest.mark.parametrize("command", [("check",), ("check", "--format", "json"), ("summary",), ("summary", "--json")])
def test_a_named_pipe_called_yaml_in_a_folder_is_reported_never_opened(folder, command):
    os.mkfifo(folder / "x.yaml")
    done = run(*command, str(folder), timeout=60)
    text = proc_clean(done, 1)
    assert "x.yaml" in text and "is a named pipe (FIFO), not a file: skipped, never opened" in text
    if "json" in " ".join(command):
        strict_json(done.stdout.decode("utf-8"))
    if command[0] == "check":
        assert "good.yaml" in text or "2 files checked" in text


@needs_fifo
def test_export_of_a_folder_with_a_pipe_leaves_it_out_and_says_so(folder, tmp_path):
    os.mkfifo(folder / "x.yaml")
    out = tmp_path / "summary.docx"
    text = proc_clean(run("export", str(folder), "-o", str(out), timeout=60), 1)
    assert "is a named pipe (FIFO)" in text and "1 file(s) left out" in text
    assert out.exists()


@needs_fifo
def test_a_pipe_named_on_the_command_line_is_refused_unopened(tmp_path):
    fifo = tmp_path / "x.yaml"
    os.mkfifo(fifo)
    text = proc_clean(run("check", str(fifo), timeout=60), 1)
    assert "is a named pipe (FIFO), not a file" in text
    proc_clean(run("assess", str(fifo), timeout=60, input=b"q\n"), 2)
    assert "is a named pipe (FIFO), not a regular file" in proc_clean(run("new", str(fifo), timeout=60), 2)
    proc_clean(run("compare", str(fifo), str(fifo), timeout=60), 2)
    os.mkfifo(tmp_path / "s.json")
    assert "is a named pipe (FIFO), not a regular file" in proc_clean(run("schema", "-o", str(tmp_path / "s.json"), "--force", timeout=60), 2)


@needs_fifo
def test_pipes_in_a_marker_set_are_reported_never_opened(tmp_path, qm):
    our = copy_set(tmp_path)
    os.mkfifo(our / "QM19.yaml")
    text = proc_clean(run("markers", "validate", str(our), timeout=60), 2)
    assert "QM19.yaml: is a named pipe (FIFO), not a file" in text
    other = copy_set(tmp_path, "pipe-set", "pipe-set")
    (other / "set.yaml").unlink()
    os.mkfifo(other / "set.yaml")
    text = proc_clean(run("--markers", str(tmp_path / "sets"), "markers", "list", "--all", timeout=60), 2)
    assert "scr-quality-markers" in text and "our-set" in text  # the other sets are still listed
    assert "named pipe" in text
    review = tmp_path / "r.yaml"
    review.write_text(review_text(qm), encoding="utf-8")
    proc_clean(run("--markers", str(tmp_path / "sets"), "check", str(review), timeout=60), 0)  # an unrelated review


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/null", "/dev/urandom"])
def test_a_device_given_as_a_review_is_refused_unread(device):
    if not Path(device).exists():
        pytest.skip(f"{device} is not on this system")
    text = proc_clean(run("check", device, timeout=60), 1)
    assert "is a character device, not a file" in text


def test_a_device_linked_as_a_review_in_a_folder_is_refused(folder):
    if not Path("/dev/zero").exists():
        pytest.skip("/dev/zero is not on this system")
    (folder / "zero.yaml").symlink_to("/dev/zero")
    text = proc_clean(run("check", str(folder), timeout=60), 1)
    assert "zero.yaml" in text and "is a character device" in text


def test_a_socket_called_yaml_is_refused(folder):
    if not hasattr(socket, "AF_UNIX"):
        pytest.skip("Unix sockets are not available here")
    path = folder / "s.yaml"
    if len(str(path)) > 100:
        pytest.skip("the temporary path is too long for a socket name")
    sock = socket.socket(socket.AF_UNIX)
    try:
        sock.bind(str(path))
        text = proc_clean(run("check", str(folder), timeout=60), 1)
        assert "is a socket, not a file" in text
    finally:
        sock.close()


# ------------------------------------------------------------------------- links


def test_links_that_loop_or_lead_nowhere_are_named_for_what_they_are(cli, folder):
    (folder / "self.yaml").symlink_to("self.yaml")
    (folder / "gone.yaml").symlink_to("nowhere.yaml")
    (folder / "up").symlink_to("..")  # a folder link back above the folder
    (folder / "again").symlink_to(".")
    result = cli("check", "--format", "json", folder)
    clean(result, 1, json_out=True)
    by_file = {Path(r["path"]).name: r for r in strict_json(result.stdout)["files"]}
    assert "loops back on itself" in by_file["self.yaml"]["findings"][0]["message"]
    assert "a link to something that does not exist" in by_file["gone.yaml"]["findings"][0]["message"]
    assert list(by_file).count("good.yaml") == 1  # the loops are walked once, the file checked once
    text = clean(cli("check", folder / "self.yaml"), 1)
    assert "loops back on itself" in text and "no such file" not in text
    assert "does not exist" in clean(cli("check", folder / "gone.yaml"), 1)
    assert "no such file or folder" in clean(cli("check", folder / "missing.yaml"), 2)


def test_compare_and_export_survive_a_looping_link(cli, folder, tmp_path):
    (folder / "self.yaml").symlink_to("self.yaml")
    text = clean(cli("compare", folder / "self.yaml", folder / "good.yaml"), 2)
    assert "loops back on itself" in text
    text = clean(cli("export", folder / "self.yaml", "-o", tmp_path / "r.docx"), 2)
    assert "loops back on itself" in text
    text = clean(cli("compare", folder / "good.yaml", folder / "good.yaml", "--merge", folder / "self.yaml"), 2)


def test_a_tree_twelve_hundred_folders_deep_is_walked(cli, qm):
    import tempfile

    # outside pytest's tmp_path: its clean-up (shutil.rmtree) recurses and would fail on it
    top = tempfile.mkdtemp(prefix="scr-audit-deep-")
    path = top
    for _ in range(1200):  # made without recursion: pathlib's own mkdir recurses
        path = os.path.join(path, "d")
        os.mkdir(path)
    with open(os.path.join(path, "r.yaml"), "w", encoding="utf-8") as fh:
        fh.write(review_text(qm))
    try:
        text = clean(cli("check", top), 0)
        assert "1 file checked (1 review)" in text
        clean(cli("summary", "--json", top), 0, json_out=True)
    finally:  # taken down from the bottom: shutil.rmtree recurses too
        os.unlink(os.path.join(path, "r.yaml"))
        while path != top:
            os.rmdir(path)
            path = os.path.dirname(path)
        os.rmdir(top)


# ------------------------------------------------------------------ permissions


def test_a_folder_that_cannot_be_read_is_reported_not_skipped(cli, folder, monkeypatch, tmp_path):
    private = folder / "private"
    private.mkdir()
    (private / "hidden-from-us.yaml").write_text("scr-audit: 1\n", encoding="utf-8")
    import scr_audit.paths as paths

    real = os.scandir

    def scandir(p="."):  # as a user without read permission meets it (chmod 000 does not stop root)
        if Path(p) == private:
            raise PermissionError(13, "Permission denied", str(p))
        return real(p)

    monkeypatch.setattr(paths.os, "scandir", scandir)
    result = cli("check", "--format", "json", folder)
    clean(result, 1, json_out=True)
    reports = {r["path"]: r for r in strict_json(result.stdout)["files"]}
    assert str(private) in reports
    finding = reports[str(private)]["findings"][0]
    assert finding["rule"] == "file-unreadable" and "could not be read (permission denied)" in finding["message"]
    text = clean(cli("check", folder), 1)
    assert "so the files in it were not checked" in text
    text = clean(cli("summary", folder), 1)
    assert f"skipped {private}" in text
    text = clean(cli("export", folder, "-o", tmp_path / "s.docx"), 1)
    assert "could not be read" in text and "1 file(s) left out" in text
    assert "could not be read" in clean(cli("check", "--ignore", "unanswered-question", folder), 1)


@pytest.mark.skipif(ROOT_USER, reason="running as root, chmod 000 does not stop a folder being read (the test above simulates it)")
def test_a_folder_without_read_permission_is_reported(cli, folder):
    private = folder / "private"
    private.mkdir()
    private.chmod(0)
    try:
        assert "could not be read (permission denied)" in clean(cli("check", folder), 1)
    finally:
        private.chmod(0o755)


def test_a_markers_folder_that_cannot_be_read_is_reported(cli, tmp_path, monkeypatch):
    sets = tmp_path / "sets"
    sets.mkdir()
    import scr_audit.paths as paths

    real = os.scandir

    def scandir(p="."):
        if Path(p) == sets:
            raise PermissionError(13, "Permission denied", str(p))
        return real(p)

    monkeypatch.setattr(paths.os, "scandir", scandir)
    text = clean(cli("--markers", sets, "markers", "list", "--all"), 2)
    assert "scr-quality-markers" in text and "could not be read (permission denied)" in text


def test_a_file_that_cannot_be_read_is_reported(cli, folder, monkeypatch):
    import scr_audit.yamlio as yamlio

    real = os.open

    def refusing(path, flags, *args, **kwargs):
        if str(path).endswith("good.yaml"):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path, flags, *args, **kwargs)

    monkeypatch.setattr(yamlio.os, "open", refusing)
    assert "cannot be read: permission denied" in clean(cli("check", folder), 1)


def test_a_huge_set_file_is_never_read_for_an_unrelated_review(tmp_path, qm):
    sets = tmp_path / "sets" / "huge"
    sets.mkdir(parents=True)
    with open(sets / "set.yaml", "wb") as fh:  # a sparse gigabyte: reading it would take seconds and the memory
        fh.write(b"id: huge\n")
        fh.truncate(1 << 30)
    review = tmp_path / "r.yaml"
    review.write_text(review_text(qm), encoding="utf-8")
    proc_clean(run("--markers", str(tmp_path / "sets"), "check", str(review), timeout=60), 0)
    text = proc_clean(run("--markers", str(tmp_path / "sets"), "markers", "list", "--all", timeout=60), 2)
    assert "1024.0 MB, over the 5 MB limit" in text


# ------------------------------------------------------------- names and bytes


def test_file_names_that_are_not_utf8_are_shown_and_json_stays_utf8(cli, folder, qm):
    name = os.fsdecode(b"review-\xff\xfe.yaml")
    (folder / name).write_text(review_text(qm), encoding="utf-8")
    for args, json_out in ((("check", "--format", "json"), True), (("summary", "--json"), True), (("check",), False), (("summary", "--csv"), False)):
        result = cli(*args, folder)
        text = clean(result, 0, json_out=json_out)
        if json_out:  # the bytes shown as the text '\xff', which a JSON parser reads back as written
            doc = strict_json(result.stdout)
            paths = [r["path"] for r in doc["files"]] if "files" in doc else [r["path"] for st in doc["sets"] for r in st["reviews"]]
            assert any(p.endswith("review-\\xff\\xfe.yaml") for p in paths), (args, paths)
        else:
            assert "review-\\xff\\xfe.yaml" in text, args
    esc = folder / "\x1b]0;owned\x07.yaml"
    esc.write_text(review_text(qm), encoding="utf-8")
    assert "\\x1b]0;owned\\x07.yaml" in clean(cli("check", "--ignore", "unanswered-question", esc), 0)


@pytest.mark.parametrize("option", [b"--title", b"--partnership", b"--assessor", b"--lead-reviewer"])
def test_bytes_that_are_not_utf8_in_an_option_are_refused_before_writing(tmp_path, option):
    target = tmp_path / "n.yaml"
    done = run(argv_bytes=[b"new", os.fsencode(target), option, b"Child \xff\xfe"], timeout=60)
    text = proc_clean(done, 2)
    assert "not UTF-8 text" in text
    assert not target.exists()


def test_a_file_name_that_is_not_utf8_cannot_be_a_title(tmp_path):
    target = os.fsencode(tmp_path) + b"/child-\xff.yaml"
    text = proc_clean(run(argv_bytes=[b"new", target], timeout=60), 2)
    assert "not UTF-8 text, so it cannot be the review's title; give --title" in text
    assert proc_clean(run(argv_bytes=[b"new", target, b"--title", b"Child Q"], timeout=60), 0)
    assert os.path.exists(target)


def test_a_marking_that_is_not_utf8_is_refused(tmp_path, qm):
    review = tmp_path / "r.yaml"
    review.write_text(review_text(qm), encoding="utf-8")
    done = run(argv_bytes=[b"export", os.fsencode(review), b"-o", os.fsencode(tmp_path / "r.docx"), b"--marking", b"OFFICIAL \xff"], timeout=60)
    assert "not UTF-8 text" in proc_clean(done, 2)
    assert not (tmp_path / "r.docx").exists()


# ------------------------------------------------------------ full disk, pipes


@needs_dev_full
@pytest.mark.parametrize(
    "args",
    [("check", "{folder}"), ("check", "--format", "json", "{folder}"), ("summary", "--csv", "{folder}"), ("markers", "show", "QM13", "--full"), ("schema",)],
)
def test_standard_output_on_a_full_disk_is_a_message_not_a_traceback(folder, args):
    argv = [a.replace("{folder}", str(folder)) for a in args]
    with open("/dev/full", "wb") as full:
        done = run(*argv, stdout=full, timeout=60)
    text = proc_clean(done, 2)
    assert "could not write the output: No space left on device" in text


@needs_dev_full
def test_both_streams_on_a_full_disk_still_exit_2_quietly(folder):
    with open("/dev/full", "wb") as full:
        done = subprocess.run([sys.executable, "-m", "scr_audit", "check", str(folder)], stdout=full, stderr=full, timeout=60)
    assert done.returncode == 2


def test_a_reader_that_goes_away_is_not_an_error(folder):
    command = [sys.executable, "-m", "scr_audit", "markers", "show", "QM13", "--full"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "NO_COLOR": "1"}) as child:
        assert child.stdout is not None
        child.stdout.read(10)
        child.stdout.close()  # the reader of `| head -c 10` goes away
        err = child.stderr.read().decode("utf-8") if child.stderr else ""
        code = child.wait(timeout=60)
    assert code == 0 and "Traceback" not in err and "bug in scr-audit" not in err


def test_an_enormous_columns_setting_does_not_blow_up_the_tables(folder):
    done = run("check", str(folder), timeout=60, env={"COLUMNS": "999999999"})
    text = proc_clean(done, 0)
    assert max(len(line) for line in text.splitlines()) <= 1000


# ------------------------------------------------------------------- a terminal


def test_on_a_terminal_with_colour_only_the_tools_own_colours_are_sent(tmp_path, qm):
    pexpect = pytest.importorskip("pexpect", reason="pexpect is needed for the terminal tests (pip install -e '.[test]')")
    review = tmp_path / "r.yaml"
    review.write_text(
        review_text(qm, title="x", rating=lambda m: None).replace('title: "x"', 'title: "\\e]0;PWNED\\a\\e[2J\\e[31mred \\u202e"'),
        encoding="utf-8",
    )
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    env["TERM"] = "xterm-256color"
    for args in (["check", str(review)], ["summary", str(review)]):
        child = pexpect.spawn(sys.executable, ["-m", "scr_audit", *args], env=env, encoding="utf-8", timeout=60, dimensions=(50, 200))
        child.expect(pexpect.EOF)
        child.close()
        out = child.before
        assert "\\x1b]0;PWNED\\x07" in out
        sequences = re.findall(r"\x1b.[^a-zA-Z]*[a-zA-Z]?", out)
        assert sequences, "colour is on at a terminal"
        assert all(re.fullmatch(r"\x1b\[[0-9;]*m", s) for s in sequences), sequences
        assert "\x07" not in out and "\u202e" not in out
        assert not RAW_CONTROL.search(re.sub(r"\x1b\[[0-9;]*m", "", out).replace("\r\n", "\n"))


@needs_fifo
def test_scan_names_a_pipe_or_a_device_for_what_it_is_never_opening_it(tmp_path):
    fifo = tmp_path / "report.pdf"
    os.mkfifo(fifo)
    assert "is a named pipe (FIFO), not a file" in proc_clean(run("scan", str(fifo), timeout=60), 2)
    if Path("/dev/zero").exists():
        (tmp_path / "zero.docx").symlink_to("/dev/zero")
        assert "is a character device, not a file" in proc_clean(run("scan", str(tmp_path / "zero.docx"), timeout=60), 2)
    done = run(argv_bytes=[b"scan", os.fsencode(fifo), b"-o", os.fsencode(tmp_path / "r.yaml"), b"--title", b"\xff"], timeout=60)
    assert "not UTF-8 text" in proc_clean(done, 2)
