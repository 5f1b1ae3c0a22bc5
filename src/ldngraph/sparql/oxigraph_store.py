"""The embedded store: pyoxigraph in memory (the default) or on disk (for large graphs merged with ``--with``)."""

from __future__ import annotations

import gzip
import io
import re
import zlib
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from ldngraph.core import namespaces as ns
from ldngraph.rdf.user_files import check_user_rdf
from ldngraph.sparql.query_text import inline_values, subs_names
from ldngraph.sparql.rdf_files import ProgressReader, rdf_format
from ldngraph.sparql.store_interface import (
    Progress,
    QueryError,
    QueryResult,
    QuerySyntaxError,
    Store,
    StoreError,
    materialise,
)

if TYPE_CHECKING:  # pragma: no cover
    import pyoxigraph

_POSITION = re.compile(r"error at (\d+):(\d+):?\s*(.*)", re.S)


def syntax_message(error: Exception) -> str:
    """A one-line message for a query syntax error, naming line and column."""
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    found = _POSITION.search(text)
    if found:
        line, column, rest = found.groups()
        return f"query syntax error at line {line}, column {column}: {rest.strip()}"
    return f"query syntax error: {text}"


class OxigraphStore(Store):
    """pyoxigraph in memory (``path=None``, the embedded default) or on disk (``path=DIR``)."""

    def __init__(self, path: Path | str | None = None, *, read_only: bool = False):
        import pyoxigraph as ox

        self.path = Path(path) if path is not None else None
        try:
            if self.path is None:
                self._store = ox.Store()
            elif read_only:
                self._store = ox.Store.read_only(str(self.path))
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(self.path))
        except OSError as exc:
            raise StoreError(f"cannot open the Oxigraph store at {self.path}: {exc}") from exc
        self.kind = "oxigraph-memory" if self.path is None else "oxigraph-disk"

    @property
    def raw(self) -> pyoxigraph.Store:
        """The underlying pyoxigraph Store."""
        return self._store

    def describe(self) -> str:
        """One line saying what this store is."""
        return "Oxigraph in memory" if self.path is None else f"Oxigraph on disk at {self.path}"

    def load_file(self, path: Path | str, *, progress: Progress | None = None) -> int:
        """Bulk-load one RDF file (format from its suffix, ``.gz`` allowed) into the default graph.

        Returns the number of triples added. Progress, if given, is reported about once a second.
        """
        import pyoxigraph as ox

        path = Path(path)
        if not path.is_file():
            raise StoreError(f"{path}: no such file")
        fmt_name = rdf_format(path)
        check_user_rdf(path, fmt_name)
        fmt = getattr(ox.RdfFormat, fmt_name)
        before = len(self._store)
        try:
            if progress is None and path.suffix != ".gz":
                self._store.bulk_load(path=str(path), format=fmt)
            else:
                opener = gzip.open if path.suffix == ".gz" else open
                with open(path, "rb") as raw:
                    reader = ProgressReader(raw, path.stat().st_size, path.name, progress or (lambda _m: None))
                    stream: IO[bytes] = gzip.GzipFile(fileobj=reader) if opener is gzip.open else reader  # type: ignore[assignment]
                    self._store.bulk_load(io.BufferedReader(stream, 1 << 20), format=fmt)  # type: ignore[arg-type]
        except SyntaxError as exc:
            raise StoreError(f"{path}: {exc}") from exc
        except MemoryError as exc:  # pyoxigraph's parser buffer cap (a 16 MB line, a gzip bomb of one line)
            raise StoreError(f"{path}: cannot load: {exc or 'out of memory'}") from exc
        except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
            raise StoreError(f"{path}: not a complete gzip file ({exc})") from exc
        except (OSError, ValueError) as exc:
            raise StoreError(f"{path}: cannot load: {exc}") from exc
        added = len(self._store) - before
        if progress is not None:
            progress(f"loaded {path.name}: {added:,} triples")
        return added

    def load_bytes(self, data: bytes, fmt: str = "N_TRIPLES") -> None:
        """Load RDF given as bytes (N-Triples by default) into the default graph."""
        import pyoxigraph as ox

        self._store.bulk_load(data, format=getattr(ox.RdfFormat, fmt))

    def clear(self) -> None:
        """Remove every triple."""
        self._store.clear()

    def triple_count(self) -> int:
        """Number of triples (quads) in the store."""
        return len(self._store)

    def execute(
        self, sparql: str, substitutions: dict[str, Any] | None = None, *, max_rows: int | None = None
    ) -> QueryResult:
        """Run a query; variables in ``substitutions`` are bound to RDF terms before evaluation."""
        import pyoxigraph as ox

        subs = {ox.Variable(k): v for k, v in (substitutions or {}).items()}
        # The substitution binds the parameters; the same terms in a VALUES block are for the
        # optimizer, which does not see substituted values and would otherwise not start from them
        # (mechanism-paths at 10^6 triples: 2.0 s without, 0.07 s for its path part with; 0006).
        sparql = inline_values(sparql, substitutions or {}, required=False)
        try:
            result = self._store.query(sparql, substitutions=subs or None, prefixes=dict(ns.PREFIXES))
            return materialise(result, max_rows)
        except SyntaxError as exc:
            raise QuerySyntaxError(syntax_message(exc)) from exc
        except RuntimeError as exc:
            if "SELECT projection" in str(exc):
                raise QueryError(
                    f"cannot bind {', '.join('?' + k for k in subs_names(substitutions))}: a parameter must be a "
                    "variable the query SELECTs"
                ) from exc
            raise QueryError(f"query failed: {exc}") from exc
        except (OSError, ValueError, TypeError) as exc:
            raise QueryError(f"query failed: {exc}") from exc

    def flush(self) -> None:
        """Make an on-disk store durable and compact."""
        if self.path is not None:
            self._store.flush()
            self._store.optimize()

    def close(self) -> None:
        """Flush an on-disk store; drop the reference."""
        if self.path is not None:
            try:
                self._store.flush()
            except OSError:
                pass
