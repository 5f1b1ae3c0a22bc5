"""RDF files to load into a store: their format (from the file name) and a reader that reports progress."""

from __future__ import annotations

import io
import time
from pathlib import Path
from typing import IO, Any

from ldngraph.sparql.store_interface import Progress, StoreError

RDF_FORMATS_BY_SUFFIX: dict[str, str] = {
    ".nt": "N_TRIPLES",
    ".ntriples": "N_TRIPLES",
    ".nq": "N_QUADS",
    ".ttl": "TURTLE",
    ".turtle": "TURTLE",
    ".trig": "TRIG",
    ".n3": "N3",
    ".rdf": "RDF_XML",
    ".owl": "RDF_XML",
    ".xml": "RDF_XML",
    ".jsonld": "JSON_LD",
}


def rdf_format(path: Path) -> str:
    """The pyoxigraph RdfFormat name for a file, from its suffix (``.gz`` allowed)."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    fmt = RDF_FORMATS_BY_SUFFIX.get(suffixes[-1] if suffixes else "")
    if fmt is None:
        known = ", ".join(sorted(RDF_FORMATS_BY_SUFFIX))
        raise StoreError(f"{path}: unknown RDF format (use one of {known}, optionally .gz)")
    return fmt


class ProgressReader(io.RawIOBase):
    """A binary reader that reports how much of a file has been read, at most every ``every`` seconds."""

    def __init__(self, handle: IO[bytes], total: int, label: str, progress: Progress, every: float = 1.0):
        self._handle = handle
        self._total = max(total, 1)
        self._label = label
        self._progress = progress
        self._every = every
        self._read = 0
        self._last = time.monotonic()

    def readable(self) -> bool:
        """Always True: this stream is for reading."""
        return True

    def readinto(self, buffer: Any) -> int:
        """Read into ``buffer`` from the file; return the number of bytes read (0 at the end)."""
        data = self._handle.read(len(buffer))
        n = len(data)
        buffer[:n] = data
        self._read += n
        now = time.monotonic()
        if now - self._last >= self._every:
            self._last = now
            self._progress(f"loading {self._label}: {min(100, 100 * self._read // self._total)}%")
        return n

    def position(self) -> int:
        """Bytes read so far (compressed bytes for .gz files)."""
        return self._read
