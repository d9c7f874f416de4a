"""One sitting per review file: an exclusive lock held for as long as a walkthrough runs.

Two walkthroughs on one file (two terminals, two colleagues on a shared drive) would each
save over the other's answers; `scan --into` or `compare --merge` writing into a file a
sitting holds would do the same. So a sitting holds a lock, and anything else that writes
a review file asks first.

The lock is the platform's own (``flock`` on Unix, ``msvcrt.locking`` on Windows) on a small
file beside the review file, named ``.<name>.lock``. The operating system drops such a lock
when the process that held it ends in any way, a crash and SIGKILL included, so a lock left
by a killed sitting is never mistaken for a live one: its file is simply taken over. The
file holds who holds the lock (pid, host, since when, doing what) so that a refusal can say
so. A holder removes the file when it lets go (Unix), so folders stay tidy.

The API, for every command that writes a review file:

- ``with hold(path, "a walkthrough"):`` for the whole of a sitting (or a write); refuses at
  once with FileInUseError if another process holds the file.
- ``ensure_free(path)``: raises FileInUseError if a sitting holds the file, else returns.
- ``holder(path)``: who holds it, or None.
"""

from __future__ import annotations

import json
import os
import socket
import sys
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Iterator, Optional

from scr_audit.errors import FileInUseError, WriteRefusedError

#: How many bytes of the lock file are locked (Windows locks byte ranges; the holder's
#: details are written after them so a refused process can still read them).
_LOCKED_BYTES = 1
_INFO_OFFSET = 16


class Holder:
    """Who holds a review file's lock."""

    __slots__ = ("pid", "host", "since", "doing")

    def __init__(self, pid: int, host: str, since: datetime, doing: str) -> None:
        self.pid, self.host, self.since, self.doing = pid, host, since, doing

    def describe(self) -> str:
        here = socket.gethostname()
        where = f"pid {self.pid}" + (f" on {self.host}" if self.host and self.host != here else "")
        when = self.since.strftime("%H:%M") if self.since.date() == datetime.now().date() else self.since.strftime("%Y-%m-%d %H:%M")
        return f"since {when} ({where})"


def lock_path(path: Path | str) -> Path:
    """The lock file of a review file: beside it (beside the real file, for a symlink)."""
    p = Path(path)
    try:
        p = p.resolve() if p.is_symlink() else p.absolute()
    except (OSError, RuntimeError):
        p = p.absolute()
    return p.parent / f".{p.name}.lock"


def _refusal(path: Path | str, who: Optional[Holder]) -> FileInUseError:
    if who is None:
        return FileInUseError(f"{path} is open in another scr-audit sitting; finish that sitting first")
    return FileInUseError(f"{path} is open in {who.doing} {who.describe()}; finish that sitting first")


@contextmanager
def hold(path: Path | str, doing: str = "a walkthrough") -> Iterator[Path]:
    """Hold `path`'s lock for the body of the `with`; FileInUseError at once if taken.

    `doing` names the holder in another process's refusal ("a walkthrough",
    "scan --into"). Yields the lock file's path.
    """
    lp = lock_path(path)
    fd = _acquire(path, lp)
    try:
        _write_info(fd, Holder(os.getpid(), socket.gethostname(), datetime.now().replace(microsecond=0), doing))
        yield lp
    finally:
        _release(fd, lp)


def ensure_free(path: Path | str) -> None:
    """FileInUseError if another process holds `path` (a walkthrough is open on it)."""
    who = _probe(lock_path(path))
    if who is not False:
        raise _refusal(path, who if isinstance(who, Holder) else None)


def holder(path: Path | str) -> Optional[Holder]:
    """Who holds `path`'s lock now, or None when nobody does (or it cannot be told)."""
    who = _probe(lock_path(path))
    return who if isinstance(who, Holder) else None


# ------------------------------------------------------------------ the platform's locks


def _acquire(path: Path | str, lp: Path) -> int:
    """An fd holding the lock on `lp`, created if need be. Retries when the lock file was
    removed (by a holder letting go) between opening and locking it."""
    for _ in range(20):
        try:
            fd = os.open(lp, os.O_RDWR | os.O_CREAT, 0o644)
        except FileNotFoundError:
            raise WriteRefusedError(f"{path}: the folder {lp.parent} does not exist") from None
        except OSError as exc:
            raise WriteRefusedError(
                f"{path}: cannot make its lock file {lp.name} in {lp.parent} ({exc.strerror or exc}); "
                "scr-audit needs to write in that folder to save answers"
            ) from None
        if not _try_lock_briefly(fd):
            who = _read_info(fd)
            os.close(fd)
            raise _refusal(path, who)
        if _same_file(fd, lp):
            return fd
        _unlock(fd)  # the file we locked was removed meanwhile: lock the new one
        os.close(fd)
    raise FileInUseError(f"{path}: its lock file {lp} keeps changing; is another program removing it?")


def _try_lock_briefly(fd: int) -> bool:
    """The lock, allowing a moment for another process's `ensure_free` probe to let go."""
    import time

    for attempt in range(5):
        if _try_lock(fd):
            return True
        time.sleep(0.005 * (attempt + 1))  # a probe holds it for microseconds; a sitting for its whole length
    return False


def _release(fd: int, lp: Path) -> None:
    try:
        if sys.platform != "win32" and _same_file(fd, lp):
            os.unlink(lp)  # while still locked, so nobody locks a file about to vanish
    except OSError:
        pass
    try:
        _unlock(fd)
    finally:
        os.close(fd)


def _probe(lp: Path) -> "Holder | None | bool":
    """False when free; the Holder (or None if unreadable) when another process holds it."""
    try:
        fd = os.open(lp, os.O_RDONLY if sys.platform != "win32" else os.O_RDWR)
    except FileNotFoundError:
        return False
    except OSError:
        return False  # a lock file that cannot be opened cannot be held through it either
    try:
        if _try_lock(fd, shared=True):
            _unlock(fd)
            return False
        return _read_info(fd)
    finally:
        os.close(fd)


def _same_file(fd: int, lp: Path) -> bool:
    try:
        a, b = os.fstat(fd), os.stat(lp)
    except OSError:
        return False
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(fd: int, shared: bool = False) -> bool:
        os.lseek(fd, 0, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, _LOCKED_BYTES)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_UNLCK, _LOCKED_BYTES)
        except OSError:
            pass

else:
    import fcntl

    def _try_lock(fd: int, shared: bool = False) -> bool:
        try:
            fcntl.flock(fd, (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        except OSError as exc:
            if exc.errno in (11, 35):  # EAGAIN / EWOULDBLOCK on some systems
                return False
            raise
        return True

    def _unlock(fd: int) -> None:
        try:
            fcntl.flock(fd, fcntl.LOCK_UN)
        except OSError:
            pass


def _write_info(fd: int, who: Holder) -> None:
    data = json.dumps({"pid": who.pid, "host": who.host, "since": who.since.isoformat(), "doing": who.doing}).encode("utf-8")
    try:
        os.ftruncate(fd, 0)
        os.lseek(fd, _INFO_OFFSET, os.SEEK_SET)
        os.write(fd, data + b"\n")
        os.fsync(fd)
    except OSError:
        pass  # the lock holds without its details; a refusal then says less


def _read_info(fd: int) -> Optional[Holder]:
    try:
        os.lseek(fd, _INFO_OFFSET, os.SEEK_SET)
        raw = os.read(fd, 4096)
        info = json.loads(raw.decode("utf-8").strip() or "null")
        return Holder(int(info["pid"]), str(info.get("host") or ""), datetime.fromisoformat(info["since"]), str(info.get("doing") or "a walkthrough"))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
