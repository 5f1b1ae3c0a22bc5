"""Push the curated graph: to a real Oxigraph server (Graph Store Protocol), and to fake servers on 127.0.0.1
that ask for credentials, have no Graph Store, or never answer. (A real Virtuoso: tests/test_virtuoso.py.)"""

from __future__ import annotations

import base64
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from ldngraph.sparql.credentials import Credentials, resolve_credentials, split_userinfo, strip_userinfo
from ldngraph.sparql.graph_store import graph_store_urls
from ldngraph.sparql.push import batches, graph_store_url, push
from ldngraph.sparql.store import EndpointError, EndpointStore, open_store

SECRET = "s3cr3t-Pa55"
DATA = b"".join(b"<urn:s%d> <urn:p> \"%d\" .\n" % (i, i) for i in range(10))


def test_graph_store_url_for_common_servers():
    assert graph_store_url("http://127.0.0.1:7878/query") == "http://127.0.0.1:7878/store"
    assert graph_store_url("http://h:3030/ds/sparql") == "http://h:3030/ds/data"
    assert graph_store_url("http://h:3030/ds/query") == "http://h:3030/ds/data"


def test_graph_store_url_for_virtuoso():
    server = "Virtuoso/07.20.3229 (Linux) x86_64-pc-linux-gnu"
    assert graph_store_url("http://h:8890/sparql", server) == "http://h:8890/sparql-graph-crud"
    assert graph_store_url("http://h:8890/sparql/", server, authenticated=True) == "http://h:8890/sparql-graph-crud-auth"
    assert graph_store_url("http://h:8890/sparql-auth") == "http://h:8890/sparql-graph-crud"
    # an unknown server at /sparql: Virtuoso's Graph Store first, then Oxigraph's name
    assert graph_store_urls("http://h/sparql") == ["http://h/sparql-graph-crud", "http://h/store"]


def test_batches_keep_blank_nodes_in_one_request():
    lines = [b"<urn:a> <urn:p> <urn:b> .\n"] * 5
    assert [len(b) for b in batches(lines, 2)] == [2, 2, 1]
    assert [len(b) for b in batches([*lines, b"_:x <urn:p> _:y .\n"], 2)] == [6]


# --- credentials -------------------------------------------------------------------------------------


def test_credentials_come_from_the_url_the_environment_netrc_or_a_prompt(tmp_path):
    none = {"NETRC": str(tmp_path / "missing")}
    assert resolve_credentials("http://h/sparql", None, environ=none) == ("http://h/sparql", None)
    url, found = resolve_credentials(f"http://dba:{SECRET.replace('5', '%35')}@h:8890/sparql", None, environ=none)
    assert url == "http://h:8890/sparql" and (found.user, found.password, found.source) == ("dba", SECRET, "the URL")
    _, found = resolve_credentials("http://h/sparql", "dba", environ={**none, "LDNGRAPH_PASSWORD": SECRET})
    assert (found.user, found.password) == ("dba", SECRET)
    netrc = tmp_path / "netrc"
    netrc.write_text(f"machine h login dba password {SECRET}\n")
    netrc.chmod(0o600)
    _, found = resolve_credentials("http://h/sparql", None, environ={"NETRC": str(netrc)})
    assert (found.user, found.password, found.source) == ("dba", SECRET, "netrc")
    _, found = resolve_credentials("http://h/sparql", "dba", environ=none, prompt=lambda _: SECRET, interactive=True)
    assert (found.password, found.source) == (SECRET, "prompt")
    with pytest.raises(EndpointError, match="no password for user 'dba'.*LDNGRAPH_PASSWORD"):
        resolve_credentials("http://h/sparql", "dba", environ=none, interactive=False)


def test_a_malformed_netrc_is_named_without_quoting_it(tmp_path):
    netrc = tmp_path / "netrc"
    netrc.write_text(f"machine h login dba password {SECRET} bogus\n")
    netrc.chmod(0o600)
    with pytest.raises(EndpointError) as info:
        resolve_credentials("http://h/sparql", None, environ={"NETRC": str(netrc)})
    assert str(netrc) in str(info.value) and SECRET not in str(info.value)


def test_a_password_never_shows_in_repr_or_messages():
    found = Credentials("dba", SECRET)
    assert SECRET not in repr(found)
    assert found.redact(f"GET http://dba:{SECRET}@h/x failed: {SECRET}") == "GET http://h/x failed: ***"
    assert strip_userinfo("see https://u:p@host:1/a and http://x@y/") == "see https://host:1/a and http://y/"
    assert split_userinfo("http://a%40b:c%3Ad@h/") == ("http://h/", "a@b", "c:d")


def test_an_unreachable_server_is_one_line_without_the_password():
    with pytest.raises(EndpointError) as info:
        push(f"http://dba:{SECRET}@127.0.0.1:9/sparql", data=DATA, timeout=5)
    assert "\n" not in str(info.value) and SECRET not in str(info.value) and "dba" not in str(info.value)


# --- fake servers on 127.0.0.1 -----------------------------------------------------------------------


class _Recorder(BaseHTTPRequestHandler):
    """A fake triple store: records requests; its behaviour is set on the server object."""

    def log_message(self, *args) -> None:
        pass

    def _handle(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        server = self.server
        server.requests.append((self.command, self.path, self.headers.get("Authorization"), body))
        if server.basic and self.headers.get("Authorization") != server.basic:
            self._answer(401, {"WWW-Authenticate": 'Basic realm="store"'}, b"<html><h1>401</h1>no</html>")
        elif self.command in ("PUT", "POST") and self.path.startswith(server.missing):
            self._answer(501, {}, b"")
        else:
            self._answer(201 if self.command == "PUT" else 200, {"Server": "FakeStore/1"}, b"")

    def _answer(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    do_GET = do_PUT = do_POST = do_HEAD = _handle


@contextmanager
def fake_store(*, password: str | None = None, missing: str = "/nothing") -> Iterator[ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    server.requests = []
    server.basic = "Basic " + base64.b64encode(f"dba:{password}".encode()).decode() if password else None
    server.missing = missing
    server.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def test_basic_authentication_sends_each_batch_once_put_then_post():
    with fake_store(password=SECRET) as server:
        result = push(server.base + "/query", data=DATA, batch=4, credentials=Credentials("dba", SECRET))
    uploads = [(method, auth is not None) for method, path, auth, body in server.requests if body]
    assert uploads == [("PUT", True), ("POST", True), ("POST", True)]  # answered up front, never sent twice
    assert b"".join(body for *_, body in server.requests) == DATA
    assert (result.triples, result.requests, result.method) == (10, 3, "graph-store")
    assert result.url == server.base + "/store"


def test_a_wrong_password_is_one_line_and_never_shown():
    with fake_store(password=SECRET) as server:
        with pytest.raises(EndpointError) as info:
            push(server.base + "/query", data=DATA, credentials=Credentials("dba", "wrong-" + SECRET))
        assert not any(body for *_, body in server.requests)  # found out before sending the data
        with pytest.raises(EndpointError, match="needs credentials .*--user"):
            push(server.base + "/query", data=DATA)
    message = str(info.value)
    assert "401" in message and "'dba'" in message and "\n" not in message and SECRET not in message


def test_no_graph_store_says_how_to_fix_it_or_falls_back_to_sparql_update():
    with fake_store(missing="/store") as server:
        with pytest.raises(EndpointError) as info:
            push(server.base + "/query", data=DATA)
        assert "HTTP 501" in str(info.value) and "--store-url" in str(info.value) and "--update-url" in str(info.value)
        server.requests.clear()
        result = push(server.base + "/query", data=DATA, update_url=server.base + "/update")
    updates = [body.decode() for method, path, _, body in server.requests if path == "/update"]
    assert updates[0] == "DROP SILENT GRAPH <https://w3id.org/ldngraph/graph/curated>"
    assert updates[1].startswith("INSERT DATA { GRAPH <https://w3id.org/ldngraph/graph/curated> {\n<urn:s0>")
    assert (result.method, result.triples) == ("update", 10)


@contextmanager
def silent_server() -> Iterator[int]:
    """A server on 127.0.0.1 that accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        thread.join()
        for connection in accepted:
            connection.close()
        listener.close()


def test_a_silent_server_times_out_in_one_line():
    with silent_server() as port:
        start = time.monotonic()
        with pytest.raises(EndpointError) as info:
            push(f"http://127.0.0.1:{port}/query", store_url=f"http://127.0.0.1:{port}/store", data=DATA, timeout=1)
        assert time.monotonic() - start < 10
        assert "\n" not in str(info.value) and "--timeout" in str(info.value)
        start = time.monotonic()
        with pytest.raises(EndpointError, match="deadline of 1 s"):
            push(f"http://127.0.0.1:{port}/query", store_url=f"http://127.0.0.1:{port}/store", data=DATA,
                 timeout=30, deadline=1)
        assert time.monotonic() - start < 10


def test_cli_push_to_a_silent_server_is_one_line_exit_1():
    with silent_server() as port:
        done = subprocess.run([sys.executable, "-m", "ldngraph", "push", "-e", f"http://127.0.0.1:{port}/query",
                               "--timeout", "1"], capture_output=True, text=True, timeout=120)
    errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert done.returncode == 1 and len(errors) == 1 and "--timeout" in errors[0], done.stderr


# --- a real Oxigraph server ---------------------------------------------------------------------------


@pytest.mark.slow
def test_push_replaces_the_named_graph_so_a_repush_never_duplicates(oxigraph_server):
    endpoint = oxigraph_server + "/query"
    local = open_store("memory").triple_count()
    first = push(endpoint)
    remote = EndpointStore(endpoint)
    assert first.triples == local and remote.triple_count() == local
    push(endpoint, batch=1000)  # PUT then POSTs: still replaced, not added
    assert remote.triple_count() == local
    everything = EndpointStore(endpoint, default_graph=None)
    # the data went into the named graph, not the server's default graph
    assert everything.execute("ASK { GRAPH <https://w3id.org/ldngraph/graph/curated> { ?s ?p ?o } }").boolean


@pytest.mark.slow
def test_cli_push_then_named_query_at_the_endpoint(oxigraph_server):
    endpoint = oxigraph_server + "/query"
    done = subprocess.run([sys.executable, "-m", "ldngraph", "push", "--endpoint", endpoint],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    done = subprocess.run([sys.executable, "-m", "ldngraph", "query", "trials", "--endpoint", endpoint, "-f", "csv"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "nct03008590" in done.stdout and "VA Boston" in done.stdout


@pytest.mark.slow
def test_parameters_sent_to_an_endpoint_stay_literals(oxigraph_server):
    endpoint = oxigraph_server + "/query"
    push(endpoint)
    remote = EndpointStore(endpoint)
    from ldngraph.sparql.query import ParameterError, run_query

    fibro = run_query(remote, "evidence-for-condition", {"condition": "Fibromyalgia"})
    assert any(str(row[1]).endswith("a003-younger2013-pain>") for row in fibro.rows)
    with pytest.raises(ParameterError):
        run_query(remote, "evidence-for-condition", {"condition": '"} UNION { ?s ?p ?o } #'})
    result = run_query(remote, "SELECT ?v WHERE { }", {"v": '"} ; DROP ALL #'})
    assert result.rows[0][0].value == '"} ; DROP ALL #'
    assert remote.triple_count() > 0
