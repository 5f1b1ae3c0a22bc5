"""A remote SPARQL 1.1 endpoint as a store (Oxigraph server, Fuseki, GraphDB, Virtuoso, QLever): read-only."""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from ldngraph.core import namespaces as ns
from ldngraph.sparql.query_text import inline_values, query_form
from ldngraph.sparql.store_interface import (
    EndpointError,
    QueryError,
    QueryResult,
    QuerySyntaxError,
    Store,
    materialise,
)


class EndpointStore(Store):
    """A remote SPARQL 1.1 endpoint, queried over the SPARQL 1.1 Protocol (HTTP POST)."""

    kind = "endpoint"

    def __init__(self, url: str, *, default_graph: str | None = ns.GRAPH, timeout: float = 60.0):
        parsed = urllib.parse.urlparse(url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise EndpointError(f"not an http(s) endpoint URL: {url!r}")
        self.url = url
        self.default_graph = default_graph or None
        self.timeout = timeout

    def describe(self) -> str:
        """One line saying what this store is."""
        graph = f" (default graph <{self.default_graph}>)" if self.default_graph else ""
        return f"SPARQL endpoint {self.url}{graph}"

    def _post(self, sparql: str, accept: str) -> tuple[str, bytes]:
        fields = [("query", sparql)]
        if self.default_graph:
            fields.append(("default-graph-uri", self.default_graph))
        body = urllib.parse.urlencode(fields).encode("utf-8")
        request = urllib.request.Request(
            self.url,
            data=body,
            method="POST",
            headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": accept},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                return response.headers.get("Content-Type", ""), response.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace").strip().replace("\n", " ")[:300]
            if exc.code == 400:
                raise QuerySyntaxError(f"the endpoint rejected the query (HTTP 400): {detail}") from exc
            raise EndpointError(f"endpoint {self.url} answered HTTP {exc.code}: {detail}") from exc
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise EndpointError(f"cannot reach the SPARQL endpoint {self.url}: {reason}") from exc

    def execute(
        self, sparql: str, substitutions: dict[str, Any] | None = None, *, max_rows: int | None = None
    ) -> QueryResult:
        """Send the query (parameters inlined as a VALUES block of escaped terms) and parse the answer."""
        import pyoxigraph as ox

        form = query_form(sparql)
        if form == "UPDATE":
            raise QueryError("ldngraph query only reads: SPARQL Update is not sent (use `ldngraph push`)")
        text = ns.sparql_prefixes() + inline_values(sparql, substitutions or {})
        if form in ("CONSTRUCT", "DESCRIBE"):
            ctype, payload = self._post(text, "application/n-triples, text/turtle;q=0.9")
            fmt = ox.RdfFormat.TURTLE if "turtle" in ctype else ox.RdfFormat.N_TRIPLES
            triples = [q.triple for q in ox.parse(payload, format=fmt)]
            truncated = max_rows is not None and len(triples) > max_rows
            return QueryResult("graph", triples=triples[:max_rows] if truncated else triples, truncated=truncated)
        _ctype, payload = self._post(text, "application/sparql-results+json")
        try:
            parsed = ox.parse_query_results(payload, format=ox.QueryResultsFormat.JSON)
        except (SyntaxError, ValueError) as exc:
            raise EndpointError(f"endpoint {self.url} sent results that are not SPARQL JSON: {exc}") from exc
        return materialise(parsed, max_rows)
