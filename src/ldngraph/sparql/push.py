"""Upload the curated graph to a triple store with the SPARQL 1.1 Graph Store Protocol.

``PUT <store-url>?graph=<IRI>`` replaces the named graph, so pushing again never duplicates triples.
The Graph Store URL is derived from the query endpoint for the common servers (Oxigraph
``/query`` -> ``/store``, Fuseki ``/ds/sparql`` or ``/ds/query`` -> ``/ds/data``) or given explicitly.
"""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ldngraph.core import namespaces as ns
from ldngraph.sparql.store import EndpointError, curated_ntriples


@dataclass(frozen=True)
class PushResult:
    """What a push did."""

    url: str
    graph: str
    triples: int
    status: int


def graph_store_url(endpoint: str) -> str:
    """The Graph Store Protocol URL that goes with a SPARQL query endpoint URL."""
    parsed = urllib.parse.urlparse(endpoint)
    path = parsed.path.rstrip("/")
    if path.endswith("/query") and not path.endswith("/sparql/query"):
        path = path[: -len("/query")] + ("/store" if path == "/query" else "/data")
    elif path.endswith("/sparql"):
        path = path[: -len("/sparql")] + ("/store" if path == "/sparql" else "/data")
    elif path == "":
        path = "/store"
    return urllib.parse.urlunparse(parsed._replace(path=path, query="", fragment=""))


def push(
    endpoint: str,
    *,
    graph: str = ns.GRAPH,
    store_url: str | None = None,
    graph_dir: Path | None = None,
    data: bytes | None = None,
    timeout: float = 300.0,
    progress: Callable[[str], None] | None = None,
) -> PushResult:
    """Replace ``graph`` at the endpoint's Graph Store with the curated graph (or ``data``, N-Triples)."""
    if urllib.parse.urlparse(endpoint).scheme not in ("http", "https"):
        raise EndpointError(f"not an http(s) endpoint URL: {endpoint!r}")
    if data is None:
        data = curated_ntriples(graph_dir, progress=progress).read_bytes()
    triples = sum(1 for line in data.splitlines() if line.strip() and not line.lstrip().startswith(b"#"))
    base = store_url or graph_store_url(endpoint)
    url = base + ("&" if "?" in base else "?") + urllib.parse.urlencode({"graph": graph})
    if progress:
        progress(f"PUT {triples} triples to {url}")
    request = urllib.request.Request(
        url, data=data, method="PUT", headers={"Content-Type": "application/n-triples"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            status = response.status
    except urllib.error.HTTPError as exc:
        detail = exc.read().decode("utf-8", "replace").strip().replace("\n", " ")[:300]
        raise EndpointError(f"the Graph Store at {base} answered HTTP {exc.code}: {detail}") from exc
    except (urllib.error.URLError, OSError) as exc:
        raise EndpointError(f"cannot reach the Graph Store at {base}: {getattr(exc, 'reason', exc)}") from exc
    return PushResult(base, graph, triples, status)
