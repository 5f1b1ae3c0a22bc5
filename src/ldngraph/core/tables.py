"""Plain-text tables for the terminal: aligned columns, long cells wrapped or cut."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence


def format_table(headers: Sequence[str], rows: Sequence[Sequence[object]], *, max_width: int = 48) -> str:
    """Render rows as an aligned text table; cells longer than ``max_width`` wrap onto more lines."""
    text_rows = [["" if cell is None else str(cell) for cell in row] for row in rows]
    wrapped: list[list[list[str]]] = []
    for row in text_rows:
        wrapped.append([textwrap.wrap(cell, max_width) or [""] for cell in row])
    widths = [len(h) for h in headers]
    for row in wrapped:
        for i, lines in enumerate(row):
            widths[i] = max(widths[i], *(len(line) for line in lines))
    sep = "-+-".join("-" * w for w in widths)
    out = [" | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)), sep]
    for row in wrapped:
        height = max(len(lines) for lines in row)
        for k in range(height):
            out.append(
                " | ".join(
                    (lines[k] if k < len(lines) else "").ljust(w) for lines, w in zip(row, widths, strict=True)
                ).rstrip()
            )
    return "\n".join(out)
