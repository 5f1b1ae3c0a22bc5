"""Benchmark the stores on graphs shaped like the curated one, at 10^4, 10^5 and 10^6 triples.

For each tier, a synthetic graph with the curated graph's node kinds, predicates and claim structure
(reified ldn:Claim nodes with subject/predicate/object, study, evidence level, direction, layer,
status, discrepancy, regimen...) is generated, merged with the curated graph (build/ldngraph.nt),
and loaded into each store in a fresh subprocess; the subprocess reports load time, peak memory
(ru_maxrss) and each named query's median latency. One table is printed, with each query's ratio
against the embedded default (Oxigraph in memory) measured in the same run; its first row is the curated
graph alone.

    python benchmarks/bench_sparql.py                 # tiers 1e4, 1e5, 1e6 (a few minutes)
    python benchmarks/bench_sparql.py --max-tier 5    # quick check: 1e4 and 1e5
    python benchmarks/bench_sparql.py --min-tier 7 --max-tier 7 --stores oxigraph-memory,oxigraph-disk
                                                      # 1e7, Hetionet scale (measured: 9 min, 4.3 GB RAM)
    python benchmarks/bench_sparql.py --max-tier 6 --stores oxigraph-memory,virtuoso
                                                      # beside a real Virtuoso 7 (virtuoso-t installed): it is
                                                      # started on 127.0.0.1 in a temporary folder and loaded
                                                      # with `ldngraph push`; "load" is the push, "peak" its
                                                      # server's memory, and its first (plan-compiling) run of
                                                      # each query is listed under the table
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from ldngraph.core.namespaces import finding_iri, statement_iri  # noqa: E402

ID = "https://w3id.org/ldngraph/id/"
V = "https://w3id.org/ldngraph/vocab#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
ALT = "http://www.w3.org/2004/02/skos/core#altLabel"
IDENT = "http://purl.org/dc/terms/identifier"
XSD = "http://www.w3.org/2001/XMLSchema#"
LEVELS = ["rct", "controlled", "uncontrolled", "case_report", "animal", "in_vitro", "mechanism_hypothesis", "anecdote"]
CLINICAL = {"rct", "controlled", "uncontrolled", "case_report"}
PRECLINICAL = {"animal", "in_vitro"}
DESIGNS = ["randomised_controlled_trial", "randomised_crossover_trial", "open_label_pilot", "case_series",
           "case_report", "animal_study", "in_vitro_study", "prospective_cohort"]
STATUSES = ["published", "completed", "recruiting", "unknown", "suspended"]
# Directions, disputed and discrepancy rates as measured in the curated graph (`ldngraph stats`: 245 supports,
# 8 mixed, 2 no_effect, 11 contradicts of 266 claims; 6 disputed; 24 with a discrepancy). An earlier version
# drew 30% non-supporting directions, which put 86% of the synthetic claims into `contested` at 10^6 (23% in the
# curated graph).
DIRECTIONS = ["supports"] * 92 + ["mixed"] * 3 + ["no_effect"] * 1 + ["contradicts"] * 4
DISPUTED_RATE = 6 / 266
DISCREPANCY_RATE = 24 / 266
CURATED_CONDITIONS = ["fibromyalgia", "crohns-disease", "multiple-sclerosis", "crps"]
STORES = ["oxigraph-memory", "oxigraph-disk", "rdflib-memory"]
OPTIONAL_STORES = ["virtuoso"]  # only when asked for with --stores
DEFAULT = "oxigraph-memory"
PARAMS = {"condition": "fibromyalgia", "source": "003_31158820d64b0034"}


def _iri(value: str) -> str:
    return f"<{value}>"


def _lit(value: str, datatype: str | None = None) -> str:
    text = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"^^<{XSD}{datatype}>' if datatype else f'"{text}"'


def generate_lines(target: int, seed: int = 7) -> Iterator[str]:
    """N-Triples lines of a synthetic evidence graph with about ``target`` triples (node ids start 'syn-')."""
    rnd = random.Random(seed)
    claims = max(20, round(target / 18.8))  # about 18.8 distinct triples per claim with its nodes
    pools = {
        "condition": max(20, claims // 200),
        "protein": max(10, claims // 100),
        "cell": max(5, claims // 300),
        "process": max(10, claims // 100),
        "regimen": 20,
        "study": max(10, claims // 10),
        "source": max(5, claims // 50),
        "org": max(3, claims // 500),
        "adverse": max(5, claims // 500),
    }
    classes = {"condition": "Condition", "protein": "Protein", "cell": "CellType", "process": "BiologicalProcess",
               "regimen": "DoseRegimen", "study": "Study", "source": "SourceArticle", "org": "Organisation",
               "adverse": "AdverseEffect"}

    def node(kind: str, i: int) -> str:
        return f"{ID}syn-{kind}-{i}"

    for kind, count in pools.items():
        for i in range(count):
            s = _iri(node(kind, i))
            yield f"{s} <{RDF_TYPE}> <{V}{classes[kind]}> ."
            yield f"{s} <{IDENT}> {_lit(f'syn-{kind}-{i}')} ."
            yield f"{s} <{LABEL}> {_lit(f'synthetic {kind} {i}')} ."
            if kind == "condition":
                yield f"{s} <{ALT}> {_lit(f'syn {kind} {i}')} ."
            if kind == "regimen":
                yield f"{s} <{V}regimen_of> <{ID}naltrexone> ."
                band = "low" if i % 2 == 0 else "standard"
                yield f"{s} <{V}dose_band> <https://w3id.org/ldngraph/vocab/band/{band}> ."
            if kind == "study":
                yield f"{s} <{V}design> <https://w3id.org/ldngraph/vocab/design/{rnd.choice(DESIGNS)}> ."
                yield f"{s} <{V}status> <https://w3id.org/ldngraph/vocab/status/{rnd.choice(STATUSES)}> ."
                yield f"{s} <{V}year> {_lit(str(rnd.randint(1980, 2025)), 'integer')} ."
                yield f"{s} <{V}n_enrolled> {_lit(str(rnd.randint(1, 400)), 'integer')} ."
                if rnd.random() < 0.3:
                    yield f"{s} <{V}nct> {_lit(f'NCT9{i:07d}')} ."
                yield f"{s} <{V}conducted_by> {_iri(node('org', rnd.randrange(pools['org'])))} ."
                yield f"{s} <{V}investigates> {_iri(_condition(rnd, pools))} ."

    def pick(kind: str) -> str:
        return node(kind, rnd.randrange(pools[kind]))

    def drug_or_regimen() -> str:
        return f"{ID}naltrexone" if rnd.random() < 0.3 else pick("regimen")

    shapes = [
        ("studied_for", drug_or_regimen, lambda: _condition(rnd, pools), None, 40),
        ("antagonist_of", drug_or_regimen, lambda: pick("protein"), "mechanistic", 8),
        ("expressed_in", lambda: pick("protein"), lambda: pick("cell"), "mechanistic", 8),
        ("mediates", lambda: pick("cell"), lambda: pick("process"), "mechanistic", 8),
        ("contributes_to", lambda: pick("process"), lambda: _condition(rnd, pools), "mechanistic", 8),
        ("decreases", drug_or_regimen, lambda: pick("process"), "mechanistic", 8),
        ("has_adverse_effect", drug_or_regimen, lambda: pick("adverse"), "safety", 10),
        ("indicated_for", drug_or_regimen, lambda: _condition(rnd, pools), "context", 10),
    ]
    weighted = [shape for shape in shapes for _ in range(shape[4])]
    layer_class = {"clinical": "ClinicalClaim", "preclinical": "PreclinicalClaim", "hypothesis": "HypothesisClaim",
                   "mechanistic": "MechanisticClaim", "safety": "SafetyClaim", "context": "ContextClaim"}
    for i in range(claims):
        predicate, subj, obj, layer, _w = rnd.choice(weighted)
        level = rnd.choice(LEVELS)
        if layer is None:
            layer = "clinical" if level in CLINICAL else "preclinical" if level in PRECLINICAL else "hypothesis"
        c = _iri(f"{ID}syn-claim-{i}")
        s, o = subj(), obj()
        disputed = rnd.random() < DISPUTED_RATE
        yield f"{c} <{RDF_TYPE}> <{V}Claim> ."
        yield f"{c} <{RDF_TYPE}> <{V}{layer_class[layer]}> ."
        yield f"{c} <{IDENT}> {_lit(f'syn-claim-{i}')} ."
        yield f"{c} <{V}subject> {_iri(s)} ."
        yield f"{c} <{V}predicate> <{V}{predicate}> ."
        yield f"{c} <{V}object> {_iri(o)} ."
        yield f"{c} <{V}statement> {_iri(statement_iri(s[len(ID):], predicate, o[len(ID):]))} ."
        if not disputed:
            yield f"{_iri(s)} <{V}{predicate}> {_iri(o)} ."
        source = pick("source")
        yield f"{c} <{V}source> {_iri(source)} ."
        yield f"{c} <{V}quote> {_lit(f'synthetic quote number {i} about {predicate}')} ."
        study = pick("study")
        yield f"{c} <{V}study> {_iri(study)} ."
        yield f"{c} <{V}finding> {_iri(finding_iri(study[len(ID):], predicate, o[len(ID):]))} ."
        yield f"{_iri(study)} <{V}reported_in> {_iri(source)} ."
        yield f"{c} <{V}evidence_level> <https://w3id.org/ldngraph/vocab/level/{level}> ."
        yield f"{c} <{V}direction> <https://w3id.org/ldngraph/vocab/direction/{rnd.choice(DIRECTIONS)}> ."
        yield f"{c} <{V}layer> <https://w3id.org/ldngraph/vocab/layer/{layer}> ."
        status = "disputed" if disputed else "asserted"
        yield f"{c} <{V}claim_status> <https://w3id.org/ldngraph/vocab/status/{status}> ."
        if rnd.random() < 0.5:
            yield f"{c} <{V}regimen> {_iri(pick('regimen'))} ."
        if rnd.random() < 0.3:
            yield f"{c} <{V}n> {_lit(str(rnd.randint(1, 300)), 'integer')} ."
            yield f"{c} <{V}effect> {_lit(f'effect {i}')} ."
        if rnd.random() < DISCREPANCY_RATE:
            yield f"{c} <{V}discrepancy> <https://w3id.org/ldngraph/vocab/discrepancy/overstated> ."
            yield f"{c} <{V}primary_says> {_lit(f'the primary record of claim {i} says otherwise')} ."


def generate(target: int, seed: int = 7) -> str:
    """N-Triples text of a synthetic evidence graph with about ``target`` triples."""
    return "".join(line + "\n" for line in generate_lines(target, seed))


def write_generated(path: Path, head: bytes, target: int) -> None:
    """Write ``head`` (the curated graph) then about ``target`` synthetic triples to ``path``, streamed."""
    with open(path, "wb") as out:
        out.write(head)
        out.writelines((line + "\n").encode("utf-8") for line in generate_lines(target))


def _condition(rnd: random.Random, pools: dict[str, int]) -> str:
    if rnd.random() < 0.01:
        return ID + rnd.choice(CURATED_CONDITIONS)
    return f"{ID}syn-condition-{rnd.randrange(pools['condition'])}"


# ---------------------------------------------------------------------------------------------
# One measurement, in its own process


class _Timeout(BaseException):  # not an Exception: the stores must not wrap it
    pass


def _alarm(_signum: int, _frame: object) -> None:
    raise _Timeout


def measure(store_kind: str, data: Path, repeats: int, query_timeout: float) -> dict:
    """Load ``data`` into a store, time every named query; returns a JSON-able dict."""
    from ldngraph.sparql.named_queries import list_queries
    from ldngraph.sparql.query import bind_parameters
    from ldngraph.sparql.store import OxigraphStore, RdflibStore

    start = time.perf_counter()
    tmp = None
    server = contextlib.ExitStack()
    if store_kind == "virtuoso":
        store, virtuoso = _virtuoso(data, server)
    elif store_kind == "oxigraph-memory":
        store = OxigraphStore()
    elif store_kind == "oxigraph-disk":
        tmp = tempfile.mkdtemp(prefix="ldngraph-bench-")
        store = OxigraphStore(Path(tmp) / "store")
    else:
        store = RdflibStore()
    if store_kind != "virtuoso":
        store.load_file(data)
    if isinstance(store, OxigraphStore) and store.path is not None:
        store.flush()
    load = time.perf_counter() - start
    triples = store.triple_count()
    print(f"  {store_kind}: loaded {triples:,} triples in {load:.1f} s", file=sys.stderr, flush=True)
    timings: dict[str, float | None] = {}
    first: dict[str, float] = {}
    rows: dict[str, int] = {}
    signal.signal(signal.SIGALRM, _alarm)
    for named in list_queries():
        values = {p.name: PARAMS[p.name] for p in named.params}
        bindings = bind_parameters(store, named, values)
        samples = []
        try:
            for _ in range(repeats):
                signal.setitimer(signal.ITIMER_REAL, query_timeout)
                t0 = time.perf_counter()
                result = store.execute(named.text, bindings)
                samples.append(time.perf_counter() - t0)
                first.setdefault(named.name, samples[0])
                signal.setitimer(signal.ITIMER_REAL, 0)
                rows[named.name] = len(result.rows)
            timings[named.name] = statistics.median(samples)
        except _Timeout:
            timings[named.name] = None
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        done = "timeout" if timings[named.name] is None else f"{timings[named.name] * 1000:.1f} ms"
        print(f"    {named.name}: {done}", file=sys.stderr, flush=True)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if store_kind == "virtuoso":  # the server's memory, not this client's
        peak_kb = _peak_kb(virtuoso.process.pid)
        server.close()
    if tmp:
        import shutil

        shutil.rmtree(tmp, ignore_errors=True)
    return {"store": store_kind, "load_s": load, "triples": triples, "peak_kb": peak_kb, "queries": timings,
            "rows": rows, "first": first}


def _virtuoso(data: Path, stack: contextlib.ExitStack) -> tuple:
    """A Virtuoso server started in a temporary folder, loaded with push (progress on stderr)."""
    sys.path.insert(0, str(ROOT / "tests"))
    from virtuoso_server import start_virtuoso

    from ldngraph.sparql.credentials import Credentials
    from ldngraph.sparql.push import push
    from ldngraph.sparql.store import EndpointStore

    folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="ldngraph-bench-virtuoso-")))
    server = stack.enter_context(start_virtuoso(folder, buffers=170000))  # about 1.3 GB of page buffers
    started = time.perf_counter()

    def progress(message: str) -> None:
        print(f"    {time.perf_counter() - started:6.1f} s {message}", file=sys.stderr, flush=True)

    push(server.sparql, data=data.read_bytes(), credentials=Credentials("dba", server.password), timeout=600,
         deadline=4 * 3600, progress=progress)
    return EndpointStore(server.sparql, timeout=3600), server


def _peak_kb(pid: int) -> int:
    """The peak resident memory of a process, from /proc (0 where unknown)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    return next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:")), 0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--max-tier", type=int, default=6, help="largest tier as a power of ten (4 to 7)")
    parser.add_argument("--min-tier", type=int, default=4)
    parser.add_argument("--no-curated", action="store_true", help="leave out the first row, the curated graph alone")
    parser.add_argument("--stores", default=",".join(STORES))
    parser.add_argument("--rdflib-max-tier", type=int, default=6,
                        help="skip rdflib above this tier (at 10^7 it would need about 22 GB)")
    parser.add_argument("--repeats", type=int, default=5, help="runs per query (median reported)")
    parser.add_argument("--query-timeout", type=float, default=60.0, help="give up on one query after this many s")
    parser.add_argument("--worker", nargs=2, metavar=("STORE", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        store_kind, data = args.worker
        repeats = args.repeats if store_kind != "rdflib-memory" else max(1, min(args.repeats, 3))
        print(json.dumps(measure(store_kind, Path(data), repeats, args.query_timeout)))
        return
    from ldngraph.sparql.named_queries import query_names
    from ldngraph.sparql.store import curated_ntriples

    curated = curated_ntriples().read_bytes()
    names = query_names()
    results: list[dict] = []
    workdir = Path(tempfile.mkdtemp(prefix="ldngraph-bench-data-"))
    stores = [s for s in args.stores.split(",") if s]
    tiers = ([] if args.no_curated else [0]) + list(range(args.min_tier, args.max_tier + 1))
    for tier in tiers:
        data = workdir / f"tier{tier}.nt"
        t0 = time.perf_counter()
        if tier == 0:  # the curated graph alone
            data.write_bytes(curated)
        else:
            write_generated(data, curated, 10**tier - curated.count(b"\n"))
        print(f"{_graph_name(tier)}: generated {data.stat().st_size / 1e6:.1f} MB in {time.perf_counter() - t0:.1f} s",
              file=sys.stderr)
        for store_kind in stores:
            if store_kind == "rdflib-memory" and tier > args.rdflib_max_tier:
                print(f"  {store_kind}: skipped above 1e{args.rdflib_max_tier} (--rdflib-max-tier)", file=sys.stderr)
                continue
            t0 = time.perf_counter()
            # The worker's progress goes straight to this terminal; its result is the last line of stdout.
            proc = subprocess.run(
                [sys.executable, __file__, "--worker", store_kind, str(data), "--repeats", str(args.repeats),
                 "--query-timeout", str(args.query_timeout)],
                stdout=subprocess.PIPE, text=True, timeout=4 * 3600, env={**os.environ, "PYTHONHASHSEED": "0"},
            )
            if proc.returncode != 0:
                print(f"  {store_kind}: failed with exit code {proc.returncode}", file=sys.stderr)
                continue
            result = json.loads(proc.stdout.strip().splitlines()[-1])
            result["tier"] = tier
            results.append(result)
            print(f"  {store_kind}: {time.perf_counter() - t0:.1f} s", file=sys.stderr)
        data.unlink()
    workdir.rmdir()
    print(render(results, names))


def render(results: list[dict], names: list[str]) -> str:
    """One Markdown table: load, memory and each query's median, with the ratio to the default store."""
    head = ["graph", "triples", "store", "load s", "triples/s", "peak MB", "KB/triple", *names]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    by_tier: dict[int, dict[str, dict]] = {}
    for r in results:
        by_tier.setdefault(r["tier"], {})[r["store"]] = r
    for tier in sorted(by_tier):
        base = by_tier[tier].get(DEFAULT)
        for store_kind, r in by_tier[tier].items():
            cells = [_graph_name(tier), f"{r['triples']:,}", store_kind, f"{r['load_s']:.2f}",
                     f"{r['triples'] / r['load_s']:,.0f}", f"{r['peak_kb'] / 1024:.0f}",
                     f"{r['peak_kb'] / r['triples']:.2f}"]
            for name in names:
                t = r["queries"].get(name)
                if t is None:
                    cells.append("timeout")
                    continue
                ms = f"{t * 1000:.1f} ms"
                b = base["queries"].get(name) if base else None
                if store_kind != DEFAULT and b:
                    ms += f" (x{t / b:.0f})" if t / b >= 10 else f" (x{t / b:.1f})"
                cells.append(ms)
            lines.append("| " + " | ".join(cells) + " |")
    for r in results:
        if r["store"] == "virtuoso" and r.get("first"):
            firsts = ", ".join(f"{name} {r['first'][name] * 1000:.0f} ms" for name in names if name in r["first"])
            lines.append(f"\n{_graph_name(r['tier'])} virtuoso, first run of each query (compiles its plan): {firsts}")
    return "\n".join(lines)


def _graph_name(tier: int) -> str:
    return "curated" if tier == 0 else f"1e{tier}"


if __name__ == "__main__":
    main()
