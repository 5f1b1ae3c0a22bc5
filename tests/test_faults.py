"""Faults: a build killed at any moment, a full disk and a read-only folder never leave partial output."""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from rdflib import Graph

from helpers import make_graph_dir
from ldngraph.rdf.build import BuildConfig, BuildError, build
from ldngraph.rdf.outputs import FORMATS, complete_output


def _check_complete(out: Path) -> bool:
    """A build folder is either complete (manifest present, every file matches it) or has no manifest,
    which readers take as "build again". Returns whether it is complete."""
    if not (out / "manifest.json").exists():
        assert all(complete_output(out, fmt) is None for fmt in FORMATS)
        return False
    manifest = json.loads((out / "manifest.json").read_text())
    for name, digest in manifest["files"].items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == digest, name
    assert len(Graph().parse(out / "ldngraph.nt", format="nt")) == manifest["triples"]
    assert all(complete_output(out, fmt) == out / FORMATS[fmt][1] for fmt in FORMATS)
    return True


KILL_AFTER_FIRST_RENAME = """
import os, signal, sys
from pathlib import Path
from ldngraph.rdf.build import BuildConfig, build
real_replace, calls = os.replace, []
def replace_then_die(src, dst):
    real_replace(src, dst)
    calls.append(dst)
    if len(calls) == 1:
        os.kill(os.getpid(), signal.SIGKILL)
os.replace = replace_then_die
build(BuildConfig(graph_dir=Path(sys.argv[1]), out_dir=Path(sys.argv[2]), shacl=False))
"""


def test_build_killed_between_its_renames_is_never_read_as_complete(tmp_path: Path) -> None:
    """The SIGKILL that used to leave new .ttl/.nt beside an old .jsonld and manifest (1 in 20 before)."""
    graph_dir = make_graph_dir(tmp_path)
    out = tmp_path / "out"
    build(BuildConfig(graph_dir=graph_dir, out_dir=out, shacl=False))
    assert _check_complete(out)
    records = graph_dir / "records" / "conditions.tsv"
    records.write_text(records.read_text().replace("condition A\t", "condition A renamed\t", 1))
    done = subprocess.run([sys.executable, "-c", KILL_AFTER_FIRST_RENAME, str(graph_dir), str(out)],
                          capture_output=True, timeout=120)
    assert done.returncode == -signal.SIGKILL
    assert not _check_complete(out)  # one new file beside old ones, and no manifest vouching for them
    build(BuildConfig(graph_dir=graph_dir, out_dir=out, shacl=False))
    assert _check_complete(out)
    assert not list(out.glob(".*.tmp"))


@pytest.mark.slow
def test_build_killed_at_random_moments_leaves_previous_build_complete(tmp_path: Path) -> None:
    graph = Path(__file__).resolve().parent.parent / "graph"
    out = tmp_path / "out"
    build(BuildConfig(graph_dir=graph, out_dir=out, shacl=False))
    _check_complete(out)
    rng = random.Random(20261123)
    kills = 0
    for _ in range(12):
        proc = subprocess.Popen(
            [sys.executable, "-m", "ldngraph", "build", "-g", str(graph), "-o", str(out), "--no-shacl"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.05, 1.5))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.wait(timeout=60)
        _check_complete(out)
    build(BuildConfig(graph_dir=graph, out_dir=out, shacl=False))
    assert _check_complete(out)
    assert kills >= 3, "the build finished before every kill; the test proved nothing"


@contextmanager
def _tmpfs(path: Path, options: str) -> Iterator[Path]:
    path.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a small filesystem needs root")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield path
    finally:
        subprocess.run(["umount", str(path)], check=False)


def test_full_disk_gives_a_clear_error_and_no_partial_file(tmp_path: Path) -> None:
    graph = make_graph_dir(tmp_path)
    with _tmpfs(tmp_path / "small", "size=16k") as out:
        with pytest.raises(BuildError, match="No space left"):
            build(BuildConfig(graph_dir=graph, out_dir=out, shacl=False))
        assert sorted(p.name for p in out.iterdir()) == []


def test_read_only_folder_gives_a_clear_error_and_no_partial_file(tmp_path: Path) -> None:
    graph = make_graph_dir(tmp_path)
    with _tmpfs(tmp_path / "ro", "ro,size=1m") as out:
        with pytest.raises(BuildError, match="Read-only"):
            build(BuildConfig(graph_dir=graph, out_dir=out, shacl=False))
        assert list(out.iterdir()) == []


def test_cli_reports_full_disk_in_one_line_with_exit_1(tmp_path: Path) -> None:
    graph = make_graph_dir(tmp_path)
    with _tmpfs(tmp_path / "small", "size=16k") as out:
        proc = subprocess.run(
            [sys.executable, "-m", "ldngraph", "build", "-g", str(graph), "-o", str(out), "--no-shacl"],
            capture_output=True,
            text=True,
        )
        assert proc.returncode == 1
        assert "error: cannot write build output" in proc.stderr and "Traceback" not in proc.stderr
        assert list(out.iterdir()) == []
