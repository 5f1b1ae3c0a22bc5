"""Test helpers: assemble a graph folder from fixture records plus the real vocabulary and shapes."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESOURCES = Path(__file__).resolve().parent / "resources"
FIXTURE_SOURCES = RESOURCES / "sources"


def make_graph_dir(target: Path, overlay: Path | None = None) -> Path:
    """A graph folder at target/graph: the valid fixture records, the real metagraph, vocabulary
    and shapes, then the files of ``overlay`` (an invalid case) copied over them."""
    graph = target / "graph"
    shutil.copytree(RESOURCES / "valid", graph)
    shutil.copy(ROOT / "graph" / "metagraph.yaml", graph / "metagraph.yaml")
    shutil.copytree(ROOT / "graph" / "vocab", graph / "vocab")
    shutil.copytree(ROOT / "graph" / "shapes", graph / "shapes")
    if overlay is not None:
        for path in overlay.rglob("*"):
            if path.is_file() and path.name != "expect":
                destination = graph / path.relative_to(overlay)
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(path, destination)
    return graph


def stop_process(process: subprocess.Popen, timeout: float = 10) -> None:
    """Terminate a process started by a test, killing it if it does not stop within ``timeout``."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
