"""The README's first command works on a stock Debian/Ubuntu Python: `make quickstart` in a fresh clone.

The clone is of the repository's committed HEAD (what a newcomer gets), in a temporary folder with no
../shared beside it, run with PATH=/usr/local/bin:/usr/bin:/bin so that /usr/bin/python3 (externally
managed, PEP 668, on Debian) is the python3 the Makefile finds. Set LDNGRAPH_SETUP_TEST_REPO to clone
another repository (a folder or URL) instead.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SYSTEM_PATH = "/usr/local/bin:/usr/bin:/bin"


def _system_env() -> dict[str, str]:
    """This environment as a fresh login shell would have it: system PATH, no venv, no make or ldngraph state."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LDNGRAPH_", "PYTHON", "MAKE"))}
    for name in ("VIRTUAL_ENV", "MFLAGS", "CI", "PIP_REQUIRE_VIRTUALENV", "PIP_USER"):
        env.pop(name, None)
    env["PATH"] = SYSTEM_PATH
    return env


@pytest.mark.slow
def test_make_quickstart_in_a_fresh_clone_with_the_system_python(tmp_path: Path) -> None:
    missing = [tool for tool in ("python3", "make", "git") if shutil.which(tool, path=SYSTEM_PATH) is None]
    if not Path("/usr/bin/python3").exists():
        missing.append("/usr/bin/python3")
    if missing:
        pytest.skip(f"needs {', '.join(missing)} on {SYSTEM_PATH} to run `make quickstart` like a newcomer")
    repo = os.environ.get("LDNGRAPH_SETUP_TEST_REPO", str(ROOT))
    clone = tmp_path / "ldngraph"
    env = _system_env()
    subprocess.run(["git", "clone", "--quiet", repo, str(clone)], check=True, env=env, timeout=300)
    assert not (clone.parent / "shared").exists()

    first = subprocess.run(
        ["make", "quickstart"], cwd=clone, env=env, capture_output=True, text=True, timeout=900
    )
    output = first.stdout + first.stderr
    assert first.returncode == 0, output[-4000:]
    assert "externally-managed-environment" not in output
    assert "Verdict:" in first.stdout and "fibromyalgia" in first.stdout, output[-4000:]
    assert "Younger 2013" in first.stdout and "FINAL" in first.stdout, output[-4000:]
    # no ../shared/sources beside the clone: the build says what it could not check, and goes on
    assert "quotes-not-checked" in first.stderr, output[-4000:]
    assert (clone / ".venv" / "bin" / "ldngraph").exists()
    assert (clone / ".venv" / "pyvenv.cfg").exists()  # made by `python3 -m venv`

    # run again: the healthy .venv and the install are re-used, nothing is reinstalled
    started = time.monotonic()
    second = subprocess.run(
        ["make", "quickstart"], cwd=clone, env=env, capture_output=True, text=True, timeout=300
    )
    assert second.returncode == 0, (second.stdout + second.stderr)[-4000:]
    assert "creating the virtual environment" not in second.stderr
    assert "installing ldngraph" not in second.stderr
    assert "Verdict:" in second.stdout
    assert time.monotonic() - started < 120
