"""RDF files from users (``--with``): refuse what would make a parser expand without bound or fetch.

* RDF/XML: entity declarations are read before any parser sees the file. A plain entity whose text holds
  no other reference (``<!ENTITY owl "http://www.w3.org/2002/07/owl#">``, common in OWL files) expands
  linearly and is allowed; an entity that refers to another entity (the "billion laughs"), a parameter
  entity, and an external entity (SYSTEM/PUBLIC: a file or URL) are refused with one line.
* JSON-LD: a ``@context`` given as a URL or file name, or an ``@import``, is refused (ldngraph never fetches);
  inline contexts work.
* Compressed files (``.gz``) are read to at most MAX_DECOMPRESSED bytes for these checks.

Turtle, N-Triples, N-Quads, TriG and N3 have no entities and fetch nothing; they are not read here.
"""

from __future__ import annotations

import gzip
import json
import re
import zlib
from pathlib import Path

from ldngraph.core.problems import LdngraphError

MAX_DECOMPRESSED = 200_000_000
MAX_ENTITIES = 10_000
_ENTITY = re.compile(rb"<!ENTITY\s+(%\s*)?([^\s\"']+)\s*(SYSTEM|PUBLIC|\"[^\"]*\"|'[^']*')", re.IGNORECASE)
_ANY_ENTITY = re.compile(rb"<!ENTITY", re.IGNORECASE)


class UnsafeRdf(LdngraphError):
    """A user's RDF file that would expand without bound or make ldngraph fetch something."""


def check_user_rdf(path: Path, fmt: str) -> None:
    """Raise UnsafeRdf when ``path`` (RDF/XML or JSON-LD, by the store's format name) is unsafe to parse.

    ``fmt`` is a pyoxigraph RdfFormat name (``RDF_XML``, ``JSON_LD``, ...); other formats pass unread.
    """
    if fmt not in ("RDF_XML", "JSON_LD"):
        return
    data = _read(Path(path))
    if fmt == "RDF_XML":
        _check_xml(path, data)
    else:
        _check_jsonld(path, data)


def _read(path: Path) -> bytes:
    try:
        if path.suffix.lower() == ".gz":
            with gzip.open(path, "rb") as handle:
                data = handle.read(MAX_DECOMPRESSED + 1)
        else:
            with open(path, "rb") as handle:
                data = handle.read(MAX_DECOMPRESSED + 1)
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
        raise UnsafeRdf(f"{path}: not a complete gzip file ({exc})") from None
    except OSError as exc:
        raise UnsafeRdf(f"{path}: cannot read: {exc.strerror or exc}") from None
    if len(data) > MAX_DECOMPRESSED:
        raise UnsafeRdf(f"{path}: more than {MAX_DECOMPRESSED:,} bytes (uncompressed); refused")
    return data


def _as_ascii_compatible(data: bytes) -> bytes:
    """The bytes in an ASCII-compatible encoding, so a UTF-16 or UTF-32 file cannot hide a declaration."""
    for bom, codec in ((b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
                       (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            return data.decode(codec, "replace").encode("utf-8")
    if data[:4] in (b"<\x00?\x00", b"\x00<\x00?"):
        return data.decode("utf-16-le" if data[0:1] == b"<" else "utf-16-be", "replace").encode("utf-8")
    return data


def _check_xml(path: Path, data: bytes) -> None:
    data = _as_ascii_compatible(data)
    declared = _ANY_ENTITY.findall(data)
    if not declared:
        return
    if len(declared) > MAX_ENTITIES:
        raise UnsafeRdf(f"{path}: more than {MAX_ENTITIES} entity declarations; refused")
    entities = _ENTITY.findall(data)
    if len(entities) != len(declared):
        raise UnsafeRdf(f"{path}: an entity declaration ldngraph cannot read safely; refused")
    for parameter, name, value in entities:
        shown = name.decode("utf-8", "replace")[:60]
        if parameter:
            raise UnsafeRdf(f"{path}: parameter entity %{shown} refused (entities are never expanded recursively)")
        if value.upper() in (b"SYSTEM", b"PUBLIC"):
            raise UnsafeRdf(f"{path}: external entity &{shown}; refused: ldngraph never reads other files or URLs")
        if b"&" in value or b"%" in value:
            raise UnsafeRdf(f"{path}: entity &{shown}; refers to another entity; refused (entity expansion bomb)")


def _check_jsonld(path: Path, data: bytes) -> None:
    try:
        document = json.loads(data)
    except (ValueError, RecursionError) as exc:
        raise UnsafeRdf(f"{path}: not valid JSON ({str(exc)[:120]})") from None
    stack: list[tuple[object, str]] = [(document, "")]
    while stack:
        value, key = stack.pop()
        if key == "@context":
            for context in value if isinstance(value, list) else [value]:
                if isinstance(context, str):
                    raise UnsafeRdf(f"{path}: remote JSON-LD context {context[:120]!r} refused: ldngraph never "
                                    "fetches; put the context inline")
        if key == "@import" and isinstance(value, str):
            raise UnsafeRdf(f"{path}: JSON-LD @import {value[:120]!r} refused: ldngraph never fetches")
        if isinstance(value, dict):
            stack.extend((item, name) for name, item in value.items())
        elif isinstance(value, list):
            stack.extend((item, key if key == "@context" else "") for item in value)
