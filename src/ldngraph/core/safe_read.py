"""Reading the project's own input files without trusting them: regular files only, inside their folder, capped.

A record file may be a symbolic link to /dev/zero (endless), a FIFO (blocks for ever) or a link to a
secret elsewhere (whose first line an error message would echo). Each is refused before a byte is read.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ldngraph.core.problems import LdngraphError


class UnsafeFile(LdngraphError):
    """A file that must not be read: not a regular file, outside its folder, or over the size cap."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def read_capped(path: Path, *, root: Path | None = None, max_bytes: int) -> bytes:
    """The bytes of a regular file inside ``root`` (after following links), at most ``max_bytes`` of them.

    Raises UnsafeFile (code ``outside-folder``, ``not-a-regular-file`` or ``file-too-large``) or OSError.
    """
    path = Path(path)
    if root is not None:
        resolved, folder = path.resolve(), Path(root).resolve()
        if resolved != folder and folder not in resolved.parents:
            raise UnsafeFile("outside-folder", f"a link to a file outside {root}; refused (nothing of it was read)")
    info = os.stat(path)
    if not stat.S_ISREG(info.st_mode):
        raise UnsafeFile("not-a-regular-file", "not a regular file (a device, FIFO or socket?); refused")
    if info.st_size > max_bytes:
        raise UnsafeFile("file-too-large", f"{info.st_size} bytes; the limit is {max_bytes}")
    with open(path, "rb") as handle:
        data = handle.read(max_bytes + 1)  # the file may have grown since stat
    if len(data) > max_bytes:
        raise UnsafeFile("file-too-large", f"more than {max_bytes} bytes; the limit is {max_bytes}")
    return data
