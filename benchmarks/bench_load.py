"""Load test: `ldngraph serve` against `oxigraph serve-read-only` on the same graph and named queries.

Both servers run on 127.0.0.1 (free ports) over build/ldngraph.nt. Every named query is sent with its
parameters inlined (a VALUES block written by pyoxigraph's N-Triples serialiser, the same text for both
servers). Clients are ``--processes`` x ``--threads`` (default 4 x 8 = 32), each with one keep-alive
HTTP/1.1 connection, cycling through the queries for ``--seconds`` (default 60; the servers take turns in
``--rounds`` slices so that other load on the machine falls on both alike). One table is printed:
requests/s, p50 and p99 latency and errors per query for each server. Then a runaway query (a
cartesian product) is sent to each server while the same clients run, and the clients' p99 during the
runaway is printed beside their p99 without it.

    python benchmarks/bench_load.py                     # 32 clients, 60 s per server (about 3 minutes)
    python benchmarks/bench_load.py --seconds 10        # quick look
    python benchmarks/bench_load.py --oxigraph-memory   # also `oxigraph serve` in memory (fairer: no disk)
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

PARAMS = {"condition": "fibromyalgia", "source": "003_31158820d64b0034"}
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
ACCEPT = "application/sparql-results+json"


def free_port() -> int:
    """A port nobody listens on right now (127.0.0.1)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def query_texts() -> dict[str, str]:
    """Each named query's final text: prefixes declared, parameters inlined as a VALUES block."""
    from ldngraph.core import namespaces as ns
    from ldngraph.sparql.named_queries import list_queries
    from ldngraph.sparql.query import bind_parameters
    from ldngraph.sparql.store import default_store, inline_values

    store = default_store()
    texts = {}
    for named in list_queries():
        values = {p.name: PARAMS[p.name] for p in named.params}
        bindings = bind_parameters(store, named, values)
        texts[named.name] = ns.sparql_prefixes() + inline_values(named.text, bindings)
    return texts


def post(conn: http.client.HTTPConnection, path: str, text: str) -> tuple[int, bytes]:
    """Send one query over a kept-alive connection; return (status, body)."""
    conn.request("POST", path, body=text.encode("utf-8"),
                 headers={"Content-Type": "application/sparql-query", "Accept": ACCEPT})
    response = conn.getresponse()
    return response.status, response.read()


def wait_ready(port: int, path: str, process: subprocess.Popen, seconds: float = 60) -> None:
    """Wait until a server answers ASK {} (bounded)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server exited early: {process.stderr.read().decode()[-500:] if process.stderr else ''}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            status, _ = post(conn, path, "ASK {}")
            conn.close()
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise SystemExit(f"server on port {port} did not start in {seconds} s")


def _client_process(port: int, path: str, texts: dict[str, str], threads: int, until: float,
                    offset: int, out: multiprocessing.Queue) -> None:
    """One client process: ``threads`` threads, each one keep-alive connection, until the wall-clock deadline."""
    names = sorted(texts)
    samples: list[tuple[str, float, float, int]] = []  # (query, start time, seconds, status)
    lock = threading.Lock()

    def run(index: int) -> None:
        mine: list[tuple[str, float, float, int]] = []
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        i = index
        while time.time() < until:
            name = names[i % len(names)]
            i += 1
            start = time.time()
            try:
                status, _ = post(conn, path, texts[name])
            except (OSError, http.client.HTTPException):
                status = -1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            mine.append((name, start, time.time() - start, status))
        conn.close()
        with lock:
            samples.extend(mine)

    workers = [threading.Thread(target=run, args=(offset + t,)) for t in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    out.put(samples)


def drive(port: int, path: str, texts: dict[str, str], processes: int, threads: int, seconds: float,
          runaway_at: float | None = None) -> tuple[list[tuple[str, float, float, int]], tuple | None]:
    """Run the clients for ``seconds``; optionally send the runaway query ``runaway_at`` s in."""
    ctx = multiprocessing.get_context("spawn")
    out: multiprocessing.Queue = ctx.Queue()
    start = time.time()
    until = start + seconds
    procs = [ctx.Process(target=_client_process, args=(port, path, texts, threads, until, p * threads, out))
             for p in range(processes)]
    for p in procs:
        p.start()
    runaway = None
    if runaway_at is not None:
        time.sleep(runaway_at)
        t0 = time.time()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=seconds + 60)
        try:
            status, body = post(conn, path, RUNAWAY)
        except (OSError, http.client.HTTPException) as exc:
            status, body = -1, str(exc).encode()
        runaway = (t0, time.time(), status, body.decode("utf-8", "replace").strip()[:80])
    samples = []
    for _ in procs:
        samples.extend(out.get(timeout=seconds + 120))
    for p in procs:
        p.join(30)
    return samples, runaway


def pct(values: list[float], q: float) -> float:
    """The q-quantile (0..1) of values, nearest rank; NaN when empty."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def summarise(samples: list, seconds: float) -> dict[str, tuple[float, float, float, int]]:
    """Per query and in total: (requests/s, p50 ms, p99 ms, errors)."""
    by: dict[str, list] = {}
    for name, _start, took, status in samples:
        by.setdefault(name, []).append((took, status))
        by.setdefault("ALL", []).append((took, status))
    table = {}
    for name, rows in by.items():
        ok = [t * 1000 for t, s in rows if s == 200]
        table[name] = (len(ok) / seconds, pct(ok, 0.5), pct(ok, 0.99), sum(1 for _t, s in rows if s != 200))
    return table


def start_ldngraph(port: int, workers: int, timeout: float) -> subprocess.Popen:
    """`ldngraph serve` on 127.0.0.1:port."""
    return subprocess.Popen(
        [sys.executable, "-m", "ldngraph", "serve", "--port", str(port), "--workers", str(workers),
         "--timeout", str(timeout)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT,
    )


def start_oxigraph(port: int, nt: Path, folder: Path, timeout: float) -> subprocess.Popen:
    """`oxigraph serve-read-only` over a store loaded from the same N-Triples."""
    binary = shutil.which("oxigraph")
    if binary is None:
        raise SystemExit("the `oxigraph` binary is missing: pip install oxigraph")
    subprocess.run([binary, "load", "--location", str(folder), "--file", str(nt)], check=True,
                   capture_output=True, timeout=300)
    return subprocess.Popen(
        [binary, "serve-read-only", "--location", str(folder), "--bind", f"127.0.0.1:{port}",
         "--timeout-s", str(int(timeout))],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )


def start_oxigraph_memory(port: int, nt: Path, timeout: float) -> subprocess.Popen:
    """`oxigraph serve` in memory (no --location), filled with the same N-Triples over the Graph Store Protocol."""
    binary = shutil.which("oxigraph")
    if binary is None:
        raise SystemExit("the `oxigraph` binary is missing: pip install oxigraph")
    process = subprocess.Popen([binary, "serve", "--bind", f"127.0.0.1:{port}", "--timeout-s", str(int(timeout))],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wait_ready(port, "/query", process)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    conn.request("POST", "/store?default", body=nt.read_bytes(), headers={"Content-Type": "application/n-triples"})
    response = conn.getresponse()
    response.read()
    conn.close()
    if response.status not in (200, 201, 204):
        raise SystemExit(f"could not load {nt} into the in-memory Oxigraph server: HTTP {response.status}")
    return process


def stop(process: subprocess.Popen) -> None:
    """Stop a server we started."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def same_answers(texts: dict[str, str], servers: dict[str, tuple[int, str]]) -> list[str]:
    """Names of queries whose number of result rows differs between the servers."""
    counts: dict[str, set[int]] = {}
    for port, path in servers.values():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        for name, text in texts.items():
            status, body = post(conn, path, text)
            rows = len(json.loads(body)["results"]["bindings"]) if status == 200 else -status
            counts.setdefault(name, set()).add(rows)
        conn.close()
    return sorted(name for name, seen in counts.items() if len(seen) > 1)


def main() -> None:
    """Run the load on both servers and print the table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=60.0, help="load duration per server")
    parser.add_argument("--processes", type=int, default=4)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="ldngraph serve --workers")
    parser.add_argument("--rounds", type=int, default=4, help="servers take turns in this many slices")
    parser.add_argument("--timeout", type=float, default=5.0, help="query timeout of both servers (s)")
    parser.add_argument("--runaway-seconds", type=float, default=15.0, help="length of the runaway phase")
    parser.add_argument("--only", choices=["ldngraph", "oxigraph"], help="measure one server")
    parser.add_argument("--oxigraph-memory", action="store_true",
                        help="also measure `oxigraph serve` in memory (read-write server, no --location)")
    args = parser.parse_args()
    if args.processes * args.threads > 256 or args.seconds > 600:
        raise SystemExit("bounded: at most 256 clients and 600 s")

    from ldngraph.sparql.store import curated_ntriples

    nt = curated_ntriples()
    texts = query_texts()
    clients = args.processes * args.threads
    results: dict[str, dict] = {}
    runaways: dict[str, tuple] = {}
    with tempfile.TemporaryDirectory() as tmp:
        servers: dict[str, tuple[int, str]] = {}
        procs: dict[str, subprocess.Popen] = {}
        try:
            if args.only in (None, "ldngraph"):
                port = free_port()
                procs["ldngraph"] = start_ldngraph(port, args.workers, args.timeout)
                servers["ldngraph"] = (port, "/sparql")
            if args.only in (None, "oxigraph"):
                port = free_port()
                procs["oxigraph"] = start_oxigraph(port, nt, Path(tmp) / "ox", args.timeout)
                servers["oxigraph"] = (port, "/query")
            if args.oxigraph_memory:
                port = free_port()
                procs["oxigraph-mem"] = start_oxigraph_memory(port, nt, args.timeout)
                servers["oxigraph-mem"] = (port, "/query")
            for name, (port, path) in servers.items():
                wait_ready(port, path, procs[name])
            differ = same_answers(texts, servers)
            if differ:
                print(f"WARNING: row counts differ between servers for {', '.join(differ)}", file=sys.stderr)
            # the servers take turns (--rounds slices each), so a change in the machine's other load
            # during the run falls on all of them alike
            collected: dict[str, list] = {name: [] for name in servers}
            for round_no in range(args.rounds):
                for name, (port, path) in servers.items():
                    print(f"... round {round_no + 1}/{args.rounds} {name}: {clients} clients for "
                          f"{args.seconds / args.rounds:g} s", file=sys.stderr)
                    samples, _ = drive(port, path, texts, args.processes, args.threads, args.seconds / args.rounds)
                    collected[name].extend(samples)
            for name, (port, path) in servers.items():
                results[name] = summarise(collected[name], args.seconds)
                print(f"... {name}: runaway phase ({args.runaway_seconds:g} s)", file=sys.stderr)
                samples, runaway = drive(port, path, texts, args.processes, args.threads, args.runaway_seconds,
                                         runaway_at=2.0)
                t0, t1, status, body = runaway
                during = [took * 1000 for _n, start, took, s in samples if s == 200 and t0 <= start <= t1]
                errors = sum(1 for _n, start, _t, s in samples if s != 200 and t0 <= start <= t1)
                runaways[name] = (t1 - t0, status, body, pct(during, 0.5), pct(during, 0.99), len(during), errors)
        finally:
            for process in procs.values():
                stop(process)

    names = sorted(texts) + ["ALL"]
    servers_done = list(results)
    header = ["query"] + [f"{s} {col}" for s in servers_done for col in ("req/s", "p50 ms", "p99 ms", "err")]
    others = [s for s in servers_done if s != "ldngraph"] if "ldngraph" in servers_done else []
    header += [f"ldngraph/{s} req/s" for s in others]
    rows = []
    for name in names:
        row = [name]
        for server in servers_done:
            rps, p50, p99, err = results[server].get(name, (0.0, float("nan"), float("nan"), 0))
            row += [f"{rps:.1f}", f"{p50:.1f}", f"{p99:.1f}", str(err)]
        for other in others:
            a, b = results["ldngraph"]["ALL"][0], results[other]["ALL"][0]
            row.append(f"{a / b:.2f}" if name == "ALL" and b else "")
        rows.append(row)
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
    print(f"\n{clients} clients ({args.processes} processes x {args.threads} threads, keep-alive), "
          f"{args.seconds:g} s per server in {args.rounds} turns, {os.cpu_count()} CPUs, "
          f"ldngraph --workers {args.workers}, timeout {args.timeout:g} s")
    print("| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in rows:
        print("| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |")
    for server in servers_done:
        took, status, body, p50, p99, n, errors = runaways[server]
        base_p99 = results[server]["ALL"][2]
        print(f"runaway on {server}: HTTP {status} after {took:.1f} s ({body!r}); other clients meanwhile: "
              f"{n} answers, {errors} errors, p50 {p50:.1f} ms, p99 {p99:.1f} ms "
              f"(p99 without runaway {base_p99:.1f} ms)")


if __name__ == "__main__":
    main()
