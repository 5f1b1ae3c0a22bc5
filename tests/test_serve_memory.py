"""A query that needs unbounded memory stops at the worker's cap: a clear 503, the worker replaced, the
server's whole process tree under 2 GB, and other clients answered."""

from __future__ import annotations

import os
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from helpers import running_server
from ldngraph.sparql.store import open_store

pytestmark = pytest.mark.slow

TREE_LIMIT = 2_000_000_000
CARTESIAN = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?f ?c"
CONCAT = ("SELECT ?x WHERE { BIND('aaaaaaaaaaaaaaaa' AS ?x0) "
          + " ".join(f"BIND(CONCAT(?x{i}, ?x{i}) AS ?x{i + 1})" for i in range(30)) + " BIND(?x30 AS ?x) }")


def tree_rss(pid: int) -> int:
    """Memory of a process and all its descendants, from /proc: proportional set sizes (pages shared
    copy-on-write between the server and its workers count once), or resident sizes where PSS is not shown."""
    children: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat") as stat:
                    parent = int(stat.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(name))
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        todo.extend(children.get(current, []))
        total += _process_memory(current)
    return total


def _process_memory(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, IndexError, ValueError):
        pass
    try:
        with open(f"/proc/{pid}/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, IndexError, ValueError):
        return 0


@pytest.fixture(scope="module")
def endpoint():
    with running_server(open_store("memory"), timeout=60, workers=2, worker_memory=600_000_000) as served:
        yield served


def get(url: str, text: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url + "?" + urllib.parse.urlencode({"query": text}), timeout=90) as reply:
            return reply.status, reply.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


@pytest.mark.skipif(not os.path.exists("/proc/self/statm"), reason="needs /proc")
@pytest.mark.parametrize("bomb", [CARTESIAN, CONCAT], ids=["cartesian-order-by", "doubling-concat"])
def test_a_memory_bomb_stops_at_the_cap_and_others_are_answered(endpoint, bomb):
    server, url = endpoint
    peak, done = [0], threading.Event()

    def watch() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], tree_rss(os.getpid()))
            time.sleep(0.05)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    replaced = server.pool.replaced
    answers: list[tuple[int, str]] = []
    other = threading.Thread(target=lambda: answers.append(get(url, "ASK { ?s a ?c }")))
    status, body = get(url, bomb)
    other.start()
    other.join(30)
    done.set()
    watcher.join(5)
    assert status == 503 and "more memory than a query worker may use" in body, (status, body)
    assert server.pool.replaced == replaced + 1
    assert answers == [(200, '{"head": {}, "boolean": true}')]
    assert 0 < peak[0] < TREE_LIMIT, peak[0]
    assert get(url, "ASK { ?s a ?c }")[0] == 200
