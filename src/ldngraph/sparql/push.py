"""Upload the curated graph to a triple store: SPARQL 1.1 Graph Store Protocol, or SPARQL 1.1 Update.

The Graph Store way: ``PUT <store-url>?graph=<IRI>`` with the first batch of triples replaces the named
graph, then ``POST`` adds each further batch, so pushing again never duplicates triples. The Graph Store
URL is derived from the query endpoint (Oxigraph ``/query`` -> ``/store``, Fuseki ``/ds/sparql`` ->
``/ds/data``, Virtuoso ``/sparql`` -> ``/sparql-graph-crud``, ``-auth`` with credentials: see
:mod:`ldngraph.sparql.graph_store`) or given. A server with no Graph Store there (HTTP 404, 405 or 501)
gets the SPARQL Update way when an update endpoint is given: ``DROP SILENT GRAPH`` then ``INSERT DATA``
in batches; otherwise one line says which option fixes it.

Credentials (docs/decisions/0011): ``user`` plus a password from the URL, ``$LDNGRAPH_PASSWORD``, netrc
or a prompt (:mod:`ldngraph.sparql.credentials`); HTTP basic or digest. No message holds the password
or a URL's userinfo. Each read waits at most ``timeout`` seconds and the whole push ``deadline`` seconds.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ldngraph.core import namespaces as ns
from ldngraph.sparql.credentials import Credentials, resolve_credentials, split_userinfo, strip_userinfo
from ldngraph.sparql.graph_store import NOT_A_GRAPH_STORE, HttpFailure, Transport, graph_store_urls, is_virtuoso
from ldngraph.sparql.store import EndpointError, curated_ntriples

#: Triples per request: a few MB of N-Triples, so a server never parses one huge body and progress shows.
BATCH = 100_000
#: Triples per INSERT DATA request (Virtuoso 7 parses at most about 5,000 triples in one update text).
UPDATE_BATCH = 1_000


@dataclass(frozen=True)
class PushResult:
    """What a push did: where to, how (``graph-store`` or ``update``), how many triples and requests."""

    url: str
    graph: str
    triples: int
    status: int
    method: str = "graph-store"
    requests: int = 1


Progress = Callable[[str], None]


def graph_store_url(endpoint: str, server: str = "", *, authenticated: bool = False) -> str:
    """The Graph Store Protocol URL that goes with a SPARQL query endpoint URL (the first to try)."""
    return graph_store_urls(endpoint, server, authenticated=authenticated)[0]


def triple_lines(data: bytes) -> list[bytes]:
    """The N-Triples statements of ``data`` (comment and blank lines dropped), each with its newline."""
    return [line + b"\n" for line in data.splitlines() if line.strip() and not line.lstrip().startswith(b"#")]


def batches(lines: list[bytes], size: int) -> Iterator[list[bytes]]:
    """``lines`` in batches of ``size``; all in one when there are blank nodes (one request, one node)."""
    if size <= 0 or any(b"_:" in line for line in lines):
        yield lines
        return
    for start in range(0, len(lines), size):
        yield lines[start : start + size]


def _server_of(transport: Transport, endpoint: str) -> str:
    """The ``Server`` header of the query endpoint (asked with ``ASK {}``), or '' when it does not say."""
    url = endpoint + ("&" if "?" in endpoint else "?") + urllib.parse.urlencode({"query": "ASK {}"})
    try:
        return transport.request("GET", url, headers={"Accept": "application/sparql-results+json"}).server
    except HttpFailure as failure:
        return failure.server
    except EndpointError:
        return ""


def _credentials_problem(failure: HttpFailure, credentials: Credentials | None) -> EndpointError:
    if credentials is None:
        return EndpointError(
            f"{failure.url} needs credentials (HTTP 401): give --user NAME, with the password in "
            "$LDNGRAPH_PASSWORD, a netrc entry or typed at the prompt"
        )
    return EndpointError(
        f"{failure.url} rejected the credentials of user {credentials.user!r} (HTTP 401; password from "
        f"{credentials.source}): check the user name and password"
    )


def _check_access(transport: Transport, store: str, graph: str) -> None:
    """Settle authentication with a body-less request before any large body (a 401 told in one line).

    Any other status is left to the upload: HEAD itself may be unsupported (Virtuoso answers 501).
    """
    try:
        transport.request("HEAD", store + ("&" if "?" in store else "?") + urllib.parse.urlencode({"graph": graph}))
    except HttpFailure as failure:
        if failure.status == 401:
            raise _credentials_problem(failure, transport.credentials) from None


def _send_graph_store(transport: Transport, store: str, graph: str, lines: list[bytes], batch: int,
                      progress: Progress | None) -> tuple[int, int]:
    """PUT the first batch, POST the others; (last status, requests)."""
    url = store + ("&" if "?" in store else "?") + urllib.parse.urlencode({"graph": graph})
    sent = requests = status = 0
    for chunk in batches(lines, batch):
        answer = transport.request("PUT" if requests == 0 else "POST", url, b"".join(chunk),
                                   {"Content-Type": "application/n-triples"})
        status, requests, sent = answer.status, requests + 1, sent + len(chunk)
        if progress and len(lines) > len(chunk):
            progress(f"sent {sent:,} of {len(lines):,} triples ({100 * sent // max(1, len(lines))}%)")
    if requests == 0:  # nothing to send: an empty PUT still replaces the graph
        status, requests = transport.request("PUT", url, b"", {"Content-Type": "application/n-triples"}).status, 1
    return status, requests


def _send_update(transport: Transport, update_url: str, graph: str, lines: list[bytes], batch: int,
                 progress: Progress | None) -> tuple[int, int]:
    """``DROP SILENT GRAPH`` then ``INSERT DATA`` in batches, as SPARQL 1.1 Update requests."""
    headers = {"Content-Type": "application/sparql-update; charset=utf-8"}
    target = f"<{graph}>"
    status = transport.request("POST", update_url, f"DROP SILENT GRAPH {target}".encode(), headers).status
    requests, sent = 1, 0
    for chunk in batches(lines, batch):
        body = b"INSERT DATA { GRAPH " + target.encode() + b" {\n" + b"".join(chunk) + b"} }"
        status = transport.request("POST", update_url, body, headers).status
        requests, sent = requests + 1, sent + len(chunk)
        if progress:
            progress(f"inserted {sent:,} of {len(lines):,} triples ({100 * sent // max(1, len(lines))}%)")
    return status, requests


def _no_graph_store(failure: HttpFailure, tried: list[str]) -> EndpointError:
    where = " and ".join(tried)
    return EndpointError(
        f"no Graph Store at {where} (HTTP {failure.status}): give the server's Graph Store URL with --store-url "
        "(Virtuoso: .../sparql-graph-crud-auth), or its SPARQL Update endpoint with --update-url"
    )


def _explain(failure: HttpFailure, transport: Transport) -> EndpointError:
    if failure.status == 401:
        return _credentials_problem(failure, transport.credentials)
    if failure.status == 403:
        hint = "" if transport.credentials else " give --user NAME for a user allowed to write;"
        return EndpointError(f"{failure.url} refused the upload (HTTP 403):{hint} {failure.detail}".rstrip())
    return EndpointError(str(failure))


def push(
    endpoint: str,
    *,
    graph: str = ns.GRAPH,
    store_url: str | None = None,
    update_url: str | None = None,
    user: str | None = None,
    graph_dir: Path | None = None,
    data: bytes | None = None,
    timeout: float = 60.0,
    deadline: float = 3600.0,
    batch: int = BATCH,
    progress: Progress | None = None,
    credentials: Credentials | None = None,
) -> PushResult:
    """Replace ``graph`` at the endpoint's triple store with the curated graph (or ``data``, N-Triples).

    ``credentials`` (else ``user`` and the password sources of :func:`resolve_credentials`) authenticate;
    ``timeout`` bounds each read, ``deadline`` the whole push.
    """
    given = [url for url in (endpoint, store_url, update_url) if url is not None]
    for url in given:
        parsed = urllib.parse.urlsplit(url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise EndpointError(f"not an http(s) URL: {strip_userinfo(url)!r}")
    if credentials is None:  # --user and the first URL holding userinfo (else the endpoint's host, for netrc)
        credentials = resolve_credentials(next((u for u in given if "@" in urllib.parse.urlsplit(u).netloc),
                                               endpoint), user)[1]
    transport = Transport(credentials, read_timeout=timeout, deadline=deadline)
    clean = split_userinfo(endpoint)[0]
    if data is None:
        data = curated_ntriples(graph_dir, progress=progress).read_bytes()
    lines = triple_lines(data)
    if store_url:
        candidates = [split_userinfo(store_url)[0]]
    else:
        server = _server_of(transport, clean)
        candidates = graph_store_urls(clean, server, authenticated=credentials is not None)
        if progress and is_virtuoso(server):
            progress("the endpoint is Virtuoso: its Graph Store is " + transport.redact(candidates[0]))
    update = split_userinfo(update_url)[0] if update_url else None
    return _push_lines(transport, candidates, update, graph, lines, batch, progress)


def _push_lines(transport: Transport, candidates: list[str], update_url: str | None, graph: str,
                lines: list[bytes], batch: int, progress: Progress | None) -> PushResult:
    tried: list[str] = []
    last: HttpFailure | None = None
    for store in candidates:
        if progress:
            progress(f"PUT {len(lines):,} triples into <{graph}> at {transport.redact(store)}")
        try:
            _check_access(transport, store, graph)
            status, requests = _send_graph_store(transport, store, graph, lines, batch, progress)
            return PushResult(transport.redact(store), graph, len(lines), status, "graph-store", requests)
        except HttpFailure as failure:
            if failure.status not in NOT_A_GRAPH_STORE:
                raise _explain(failure, transport) from None
            tried.append(transport.redact(store))
            last = failure
    assert last is not None
    if not update_url:
        raise _no_graph_store(last, tried)
    if progress:
        progress(f"no Graph Store at {' and '.join(tried)} (HTTP {last.status}): SPARQL Update at "
                 f"{transport.redact(update_url)} instead")
    try:
        status, requests = _send_update(transport, update_url, graph, lines, UPDATE_BATCH, progress)
    except HttpFailure as failure:
        raise _explain(failure, transport) from None
    return PushResult(transport.redact(update_url), graph, len(lines), status, "update", requests)
