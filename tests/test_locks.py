"""The one-sitting-per-file lock (scr_audit.locks), held by real other processes."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from scr_audit import locks
from scr_audit.errors import FileInUseError

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="the tests drive POSIX processes and signals")

HOLDER = """
import sys, time
from scr_audit import locks
with locks.hold(sys.argv[1], sys.argv[2]):
    print("held", flush=True)
    time.sleep(60)
"""


def start_holder(path: Path, doing: str = "a walkthrough") -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(path), doing], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


def test_a_held_file_is_refused_with_who_and_since_when(tmp_path: Path):
    path = tmp_path / "child-d.yaml"
    path.write_text("scr-audit: 1\n", encoding="utf-8")
    proc = start_holder(path)
    try:
        with pytest.raises(FileInUseError) as info:
            locks.ensure_free(path)
        message = str(info.value)
        assert re.fullmatch(
            rf"{re.escape(str(path))} is open in a walkthrough since \d\d:\d\d \(pid {proc.pid}\); finish that sitting first", message
        ), message
        with pytest.raises(FileInUseError, match="is open in a walkthrough since"):
            with locks.hold(path):
                pass
        who = locks.holder(path)
        assert who is not None and who.pid == proc.pid and who.doing == "a walkthrough"
    finally:
        proc.terminate()
        proc.wait()
    locks.ensure_free(path)  # let go when the holder ended
    assert locks.holder(path) is None


def test_a_lock_left_by_a_killed_sitting_is_taken_over(tmp_path: Path):
    path = tmp_path / "child-d.yaml"
    proc = start_holder(path, "scan --into")
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    lock_file = locks.lock_path(path)
    assert lock_file.exists()  # the killed process could not tidy up
    locks.ensure_free(path)  # but the operating system dropped its lock
    with locks.hold(path, "a walkthrough") as held:
        assert held == lock_file
        assert locks.holder(path) is not None and locks.holder(path).pid == os.getpid()
    assert not lock_file.exists()  # let go: the lock file is removed


def test_a_symlink_and_its_target_share_one_lock(tmp_path: Path):
    target = tmp_path / "real.yaml"
    target.write_text("scr-audit: 1\n", encoding="utf-8")
    link = tmp_path / "link.yaml"
    link.symlink_to(target)
    proc = start_holder(link)
    try:
        with pytest.raises(FileInUseError):
            locks.ensure_free(target)
    finally:
        proc.terminate()
        proc.wait()


def test_many_processes_racing_for_one_file_get_it_one_at_a_time(tmp_path: Path):
    path = tmp_path / "race.yaml"
    counter = tmp_path / "counter"
    counter.write_text("0", encoding="utf-8")
    code = (
        "import sys, time\n"
        "from scr_audit import locks\n"
        "from scr_audit.errors import FileInUseError\n"
        "from pathlib import Path\n"
        "c = Path(sys.argv[2])\n"
        "start = float(sys.argv[3])\n"
        "while time.time() < start: pass\n"
        "try:\n"
        "    with locks.hold(sys.argv[1]):\n"
        "        n = int(c.read_text()); time.sleep(0.2); c.write_text(str(n + 1)); print('won')\n"
        "except FileInUseError as e:\n"
        "    print('refused', e)\n"
    )
    start = time.time() + 1.5
    procs = [subprocess.Popen([sys.executable, "-c", code, str(path), str(counter), str(start)], stdout=subprocess.PIPE, text=True) for _ in range(6)]
    outs = [p.communicate()[0] for p in procs]
    won = [o for o in outs if o.startswith("won")]
    assert len(won) >= 1
    assert int(counter.read_text()) == len(won)  # nobody wrote while another held it
    assert all(o.startswith(("won", "refused")) for o in outs), outs


def test_compare_merge_onto_a_file_a_sitting_holds_is_refused(cli, write_review, tmp_path: Path):
    a, b = write_review("a.yaml"), write_review("b.yaml", assessors=("C. Panel-Member",))
    out = tmp_path / "agreed.yaml"
    proc = start_holder(out)
    try:
        result = cli("compare", a, b, "--merge", out)
    finally:
        proc.terminate()
        proc.wait()
    assert result.exit_code == 2
    assert f"agreed.yaml is open in a walkthrough since" in result.output
    assert f"(pid {proc.pid}); finish that sitting first" in result.output
    assert not out.exists()
    assert cli("compare", a, b, "--merge", out).exit_code == 0  # free again: written
    assert out.exists() and not locks.lock_path(out).exists()
