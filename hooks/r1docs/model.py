"""The records the checks pass around: pages in, findings out."""

from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import PurePosixPath


@dataclass(frozen=True)
class Finding:
    """One problem, in MkDocs' own message style; `file` and `line` locate it."""

    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Page:
    """A Markdown source of one language: `uri` is its path under docs/, e.g. 'zh/moe.md'."""

    uri: str
    text: str

    @property
    def lang(self) -> str:
        return self.uri.split("/", 1)[0]

    @property
    def name(self) -> str:
        """The path inside the language tree, e.g. 'moe.md': the key that pairs two pages."""
        return self.uri.split("/", 1)[1]

    @property
    def dir(self) -> PurePosixPath:
        return PurePosixPath(self.name).parent


def not_utf8(what: str, name: str, data: bytes, error: UnicodeDecodeError) -> str:
    """The one-line message for a file that is not UTF-8: "Doc file 'zh/a.md' (line 3) …"."""
    line = data[: error.start].count(b"\n") + 1
    return f"{what} '{name}' (line {line}) is not valid UTF-8 (byte 0x{data[error.start]:02x}): save it as UTF-8."


@contextmanager
def paused_gc():
    """Python's cyclic garbage collector held off: parsing a page (Markdown or HTML) makes
    hundreds of thousands of small objects, and the collector's repeated passes over them cost
    a third to a half of the time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
