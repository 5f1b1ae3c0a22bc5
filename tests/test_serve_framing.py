"""HTTP/1.1 request framing at `ldngraph serve`: any request whose body length is ambiguous is refused and
its connection closed, so nothing a client sends can be read as a second, smuggled request (decision 0010)."""

from __future__ import annotations

import re
import socket
import urllib.parse

import pytest

from helpers import running_server
from ldngraph.sparql.store import open_store

pytestmark = pytest.mark.slow

ASK = b"ASK { ldnid:fibromyalgia a ldn:Condition }"
SMUGGLED = b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\n\r\n"


@pytest.fixture(scope="module")
def port():
    with running_server(open_store("memory"), workers=1, timeout=5, max_body=10_000) as (server, _):
        yield server.server_address[1]


def exchange(port: int, raw: bytes) -> list[bytes]:
    """Send raw bytes, read until the server closes (or 5 s pass); return the status lines received."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as conn:
        conn.sendall(raw)
        received = b""
        try:
            while chunk := conn.recv(65536):
                received += chunk
        except (TimeoutError, ConnectionError):
            pass
    return re.findall(rb"HTTP/1\.[01] \d{3} [^\r\n]*", received)


def post(headers: list[str], body: bytes) -> bytes:
    head = ["POST /sparql HTTP/1.1", "Host: x", "Content-Type: application/sparql-query", *headers]
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


def test_a_plain_post_still_works(port):
    assert exchange(port, post([f"Content-Length: {len(ASK)}", "Connection: close"], ASK)) == [b"HTTP/1.1 200 OK"]


@pytest.mark.parametrize("headers", [
    ["Content-Length: 6", "Transfer-Encoding: chunked"],
    ["Transfer-Encoding: chunked", "Content-Length: 6"],
    ["Content-Length: 6", "Transfer-Encoding: identity"],
    ["Content-Length: 6", "Content-Length: 60"],
    ["Content-Length: 6", "Content-Length: 6"],
    ["Content-Length: 6, 6"],
    ["Content-Length: 5_0"],
    ["Content-Length: +6"],
    ["Content-Length: 0x6"],
    ["Content-Length: 6 6"],
    ["Content-Length: \uff16"],
    ["Content-Length : 6"],
    ["Content-Length: 6", " 0"],  # obsolete line folding
    ["Content-Length: -1"],
])
def test_ambiguous_framing_is_400_and_the_connection_closes(port, headers):
    """Exactly one answer, a 400, however the body length is spelt; the rest is never read as a request."""
    raw = post(headers, b"ASK {}" + SMUGGLED)
    assert exchange(port, raw) == [b"HTTP/1.1 400 Bad Request"], headers


def test_chunked_body_is_411_and_chunk_data_is_never_a_request(port):
    body = b"6\r\nASK {}\r\n0\r\n\r\n" + SMUGGLED
    assert exchange(port, post(["Transfer-Encoding: chunked"], body)) == [b"HTTP/1.1 411 Length Required"]
    assert exchange(port, post(["Transfer-Encoding: gzip, chunked"], body)) == [b"HTTP/1.1 411 Length Required"]


def test_a_body_on_a_get_is_skipped_not_read_as_the_next_request(port):
    query = urllib.parse.urlencode({"query": ASK.decode()})
    first = f"GET /sparql?{query} HTTP/1.1\r\nHost: x\r\nContent-Length: {len(SMUGGLED)}\r\n\r\n".encode() + SMUGGLED
    second = f"GET /sparql?{query} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode()
    assert exchange(port, first + second) == [b"HTTP/1.1 200 OK", b"HTTP/1.1 200 OK"]


def test_keep_alive_with_exact_lengths_answers_every_request(port):
    one = post([f"Content-Length: {len(ASK)}"], ASK)
    last = post([f"Content-Length: {len(ASK)}", "Connection: close"], ASK)
    assert exchange(port, one + one + last) == [b"HTTP/1.1 200 OK"] * 3
