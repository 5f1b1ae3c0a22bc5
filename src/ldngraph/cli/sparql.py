"""SPARQL commands: query, queries, push, serve.

Keep this module light: import heavy libraries inside the command functions. The query path
imports pyoxigraph only (never rdflib or pydantic) unless the build output must be rebuilt.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Annotated

import typer

StoreKind = Annotated[
    str, typer.Option("--store", "-s", help="memory (default, embedded Oxigraph), disk (Oxigraph on disk at --path).")
]
StorePath = Annotated[Path | None, typer.Option("--path", help="Folder of the on-disk store (with --store disk).")]
WithFiles = Annotated[
    list[Path] | None,
    typer.Option("--with", "-w", help="Extra RDF file to load beside the curated graph (repeatable; .gz allowed)."),
]
Endpoint = Annotated[str | None, typer.Option("--endpoint", "-e", help="URL of a SPARQL 1.1 query endpoint.")]
GraphIri = Annotated[
    str | None,
    typer.Option(
        "--graph-iri",
        help="Named graph holding ldngraph at the endpoint (default: where push puts it; '' for the default graph).",
    ),
]


def _err(message: str, code: int) -> typer.Exit:
    typer.echo(message, err=True)
    return typer.Exit(code)


def _params(options: list[str], extra: list[str]) -> dict[str, str]:
    """Pair ``-p NAME VALUE`` (values arrive as extra arguments) and ``-p NAME=VALUE``."""
    values: dict[str, str] = {}
    rest = list(extra)
    for option in options:
        if "=" in option:
            name, _, value = option.partition("=")
        else:
            if not rest:
                raise _err(f"error: -p {option} needs a value: -p {option} VALUE", 2)
            name, value = option, rest.pop(0)
        name = name.strip()
        if not _PARAM_NAME.fullmatch(name):
            raise _err(f"error: -p {_shown(name)}: a parameter name is letters, digits and _ (not first a digit)", 2)
        if not _is_text(value):
            raise _err(f"error: -p {name}: the value {_shown(value)} is not valid text (bytes that are not UTF-8?)", 2)
        values[name] = value
    if rest:
        raise _err(f"error: unexpected argument(s): {' '.join(_shown(r) for r in rest)}", 2)
    return values


_PARAM_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _is_text(value: str) -> bool:
    """False for arguments holding bytes that were not UTF-8 (Python keeps them as lone surrogates)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _shown(value: str) -> str:
    """An argument as it can be printed: undecodable bytes escaped, long values cut."""
    text = value.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    text = "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
    return "'" + (text if len(text) <= 80 else text[:77] + "...") + "'"


def _progress(message: str) -> None:
    typer.echo(f"... {message}", err=True)


def _open(
    store: str, path: Path | None, extra: list[Path] | None, endpoint: str | None, graph_iri: str | None,
    graph_dir: Path | None = None,
):  # noqa: ANN202
    from ldngraph.core import namespaces as ns
    from ldngraph.sparql.store import open_store

    kind = "endpoint" if endpoint else store
    return open_store(
        kind,
        path=path,
        endpoint=endpoint,
        extra=extra or [],
        graph_dir=graph_dir,
        default_graph=ns.GRAPH if graph_iri is None else graph_iri,
        progress=_progress,
    )


def query(
    ctx: typer.Context,
    spec: Annotated[
        str, typer.Argument(metavar="QUERY", help="A named query, a .rq file, SPARQL text, or - for stdin.")
    ],
    param: Annotated[
        list[str] | None, typer.Option("--param", "-p", help="Parameter: -p NAME VALUE or -p NAME=VALUE (repeatable).")
    ] = None,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="table, csv, tsv, json, markdown, xml; turtle or ntriples for graphs.")
    ] = "table",
    store: StoreKind = "memory",
    path: StorePath = None,
    with_files: WithFiles = None,
    endpoint: Endpoint = None,
    graph_iri: GraphIri = None,
    limit: Annotated[int | None, typer.Option("--limit", help="Show at most N rows.")] = None,
) -> None:
    """Run SPARQL (a named query, a .rq file, text or stdin) on the curated graph or an endpoint.

    Parameters are bound as RDF terms, never pasted into the query: a condition name becomes the
    condition's IRI, anything else a literal. Exit 2 on a malformed query or bad parameter.

    Examples:
        ldngraph query evidence-for-condition -p condition fibromyalgia
        ldngraph query 'SELECT ?s WHERE { ?s a ldn:Condition }' --format csv
        ldngraph query trials --endpoint http://127.0.0.1:7878/query
    """
    from ldngraph.core.problems import LdngraphError, RecordsInvalid
    from ldngraph.sparql.named_queries import UnknownQuery
    from ldngraph.sparql.query import GRAPH_FORMATS, SELECT_FORMATS, ParameterError, format_result, run_query
    from ldngraph.sparql.store import EndpointError, QuerySyntaxError

    if fmt not in SELECT_FORMATS + GRAPH_FORMATS:
        raise _err(f"error: unknown format {fmt!r}; choose from {', '.join(SELECT_FORMATS + GRAPH_FORMATS)}", 2)
    values = _params(param or [], list(ctx.args))
    try:
        with _open(store, path, with_files, endpoint, graph_iri) as opened:
            result = run_query(opened, spec, values, max_rows=limit)
            text = format_result(result, fmt)
    except (QuerySyntaxError, UnknownQuery, ParameterError) as exc:
        raise _err(f"error: {exc}", 2) from None
    except EndpointError as exc:
        raise _err(f"error: {exc}", 1) from None
    except RecordsInvalid as exc:
        raise _err(exc.report.to_text() + "\nThe records have errors; run `ldngraph validate`.", 1) from None
    except LdngraphError as exc:
        raise _err(f"error: {exc}", 1) from None
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    if result.truncated:
        typer.echo(f"(cut at {limit} rows by --limit)", err=True)


def queries(
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or markdown.")] = "table",
) -> None:
    """List the named queries: what each answers and its parameters.

    Example:
        ldngraph queries
    """
    from ldngraph.core.tables import format_table
    from ldngraph.sparql.named_queries import list_queries

    rows = [
        [q.name, q.title, ", ".join(f"{p.name} ({p.type})" for p in q.params) or "-"] for q in list_queries()
    ]
    if fmt == "markdown":
        typer.echo("| query | answers | parameters |\n|---|---|---|")
        for row in rows:
            typer.echo("| `" + row[0] + "` | " + " | ".join(row[1:]) + " |")
        return
    typer.echo(format_table(["query", "answers", "parameters"], rows, max_width=70))
    typer.echo("\nRun one with: ldngraph query NAME [-p PARAM VALUE]")


def push(
    endpoint: Annotated[str, typer.Option("--endpoint", "-e", help="SPARQL query endpoint URL, e.g. http://127.0.0.1:7878/query.")],
    graph_iri: Annotated[
        str | None, typer.Option("--graph", help="Named graph to replace (default https://w3id.org/ldngraph/graph/curated).")
    ] = None,
    store_url: Annotated[
        str | None, typer.Option("--store-url", help="Graph Store Protocol URL, if not derivable from --endpoint.")
    ] = None,
    update_url: Annotated[str | None, typer.Option(
        "--update-url", help="SPARQL 1.1 Update endpoint, used when the server has no Graph Store (HTTP 404/405/501).")
    ] = None,
    user: Annotated[str | None, typer.Option(
        "--user", "-u", help="User name; the password comes from $LDNGRAPH_PASSWORD, ~/.netrc ($NETRC) or a prompt.")
    ] = None,
    timeout: Annotated[float, typer.Option(help="Seconds to wait for each read from the server.")] = 60.0,
    deadline: Annotated[float, typer.Option(help="Seconds the whole push may take.")] = 3600.0,
    batch: Annotated[int, typer.Option(help="Triples per request (0: all in one).")] = 100_000,
    graph_dir: Annotated[Path | None, typer.Option("--graph-dir", help="Folder of curated records.")] = None,
) -> None:
    """Upload the curated graph to a triple store (Graph Store Protocol; replaces the named graph).

    A re-push replaces the named graph, so it never duplicates triples. Virtuoso's Graph Store is found
    from its /sparql endpoint. With --user, HTTP basic or digest authentication; the password is never
    printed (nor a URL's user:password@).

    Examples:
        ldngraph push --endpoint http://127.0.0.1:7878/query
        LDNGRAPH_PASSWORD=... ldngraph push --endpoint http://127.0.0.1:8890/sparql --user dba
    """
    from urllib.parse import urlsplit

    from ldngraph.core import namespaces as ns
    from ldngraph.sparql.credentials import resolve_credentials, strip_userinfo
    from ldngraph.sparql.push import push as run_push

    redact = strip_userinfo
    try:
        given = [url for url in (endpoint, store_url, update_url) if url]
        holder = next((url for url in given if "@" in urlsplit(url).netloc), endpoint)
        credentials = resolve_credentials(holder, user)[1]
        if credentials is not None:
            redact = credentials.redact
        result = run_push(endpoint, graph=graph_iri or ns.GRAPH, store_url=store_url, update_url=update_url,
                          graph_dir=graph_dir, timeout=timeout, deadline=deadline, batch=batch,
                          credentials=credentials, progress=lambda message: _progress(redact(message)))
    except Exception as exc:  # noqa: BLE001 - whatever failed, one line and never a password
        from ldngraph.core.problems import LdngraphError

        prefix = "error: " if isinstance(exc, LdngraphError) else f"error: {type(exc).__name__}: "
        raise _err(prefix + redact(str(exc)).replace("\n", " "), 1) from None
    how = "SPARQL Update" if result.method == "update" else "Graph Store"
    typer.echo(f"pushed {result.triples} triples to <{result.graph}> at {redact(result.url)} "
               f"({how}, {result.requests} request{'s' if result.requests != 1 else ''}, HTTP {result.status})")


def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port (0 picks a free one).", min=0, max=65535)] = 7879,
    store: StoreKind = "memory",
    path: StorePath = None,
    with_files: WithFiles = None,
    timeout: Annotated[float, typer.Option(help="Query timeout in seconds.")] = 30.0,
    max_rows: Annotated[int, typer.Option("--max-rows", help="Cap on result rows (or triples).")] = 10000,
    workers: Annotated[int, typer.Option(help="Worker processes: queries run at once (a runaway one is killed).")] = 4,
    worker_memory: Annotated[int, typer.Option(
        "--worker-memory", help="Megabytes a query worker may allocate beyond the loaded graph (0: no cap).")] = 1000,
    max_bytes: Annotated[int, typer.Option(
        "--max-bytes", help="Cap on the bytes of one answer: rows past it are cut (X-Ldngraph-Truncated).")
    ] = 100_000_000,
    client_timeout: Annotated[float, typer.Option(
        "--client-timeout", help="Seconds a client has to send a request (and longest stall reading an answer).")
    ] = 20.0,
    max_connections: Annotated[int, typer.Option(
        "--max-connections", help="Open connections at once (lowered to fit the open-file limit).")] = 256,
    long_after: Annotated[float, typer.Option(
        "--long-after", help="CPU seconds after which a query is long: run aside at low priority, or stopped "
        "(503) when --long-queries are already running.")] = 0.5,
    long_queries: Annotated[int | None, typer.Option(
        "--long-queries", help="Long queries at once (default: half of --workers, at least 1).")] = None,
) -> None:
    """Serve the graph read-only over the SPARQL 1.1 Protocol (GET and POST, CORS, timeout, row and byte caps).

    SPARQL Update, LOAD, SERVICE and FROM/FROM NAMED are refused: the server never writes and never
    makes outbound requests. Queries that run long are moved aside so quick ones keep the workers; slow or
    silent connections are closed after --client-timeout.

    Example:
        ldngraph serve --port 7879   # then: curl 'http://127.0.0.1:7879/sparql?query=ASK{}'
    """
    import signal

    from ldngraph.core.problems import LdngraphError
    from ldngraph.sparql.serve import ServeConfig, make_server

    try:
        opened = _open(store, path, with_files, None, None)
        config = ServeConfig(timeout=timeout, max_rows=max_rows, workers=workers,
                             worker_memory=max(0, worker_memory) * 1_000_000, max_bytes=max(1, max_bytes),
                             client_timeout=max(0.1, client_timeout), max_connections=max(1, max_connections),
                             long_after=max(0.0, long_after),
                             long_queries=None if long_queries is None else max(1, long_queries))
        server = make_server(opened, host=host, port=port, config=config)
    except LdngraphError as exc:
        raise _err(f"error: {exc}", 1) from None
    except OSError as exc:
        raise _err(f"error: cannot listen on {host}:{port}: {exc.strerror}", 1) from None
    bound_host, bound_port = server.server_address[:2]
    url = f"http://{bound_host}:{bound_port}/sparql"
    typer.echo(f"serving {opened.triple_count()} triples at {url} (Ctrl-C stops)", err=True)

    def _stop(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _stop)  # stop the worker processes too
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown_workers()
        server.server_close()


def register(app: typer.Typer) -> None:
    """Add this area's commands to the main app."""
    app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})(query)
    app.command()(queries)
    app.command()(push)
    app.command()(serve)
