"""What a name on disk is, in words a user can act on.

A folder of reviews can hold more than files: a named pipe (FIFO) that would block any
program that opens it, a device, a socket, a link that loops back on itself or points
nowhere. The reader, the folder walk and the output check all meet them, and each must
say the same true thing about them without ever opening them.
"""

from __future__ import annotations

import errno
import stat


def special_kind(mode: int) -> str | None:
    """'a named pipe (FIFO)', 'a device', ... for anything but a regular file or folder."""
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def os_error_words(exc: OSError) -> str:
    """Why an OSError stopped a read, in words (not 'Errno 40')."""
    code = exc.errno
    if code == errno.ELOOP:
        return "it is a symbolic link that loops back on itself (or through too many links)"
    if code == errno.ENAMETOOLONG:
        return "its path is too long for the system to open"
    if code in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if code == errno.ENOTDIR:
        return "a part of its path is not a folder"
    return exc.strerror or str(exc)
