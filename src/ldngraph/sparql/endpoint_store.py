"""A remote SPARQL 1.1 endpoint as a store (Oxigraph server, Fuseki, GraphDB, Virtuoso, QLever): read-only.

The answer is parsed as it arrives, so ``max_rows`` stops the download; it is capped in bytes
(``max_bytes``), each read waits at most ``timeout`` seconds and the whole answer at most ``deadline``
seconds (a server trickling a byte at a time is stopped), and no redirect is followed: a redirect is
reported with its target, which the user may then give with ``--endpoint``.
"""

from __future__ import annotations

import io
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import IO, Any

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

    def __init__(
        self,
        url: str,
        *,
        default_graph: str | None = ns.GRAPH,
        timeout: float = 60.0,
        deadline: float = 600.0,
        max_bytes: int = 500_000_000,
    ):
        parsed = urllib.parse.urlparse(url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise EndpointError(f"not an http(s) endpoint URL: {url!r}")
        self.url = url
        self.default_graph = default_graph or None
        self.timeout = timeout
        self.deadline = deadline
        self.max_bytes = max_bytes
        self._opener = urllib.request.build_opener(_RefuseRedirects(url))

    def describe(self) -> str:
        """One line saying what this store is."""
        graph = f" (default graph <{self.default_graph}>)" if self.default_graph else ""
        return f"SPARQL endpoint {self.url}{graph}"

    def _post(self, sparql: str, accept: str) -> tuple[str, Any]:
        """POST a query; the content type and the open response (the caller reads and closes it)."""
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
            response = self._opener.open(request, timeout=self.timeout)
            return response.headers.get("Content-Type", ""), response
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace").strip().replace("\n", " ")[:300]
            if exc.code == 400:
                raise QuerySyntaxError(f"the endpoint rejected the query (HTTP 400): {detail}") from exc
            raise EndpointError(f"endpoint {self.url} answered HTTP {exc.code}: {detail}") from exc
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise EndpointError(f"cannot reach the SPARQL endpoint {self.url}: {reason}") from exc

    def _read(self, response: Any, parse: Any) -> Any:
        """Parse a response as it arrives, within the byte cap and the deadline; close it in any case."""
        guarded = _GuardedReader(response, self.url, self.max_bytes, time.monotonic() + self.deadline)
        try:
            return parse(io.BufferedReader(guarded, 1 << 16))
        except (SyntaxError, ValueError) as exc:
            raise EndpointError(f"endpoint {self.url} sent an answer that cannot be read: {exc}") from exc
        except TimeoutError as exc:
            raise EndpointError(f"endpoint {self.url} sent nothing for {self.timeout:g} s; stopped") from exc
        except OSError as exc:
            raise EndpointError(f"endpoint {self.url}: the answer broke off: {exc}") from exc
        finally:
            response.close()

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
            ctype, response = self._post(text, "application/n-triples, text/turtle;q=0.9")
            fmt = ox.RdfFormat.TURTLE if "turtle" in ctype else ox.RdfFormat.N_TRIPLES
            return self._read(response, lambda stream: materialise(
                _Triples(q.triple for q in ox.parse(stream, format=fmt)), max_rows))
        _ctype, response = self._post(text, "application/sparql-results+json")
        return self._read(response, lambda stream: materialise(
            ox.parse_query_results(stream, format=ox.QueryResultsFormat.JSON), max_rows))


class _Triples:
    """Triples streamed from a parser, marked as a graph result for :func:`materialise`."""

    def __init__(self, triples: Any) -> None:
        self._triples = triples

    def __iter__(self) -> Any:
        return iter(self._triples)


class _RefuseRedirects(urllib.request.HTTPRedirectHandler):
    """No redirect is followed: the user is told where the endpoint points instead."""

    def __init__(self, url: str) -> None:
        self.url = url

    def redirect_request(self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str) -> None:
        """Refuse, naming the target (another origin or scheme could be anything, even ftp://)."""
        raise EndpointError(
            f"endpoint {self.url} redirects (HTTP {code}) to {newurl[:200]}: not followed; "
            "give that URL with --endpoint if you trust it"
        )


class _GuardedReader(io.RawIOBase):
    """A response body read at most ``max_bytes`` of, and only until ``deadline`` (time.monotonic)."""

    def __init__(self, response: IO[bytes], url: str, max_bytes: int, deadline: float) -> None:
        self._response = response
        self._url = url
        self._max = max_bytes
        self._deadline = deadline
        self._read = 0

    def readable(self) -> bool:
        """Always True."""
        return True

    def readinto(self, buffer: Any) -> int:
        """Read what has arrived (one read from the socket at most), within the cap and the deadline."""
        if time.monotonic() > self._deadline:
            raise EndpointError(f"endpoint {self._url}: no complete answer before the deadline; stopped")
        reader = getattr(self._response, "read1", self._response.read)
        data = reader(len(buffer))
        self._read += len(data)
        if self._read > self._max:
            raise EndpointError(f"endpoint {self._url}: answer over {self._max:,} bytes; stopped (use LIMIT)")
        buffer[: len(data)] = data
        return len(data)
