"""One interface to the graph, three kinds of store, and :func:`open_store` to get one holding the curated graph.

* :class:`OxigraphStore` in memory: the embedded default (pyoxigraph, no server, nothing to set up).
* :class:`OxigraphStore` on disk (``path=...``): for large graphs merged with ``--with FILE...``.
* :class:`EndpointStore`: any SPARQL 1.1 endpoint (Oxigraph server, Fuseki, GraphDB, Virtuoso, QLever).

:class:`RdflibStore` (rdflib's in-memory store) exists for comparison and tests only.

Every store answers :meth:`Store.execute` with a :class:`QueryResult` whose terms are pyoxigraph terms,
whatever the backend, so output formatting and comparisons are the same everywhere. This module imports
neither rdflib nor pydantic on the query path (see docs/decisions/0002).

Where each part lives (all of them can still be imported from here):

* :mod:`ldngraph.sparql.store_interface`: :class:`Store`, :class:`QueryResult` and the errors.
* :mod:`ldngraph.sparql.oxigraph_store`, :mod:`ldngraph.sparql.rdflib_store`, :mod:`ldngraph.sparql.endpoint_store`:
  the three kinds of store.
* :mod:`ldngraph.sparql.query_text`: query form, WHERE group and parameters bound as a VALUES block.
* :mod:`ldngraph.sparql.rdf_files`: RDF file formats and the progress-reporting reader.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from ldngraph.core import namespaces as ns
from ldngraph.core.problems import LdngraphError
from ldngraph.sparql.endpoint_store import EndpointStore
from ldngraph.sparql.oxigraph_store import OxigraphStore, syntax_message
from ldngraph.sparql.query_text import code_only, inline_values, query_form, subs_names, where_group_start
from ldngraph.sparql.rdf_files import RDF_FORMATS_BY_SUFFIX, rdf_format
from ldngraph.sparql.rdflib_store import RdflibStore, from_rdflib, to_rdflib
from ldngraph.sparql.store_interface import (
    EndpointError,
    Progress,
    QueryError,
    QueryResult,
    QuerySyntaxError,
    Store,
    StoreError,
)

__all__ = [
    "RDF_FORMATS_BY_SUFFIX",
    "STATE_FILE",
    "EndpointError",
    "EndpointStore",
    "OxigraphStore",
    "Progress",
    "QueryError",
    "QueryResult",
    "QuerySyntaxError",
    "RdflibStore",
    "Store",
    "StoreError",
    "code_only",
    "curated_ntriples",
    "default_store",
    "file_uri",
    "from_rdflib",
    "inline_values",
    "open_store",
    "query_form",
    "rdf_format",
    "subs_names",
    "syntax_message",
    "to_rdflib",
    "where_group_start",
]

STATE_FILE = "ldngraph-state.json"


# ---------------------------------------------------------------------------------------------
# The curated graph, kept fresh


def _newest_mtime(folder: Path) -> float:
    newest = 0.0
    for sub in ("records", "vocab", "metagraph.yaml"):
        target = folder / sub
        paths: Iterable[Path] = target.rglob("*") if target.is_dir() else [target]
        for path in paths:
            if path.is_file():
                newest = max(newest, path.stat().st_mtime)
    return newest


def curated_ntriples(
    graph_dir: Path | None = None, build_dir: Path | None = None, *, progress: Progress | None = None
) -> Path:
    """The path of build/ldngraph.nt, rebuilt first (slower) when it is missing, incomplete or older than graph/.

    Incomplete means no manifest vouches for it (an interrupted build). If the records do not validate
    and an older complete build exists, the older build is used with a warning.
    """
    from ldngraph.core.paths import default_build_dir, default_graph_dir
    from ldngraph.rdf.outputs import complete_output

    graph_dir = Path(graph_dir) if graph_dir is not None else default_graph_dir()
    build_dir = Path(build_dir) if build_dir is not None else default_build_dir()
    target = build_dir / "ldngraph.nt"
    complete = complete_output(build_dir, "nt") is not None
    if complete and target.stat().st_mtime >= _newest_mtime(graph_dir):
        return target
    say = progress or (lambda _m: None)
    state = "missing" if not target.is_file() else "incomplete" if not complete else f"older than {graph_dir}"
    say(f"{target} is {state}: rebuilding (slower)")
    from ldngraph.rdf.build import BuildConfig, build

    try:
        build(BuildConfig(graph_dir=graph_dir, out_dir=build_dir, shacl=False), progress=say)
    except LdngraphError as exc:
        if complete_output(build_dir, "nt") is None:
            raise
        first = str(exc).splitlines()[-1] if str(exc) else type(exc).__name__
        say(f"warning: rebuild failed ({first}); querying the previous build {target}")
    return target


# ---------------------------------------------------------------------------------------------
# Opening a store


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _refresh_disk_store(
    store: OxigraphStore, path: Path | str, nt: Path, files: list[Path], progress: Progress | None
) -> None:
    """Reload an on-disk store with the curated graph and ``files``, unless it already holds exactly them.

    What it holds is recorded in :data:`STATE_FILE` inside the store's folder.
    """
    state = {
        "curated": _sha256(nt),
        "extra": [[str(f.resolve()), f.stat().st_size, f.stat().st_mtime] for f in files],
    }
    state_file = Path(path) / STATE_FILE
    try:
        previous = json.loads(state_file.read_text()) if state_file.is_file() else None
    except (OSError, ValueError):
        previous = None
    if previous == state:
        return
    if previous is not None or store.triple_count():
        (progress or (lambda _m: None))(f"the store at {path} holds other data: reloading it")
        store.clear()
    store.load_file(nt, progress=None)
    for file in files:
        store.load_file(file, progress=progress)
    store.flush()
    state_file.write_text(json.dumps(state))


def open_store(
    kind: str = "memory",
    *,
    path: Path | str | None = None,
    endpoint: str | None = None,
    extra: Sequence[Path | str] = (),
    graph_dir: Path | None = None,
    build_dir: Path | None = None,
    default_graph: str | None = ns.GRAPH,
    progress: Progress | None = None,
) -> Store:
    """Open a store holding the curated graph (and ``extra`` RDF files beside it).

    Args:
        kind: ``memory`` (embedded default, pyoxigraph), ``disk`` (pyoxigraph on disk at ``path``),
            ``endpoint`` (remote SPARQL endpoint at ``endpoint``) or ``rdflib`` (comparison only).
        path: folder of the on-disk store (kind ``disk``). It is reloaded only when the curated
            graph or the list of extra files changed since it was filled.
        endpoint: URL of the SPARQL query endpoint (kind ``endpoint``); nothing is loaded there.
        extra: more RDF files to load beside the curated graph (``--with``).
        graph_dir: folder of curated records.
        build_dir: folder of the build output.
        default_graph: for endpoints, the graph queried by default (where ``push`` puts it); None
            for the endpoint's own default graph.
        progress: called with short progress messages.
    """
    if kind == "endpoint":
        if not endpoint:
            raise StoreError("an endpoint store needs --endpoint URL")
        if extra:
            raise StoreError("--with loads files into a local store; push them to the endpoint instead")
        return EndpointStore(endpoint, default_graph=default_graph)
    nt = curated_ntriples(graph_dir, build_dir, progress=progress)
    files = [Path(p) for p in extra]
    for file in files:
        if not file.is_file():
            raise StoreError(f"--with {file}: no such file")
        rdf_format(file)
    if kind == "disk":
        if path is None:
            raise StoreError("an on-disk store needs --path DIR")
        disk_store = OxigraphStore(path)
        _refresh_disk_store(disk_store, path, nt, files, progress)
        return disk_store
    if kind == "memory":
        store: OxigraphStore | RdflibStore = OxigraphStore()
    elif kind == "rdflib":
        store = RdflibStore()
    else:
        raise StoreError(f"unknown store kind {kind!r}; choose memory, disk, endpoint or rdflib")
    store.load_file(nt)
    for file in files:
        store.load_file(file, progress=progress)
    return store


def default_store() -> OxigraphStore:
    """The embedded default: the curated graph in an in-memory Oxigraph store."""
    store = open_store("memory")
    assert isinstance(store, OxigraphStore)
    return store


def file_uri(path: Path) -> str:
    """A file: IRI for a local path."""
    return Path(os.path.abspath(path)).as_uri()
