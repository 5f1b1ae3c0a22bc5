"""Test helpers: assemble a graph folder from fixture records plus the real vocabulary and shapes."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

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


@contextlib.contextmanager
def running_server(store: Any, **config: Any) -> Iterator[tuple[Any, str]]:
    """An in-process `ldngraph serve` on 127.0.0.1 (a free port): (server, endpoint URL); stopped on exit."""
    from ldngraph.sparql.serve import ServeConfig, make_server

    server = make_server(store, host="127.0.0.1", port=0, config=ServeConfig(**config))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server, f"http://127.0.0.1:{server.server_address[1]}/sparql"
    finally:
        server.shutdown()
        server.shutdown_workers()
        server.server_close()
        thread.join(10)


def http(url: str, data: bytes | None = None, headers: dict[str, str] | None = None, method: str | None = None,
         timeout: float = 30) -> tuple[int, dict[str, str], str]:
    """One request: (status, headers, body text), for error statuses too."""
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read().decode()


def same_value(term) -> str:
    """A query answer's term as its value, for comparing stores: decimals by number ("2" and "2.0" are one
    answer), and "; " lists (GROUP_CONCAT, which has no order) in sorted order."""
    from ldngraph.sparql.query import to_python

    value = to_python(term)
    if isinstance(value, float):
        return repr(value)
    text = str(value)
    return "; ".join(sorted(text.split("; "))) if "; " in text else text
