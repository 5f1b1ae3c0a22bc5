"""Writing files so that readers never see half of a change."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ldngraph.core.problems import LdngraphError


class WriteError(LdngraphError):
    """Output could not be written (read-only folder, full disk, ...)."""


def write_atomically(files: dict[Path, bytes], *, last: Path | None = None) -> None:
    """Write several files so that each is either the old complete file or the new complete one.

    With ``last`` (one of ``files``, e.g. a manifest), the old ``last`` is removed before any other file
    changes and the new one is moved into place after all of them: a reader that finds ``last`` knows
    every other file is from the same write. Temporary files left by a killed write are removed.
    """
    temps: list[tuple[Path, Path]] = []
    try:
        for target in files:
            for stale in target.parent.glob(f".{target.name}.*.tmp"):
                stale.unlink(missing_ok=True)
        for target, payload in files.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
            temps.append((Path(temp_name), target))
            with os.fdopen(fd, "wb") as handle:
                handle.write(payload)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(temp_name, 0o644)
        if last is not None:
            Path(last).unlink(missing_ok=True)
        ordered = sorted(temps, key=lambda pair: pair[1] == last)
        for temp, target in ordered:
            os.replace(temp, target)
    except OSError as exc:
        for temp, _ in temps:
            temp.unlink(missing_ok=True)
        where = exc.filename or (next(iter(files)).parent if files else "")
        raise WriteError(f"cannot write output in {where}: {exc.strerror}") from exc
