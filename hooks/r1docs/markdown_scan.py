"""The name the checks used for a page's scan; the parsed view now lives in `document.py`."""

from __future__ import annotations

from .document import Document as Scan, Heading, Link, Segment

__all__ = ["Scan", "Heading", "Link", "Segment"]
