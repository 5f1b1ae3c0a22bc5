"""Benchmark CLI start-up: each command run from a cold process, median and max wall time of N runs.

    python benchmarks/bench_startup.py               # 10 runs per command
    python benchmarks/bench_startup.py --runs 30

Targets (issue 3): `ldngraph --help` at most 0.3 s; a named query on the curated graph from a cold start at
most 0.5 s. The query rows use a fresh build/ldngraph.nt (built first if missing); the last row copies the
graph folder and makes its build stale, so every run rebuilds first (that one is slower and says so).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

COMMANDS: list[tuple[str, list[str]]] = [
    ("python -c pass (interpreter alone)", [sys.executable, "-c", "pass"]),
    ("ldngraph --help", ["ldngraph", "--help"]),
    ("ldngraph queries", ["ldngraph", "queries"]),
    ("ldngraph query evidence-for-condition -p condition fibromyalgia",
     ["ldngraph", "query", "evidence-for-condition", "-p", "condition", "fibromyalgia"]),
    ("ldngraph query mechanism-paths -p condition fibromyalgia",
     ["ldngraph", "query", "mechanism-paths", "-p", "condition", "fibromyalgia"]),
    ("ldngraph query contested -f csv", ["ldngraph", "query", "contested", "-f", "csv"]),
]


def timed(argv: list[str], env: dict[str, str], runs: int, before=None) -> list[float]:
    """Wall times of ``runs`` runs of a command (``before`` is called before each run, untimed)."""
    times = []
    for _ in range(runs):
        if before:
            before()
        start = time.perf_counter()
        done = subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        times.append(time.perf_counter() - start)
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(argv)} failed: {done.stderr.strip()}")
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    subprocess.run(["ldngraph", "build"], env=env, cwd=ROOT, check=True, capture_output=True)
    rows = []
    for label, argv in COMMANDS:
        times = timed(argv, env, args.runs)
        rows.append((label, times))
        print(f"{label}: median {statistics.median(times):.3f} s", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="ldngraph-startup-") as tmp:
        graph = Path(tmp) / "graph"
        shutil.copytree(ROOT / "graph", graph)
        stale_env = {**env, "LDNGRAPH_GRAPH_DIR": str(graph), "LDNGRAPH_BUILD_DIR": str(Path(tmp) / "build")}
        subprocess.run(["ldngraph", "build"], env=stale_env, check=True, capture_output=True)
        claims = graph / "records" / "claims.tsv"
        argv = ["ldngraph", "query", "evidence-for-condition", "-p", "condition", "fibromyalgia"]
        times = timed(argv, stale_env, max(3, args.runs // 3), before=lambda: os.utime(claims))
        rows.append(("the same, build stale (rebuilt first)", times))
    print(f"| command (cold process, {args.runs} runs) | median s | max s |")
    print("|---|---|---|")
    for label, times in rows:
        print(f"| `{label}` | {statistics.median(times):.3f} | {max(times):.3f} |")


if __name__ == "__main__":
    main()
