"""Load test: `ldngraph serve` against `oxigraph serve-read-only` on the same graph and named queries.

Both servers run on 127.0.0.1 (free ports) over build/ldngraph.nt. Every named query is sent with its parameters
inlined (a VALUES block written by pyoxigraph's N-Triples serialiser, the same text for both servers). Clients are
``--processes`` x ``--threads`` (default 4 x 8 = 32), each with one keep-alive HTTP/1.1 connection, cycling through
the queries for ``--seconds`` (default 60; the servers take turns in ``--rounds`` slices so that other load on the
machine falls on both alike). Table: requests/s, p50 and p99 latency and errors per query for each server. Then a
runaway query (a cartesian product) is sent to each server while the clients run; their p99 meanwhile is printed.

Two more scenarios (decision 0010), a table each: ``starvation``, the clients' throughput without and with
hostile clients sending the runaway back to back (one, then ``--workers``), in ``--rounds`` alternating slices
(target: 70% of normal with one); ``slowloris``, ``--slowloris`` silent connections (1,100; every tenth drips a
header byte a second) against servers with 1024 open files: the clients' throughput and errors, the server's CPU,
how many silent connections it closed. Servers are always started with a 1024 open-file limit.

    python benchmarks/bench_load.py                     # 32 clients, 60 s per server (about 3 minutes)
    python benchmarks/bench_load.py --seconds 10        # quick look
    python benchmarks/bench_load.py --oxigraph-memory   # also `oxigraph serve` in memory (fairer: no disk)
    python benchmarks/bench_load.py --scenarios starvation,slowloris --only ldngraph --scenario-seconds 10
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
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
            if post(http.client.HTTPConnection("127.0.0.1", port, timeout=2), path, "ASK {}")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise SystemExit(f"server on port {port} did not start in {seconds} s")


def _client_process(port: int, path: str, texts: dict[str, str], threads: int, until: float,
                    offset: int, out: multiprocessing.Queue, timeout: float = 120) -> None:
    """One client process: ``threads`` threads, each one keep-alive connection, until the wall-clock deadline."""
    names = sorted(texts)
    samples: list[tuple[str, float, float, int]] = []  # (query, start time, seconds, status)
    lock = threading.Lock()

    def run(index: int) -> None:
        mine: list[tuple[str, float, float, int]] = []
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        i = index
        while time.time() < until:
            name, i = names[i % len(names)], i + 1
            start = time.time()
            try:
                status, _ = post(conn, path, texts[name])
            except (OSError, http.client.HTTPException):
                status = -1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
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
          runaway_at: float | None = None, timeout: float = 120) -> tuple[list[tuple], tuple | None]:
    """Run the clients for ``seconds``; optionally send the runaway query ``runaway_at`` s in."""
    ctx = multiprocessing.get_context("spawn")
    out: multiprocessing.Queue = ctx.Queue()
    until = time.time() + seconds
    procs = [ctx.Process(target=_client_process, args=(port, path, texts, threads, until, p * threads, out, timeout))
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
    return sorted(values)[min(len(values) - 1, int(q * len(values)))]


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


def _file_limit_1024() -> None:
    """In a server's process: the common default of 1024 open files (so the slowloris figures compare)."""
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(1024, hard), hard))


def start_ldngraph(port: int, workers: int, timeout: float) -> subprocess.Popen:
    """`ldngraph serve` on 127.0.0.1:port."""
    return subprocess.Popen(
        [sys.executable, "-m", "ldngraph", "serve", "--port", str(port), "--workers", str(workers),
         "--timeout", str(timeout)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT, preexec_fn=_file_limit_1024,
    )


def oxigraph_binary() -> str:
    """The `oxigraph` command (the pip package ships it), on PATH or beside this interpreter."""
    found = shutil.which("oxigraph") or shutil.which("oxigraph", path=str(Path(sys.executable).parent))
    return found or sys.exit("the `oxigraph` binary is missing: pip install oxigraph")


def start_oxigraph(port: int, nt: Path, folder: Path, timeout: float) -> subprocess.Popen:
    """`oxigraph serve-read-only` over a store loaded from the same N-Triples."""
    binary = oxigraph_binary()
    subprocess.run([binary, "load", "--location", str(folder), "--file", str(nt)], check=True,
                   capture_output=True, timeout=300)
    return subprocess.Popen(
        [binary, "serve-read-only", "--location", str(folder), "--bind", f"127.0.0.1:{port}",
         "--timeout-s", str(int(timeout))],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, preexec_fn=_file_limit_1024,
    )


def start_oxigraph_memory(port: int, nt: Path, timeout: float) -> subprocess.Popen:
    """`oxigraph serve` in memory (no --location), filled with the same N-Triples over the Graph Store Protocol."""
    process = subprocess.Popen([oxigraph_binary(), "serve", "--bind", f"127.0.0.1:{port}", "--timeout-s",
                                str(int(timeout))], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               preexec_fn=_file_limit_1024)
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


def hostile_runaways(port: int, path: str, count: int, until: float) -> tuple[list, list[threading.Thread]]:
    """``count`` clients sending the runaway query back to back (no pause, Retry-After ignored) until ``until``."""
    replies: list[tuple[int, float, str]] = []

    def loop() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        while time.time() < until:
            t0 = time.time()
            try:
                status, body = post(conn, path, RUNAWAY)
            except (OSError, http.client.HTTPException) as exc:
                status, body = -1, str(exc).encode()
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
                time.sleep(0.05)
            replies.append((status, time.time() - t0, body.decode("utf-8", "replace").strip()[:40]))
        conn.close()

    threads = [threading.Thread(target=loop, daemon=True) for _ in range(count)]
    for thread in threads:
        thread.start()
    return replies, threads


def ok_rate(samples: list, seconds: float) -> tuple[float, float, int]:
    """(answers/s, p99 ms, errors) of a phase."""
    rps, _p50, p99, errors = summarise(samples, seconds).get("ALL", (0.0, float("nan"), float("nan"), 0))
    return rps, p99, errors


def starvation(port: int, path: str, texts: dict[str, str], args: argparse.Namespace) -> list[list[str]]:
    """Clients' throughput without, then with, hostile runaway clients (1, then --workers of them)."""
    rows = []
    piece = args.scenario_seconds / args.rounds
    for hostile in sorted({1, args.workers}):
        normal: list = []
        loaded: list = []
        replies: list = []
        for _ in range(args.rounds):  # alternate, so a change in the machine's other load falls on both
            normal.extend(drive(port, path, texts, args.processes, args.threads, piece)[0])
            got, threads = hostile_runaways(port, path, hostile, time.time() + piece)
            loaded.extend(drive(port, path, texts, args.processes, args.threads, piece)[0])
            for thread in threads:
                thread.join(args.timeout + 60)
            replies.extend(got)
        base, base_p99, _ = ok_rate(normal, args.scenario_seconds)
        rate, p99, errors = ok_rate(loaded, args.scenario_seconds)
        kinds = Counter(f"{status} {' '.join(body.split()[:3])}" for status, _took, body in replies)
        rows.append([str(hostile), f"{base:.1f}", f"{rate:.1f}", f"{100 * rate / base:.0f}%" if base else "-",
                     f"{base_p99:.0f}", f"{p99:.0f}", str(errors), "; ".join(f"{k} x{n}" for k, n in
                                                                           kinds.most_common())])
    return rows


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) a process has used so far, from /proc."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def open_silent(port: int, count: int) -> list[socket.socket]:
    """Up to ``count`` connections that send nothing (a connect that does not finish in 0.2 s is dropped)."""
    opened = []
    for _ in range(count):
        try:
            opened.append(socket.create_connection(("127.0.0.1", port), timeout=0.2))
        except OSError:
            pass
    return opened


def still_open(sock: socket.socket) -> bool:
    """False when the server has closed (or reset) the connection."""
    sock.setblocking(False)
    try:
        return sock.recv(1, socket.MSG_PEEK) != b""
    except OSError as exc:
        return isinstance(exc, BlockingIOError)


def slowloris(port: int, path: str, texts: dict[str, str], args: argparse.Namespace, pid: int) -> list[str]:
    """The clients without, then with, ``--slowloris`` silent connections (every tenth dripping a header)."""
    half = args.scenario_seconds / 2
    base, base_p99, _ = ok_rate(drive(port, path, texts, args.processes, args.threads, half, timeout=10)[0], half)
    silent = open_silent(port, args.slowloris)
    until = time.time() + half + 5
    drip = threading.Thread(target=_drip, args=(silent[::10], until), daemon=True)
    drip.start()
    t0, cpu0 = time.monotonic(), cpu_seconds(pid)
    try:
        ok = post(http.client.HTTPConnection("127.0.0.1", port, timeout=10), path, "ASK {}")[0] == 200
        first = f"{(time.monotonic() - t0) * 1000:.0f} ms" if ok else "error"
    except (OSError, http.client.HTTPException):
        first = "no answer in 10 s"
    samples, _ = drive(port, path, texts, args.processes, args.threads, half, timeout=10)
    cpu = 100 * (cpu_seconds(pid) - cpu0) / (time.monotonic() - t0)
    rate, p99, errors = ok_rate(samples, half)
    closed = sum(1 for sock in silent if not still_open(sock))
    for sock in silent:
        sock.close()
    drip.join(10)
    return [str(len(silent)), first, f"{base:.1f}", f"{rate:.1f}", f"{100 * rate / base:.0f}%" if base else "-",
            f"{base_p99:.0f}", f"{p99:.0f}", str(errors), f"{cpu:.0f}%", str(closed)]


def _drip(socks: list[socket.socket], until: float) -> None:
    """Slowloris: a partial request, then one header byte a second on each socket, until ``until``."""
    data = b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nX-a: "
    while time.time() < until:
        for sock in socks:
            try:
                sock.send(data)
            except OSError:
                pass
        data = b"a"
        time.sleep(1)


def print_table(title: str, header: list[str], rows: list[list[str]]) -> None:
    """A markdown table with a title line."""
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(header)]
    print(f"\n{title}")
    print("| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in rows:
        print("| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |")


def parse_args() -> argparse.Namespace:
    """The command line."""
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
    parser.add_argument("--scenarios", default="throughput,starvation,slowloris",
                        help="comma-separated: throughput (with the single runaway), starvation, slowloris")
    parser.add_argument("--scenario-seconds", type=float, default=20.0,
                        help="starvation: seconds without, as many with, the hostile clients; slowloris: half, half")
    parser.add_argument("--slowloris", type=int, default=1100, help="silent connections in the slowloris scenario")
    args = parser.parse_args()
    args.scenarios = {s.strip() for s in args.scenarios.split(",") if s.strip()}
    if args.processes * args.threads > 256 or args.seconds > 600 or args.scenario_seconds > 600:
        raise SystemExit("bounded: at most 256 clients and 600 s")
    if args.slowloris > 5000 or not args.scenarios <= {"throughput", "starvation", "slowloris"}:
        raise SystemExit("bounded: at most 5000 silent connections; scenarios: throughput, starvation, slowloris")
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if "slowloris" in args.scenarios and soft < args.slowloris + 256:  # this process holds them all
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(args.slowloris + 256, hard), hard))
        args.slowloris = min(args.slowloris, hard - 256)
    return args


def throughput(servers: dict[str, tuple[int, str]], texts: dict[str, str], args: argparse.Namespace) -> None:
    """The turns of plain load on every server, then a single runaway on each; prints the first table."""
    clients, piece = args.processes * args.threads, args.seconds / args.rounds
    collected: dict[str, list] = {name: [] for name in servers}
    for round_no in range(args.rounds):
        for name, (port, path) in servers.items():
            print(f"... round {round_no + 1}/{args.rounds} {name}: {clients} clients for {piece:g} s", file=sys.stderr)
            collected[name].extend(drive(port, path, texts, args.processes, args.threads, piece)[0])
    results = {name: summarise(samples, args.seconds) for name, samples in collected.items()}
    notes = []
    for name, (port, path) in servers.items():
        print(f"... {name}: runaway phase ({args.runaway_seconds:g} s)", file=sys.stderr)
        samples, (t0, t1, status, body) = drive(port, path, texts, args.processes, args.threads,
                                                args.runaway_seconds, runaway_at=2.0)
        during = [took * 1000 for _n, start, took, s in samples if s == 200 and t0 <= start <= t1]
        errors = sum(1 for _n, start, _t, s in samples if s != 200 and t0 <= start <= t1)
        notes.append(f"runaway on {name}: HTTP {status} after {t1 - t0:.1f} s ({body!r}); other clients meanwhile: "
                     f"{len(during)} answers, {errors} errors, p50 {pct(during, 0.5):.1f} ms, p99 "
                     f"{pct(during, 0.99):.1f} ms (p99 without runaway {results[name]['ALL'][2]:.1f} ms)")
    header = ["query"] + [f"{s} {col}" for s in results for col in ("req/s", "p50 ms", "p99 ms", "err")]
    others = [s for s in results if s != "ldngraph"] if "ldngraph" in results else []
    header += [f"ldngraph/{s} req/s" for s in others]
    rows = []
    for name in sorted(texts) + ["ALL"]:
        row = [name]
        for server in results:
            rps, p50, p99, err = results[server].get(name, (0.0, float("nan"), float("nan"), 0))
            row += [f"{rps:.1f}", f"{p50:.1f}", f"{p99:.1f}", str(err)]
        a = results.get("ldngraph", {}).get("ALL", (0.0,))[0]
        rows.append(row + [f"{a / results[o]['ALL'][0]:.2f}" if name == "ALL" and results[o]["ALL"][0] else ""
                           for o in others])
    print_table(f"{clients} clients ({args.processes} processes x {args.threads} threads, keep-alive), "
                f"{args.seconds:g} s per server in {args.rounds} turns, {os.cpu_count()} CPUs, "
                f"ldngraph --workers {args.workers}, timeout {args.timeout:g} s", header, rows)
    print("\n".join(notes))


def main() -> None:
    """Run the scenarios on the servers and print their tables."""
    args = parse_args()
    from ldngraph.sparql.store import curated_ntriples

    nt = curated_ntriples()
    texts = query_texts()
    clients = args.processes * args.threads
    starved: list[list[str]] = []
    loris: list[list[str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        starters = {
            "ldngraph": (args.only in (None, "ldngraph"), "/sparql",
                         lambda port: start_ldngraph(port, args.workers, args.timeout)),
            "oxigraph": (args.only in (None, "oxigraph"), "/query",
                         lambda port: start_oxigraph(port, nt, Path(tmp) / "ox", args.timeout)),
            "oxigraph-mem": (args.oxigraph_memory, "/query",
                             lambda port: start_oxigraph_memory(port, nt, args.timeout)),
        }
        servers: dict[str, tuple[int, str]] = {}
        procs: dict[str, subprocess.Popen] = {}
        try:
            for name, (wanted, path, start) in starters.items():
                if wanted:
                    servers[name] = (free_port(), path)
                    procs[name] = start(servers[name][0])
            for name, (port, path) in servers.items():
                wait_ready(port, path, procs[name])
            if differ := same_answers(texts, servers):
                print(f"WARNING: row counts differ between servers for {', '.join(differ)}", file=sys.stderr)
            if "throughput" in args.scenarios:
                throughput(servers, texts, args)
            for name, (port, path) in servers.items():
                if "starvation" in args.scenarios:
                    print(f"... {name}: starvation ({args.scenario_seconds:g} s per step)", file=sys.stderr)
                    starved += [[name, *row] for row in starvation(port, path, texts, args)]
                if "slowloris" in args.scenarios:
                    print(f"... {name}: slowloris ({args.slowloris} connections)", file=sys.stderr)
                    loris.append([name, *slowloris(port, path, texts, args, procs[name].pid)])
        finally:
            for process in procs.values():
                stop(process)
    if starved:
        print_table(f"starvation: {clients} clients, {args.scenario_seconds:g} s without and with (in {args.rounds} "
                    f"turns) hostile clients that send the runaway back to back (ldngraph --workers {args.workers}, "
                    f"timeout {args.timeout:g} s); target: share >= 70% with one",
                    ["server", "runaways", "req/s without", "req/s with", "share", "p99 ms without",
                     "p99 ms with", "errors", "runaway answers"], starved)
    if loris:
        print_table(f"slowloris: silent connections (every tenth dripping a header byte a second) against servers "
                    f"with 1024 open files, {clients} clients, {args.scenario_seconds / 2:g} s without and with",
                    ["server", "silent", "first answer", "req/s without", "req/s with", "share", "p99 ms without",
                     "p99 ms with", "errors", "server CPU", "closed by server"], loris)


if __name__ == "__main__":
    main()
