"""Big answers at `ldngraph serve`: a byte cap per answer (cut at a row, flagged), and clients that never
read cannot make the server hold copy after copy of an answer (decision 0010)."""

from __future__ import annotations

import csv
import io
import json
import os
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET

import pytest

from helpers import running_server
from ldngraph.sparql.serve import ServeConfig
from ldngraph.sparql.store import open_store

pytestmark = pytest.mark.slow

ALL = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
GRAPH = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"


def doubling(k: int) -> str:
    """One row, one literal of 16 x 2^k characters."""
    binds = " ".join(f"BIND(CONCAT(?x{i}, ?x{i}) AS ?x{i + 1})" for i in range(k))
    return f"SELECT ?x WHERE {{ BIND('aaaaaaaaaaaaaaaa' AS ?x0) {binds} BIND(?x{k} AS ?x) }}"


@pytest.fixture(scope="module")
def store():
    return open_store("memory")




def get(url: str, text: str, accept: str = "") -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url + "?" + urllib.parse.urlencode({"query": text}),
                                     headers={"Accept": accept} if accept else {})
    try:
        with urllib.request.urlopen(request, timeout=60) as reply:
            return reply.status, dict(reply.headers), reply.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


CAP = 3000


@pytest.fixture(scope="module")
def capped(store):
    with running_server(store, workers=2, max_bytes=CAP, max_rows=100_000) as (_server, url):
        yield url


def rows_in(body: bytes, accept: str) -> int:
    """Parse an answer in its format (it must be complete and valid) and count its rows or triples."""
    import pyoxigraph as ox

    if "json" in accept:
        return len(json.loads(body)["results"]["bindings"])
    if "xml" in accept and "rdf" not in accept:
        return len(ET.fromstring(body).findall(".//{http://www.w3.org/2005/sparql-results#}result"))
    if "csv" in accept:
        return len(list(csv.reader(io.StringIO(body.decode())))) - 1
    if "tab-separated" in accept:
        return len(body.decode().splitlines()) - 1
    fmt = {"text/turtle": ox.RdfFormat.TURTLE, "application/n-triples": ox.RdfFormat.N_TRIPLES,
           "application/rdf+xml": ox.RdfFormat.RDF_XML}[accept]
    return len(list(ox.parse(body, format=fmt)))


@pytest.mark.parametrize("text, accept", [
    (ALL, "application/sparql-results+json"),
    (ALL, "application/sparql-results+xml"),
    (ALL, "text/csv"),
    (ALL, "text/tab-separated-values"),
    (GRAPH, "text/turtle"),
    (GRAPH, "application/n-triples"),
    (GRAPH, "application/rdf+xml"),
])
def test_an_answer_over_the_byte_cap_is_cut_at_a_row_and_flagged(capped, text, accept):
    status, headers, body = get(capped, text, accept)
    assert status == 200, body
    assert len(body) <= CAP and int(headers["Content-Length"]) == len(body)
    assert headers.get("X-Ldngraph-Truncated") == "true"
    assert f"cap of {CAP} bytes" in headers.get("X-Ldngraph-Notice", "")
    assert rows_in(body, accept) > 3  # a valid document holding every row that fitted


def test_one_row_bigger_than_the_cap_gives_an_empty_flagged_answer(capped):
    status, headers, body = get(capped, doubling(12))  # 64 KB in one literal
    assert status == 200 and json.loads(body)["results"]["bindings"] == []
    assert headers.get("X-Ldngraph-Truncated") == "true"


def test_small_answers_are_unchanged_and_unflagged(capped):
    status, headers, body = get(capped, "ASK { ldnid:fibromyalgia a ldn:Condition }")
    assert (status, body) == (200, b'{"head": {}, "boolean": true}')
    assert "X-Ldngraph-Truncated" not in headers


def rss(pid: int) -> int:
    with open(f"/proc/{pid}/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def send_and_never_read(port: int, text: str, small_buffer: bool = True) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port))
    if small_buffer:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.sendall(f"GET /sparql?{urllib.parse.urlencode({'query': text})} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    return sock


@pytest.mark.skipif(not os.path.exists("/proc/self/statm"), reason="needs /proc")
def test_clients_that_never_read_do_not_pile_up_copies_in_the_server(store):
    """Ten clients ask for a 67 MB answer and never read. Before: the server process grew by about one copy
    per client (56 MB -> 828 MB) and kept it for ever. Now: the answers held for slow clients share one
    budget (twice the byte cap), and a client that reads nothing is let go after the client timeout."""
    with running_server(store, workers=2, timeout=60, client_timeout=3.0) as (server, url):
        port = server.server_address[1]
        base = rss(os.getpid())
        peak = base
        sockets = []
        try:
            for _ in range(10):
                sockets.append(send_and_never_read(port, doubling(22)))
                for _ in range(4):
                    time.sleep(0.1)
                    peak = max(peak, rss(os.getpid()))
            for _ in range(30):
                time.sleep(0.1)
                peak = max(peak, rss(os.getpid()))
            grown = peak - base
            limit = 2 * ServeConfig().max_bytes + 120_000_000
            assert grown < limit, f"server grew by {grown / 1e6:.0f} MB"
            time.sleep(3.5)
            status, _, body = get(url, doubling(16))  # 1 MB: there is room again
            assert status == 200 and len(body) > 1_000_000
        finally:
            for sock in sockets:
                sock.close()


def test_a_slow_but_steady_reader_gets_the_whole_answer(store):
    """The client timeout bounds a stall, not the whole transfer: 16 MB read at about 2.6 MB/s (6 s) with a
    1 s client timeout arrives complete."""
    with running_server(store, workers=1, client_timeout=1.0) as (server, _url):
        port = server.server_address[1]
        sock = send_and_never_read(port, doubling(20), small_buffer=False)
        received = bytearray()
        sock.settimeout(5)
        try:
            while True:
                chunk = sock.recv(131072)
                if not chunk:
                    break
                received += chunk
                if b"\r\n\r\n" in received:
                    head, _, body = bytes(received).partition(b"\r\n\r\n")
                    length = int(next(line.split(b":")[1] for line in head.split(b"\r\n")
                                      if line.lower().startswith(b"content-length")))
                    if len(body) >= length:
                        break
                time.sleep(0.05)
        finally:
            sock.close()
        head, _, body = bytes(received).partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 200")
        assert len(json.loads(body)["results"]["bindings"][0]["x"]["value"]) == 16 * 2**20
