"""A local stand-in for GitHub Pages: the site under a sub-path, gzip for text, /404.html for misses.

Used by the browser tests and the benchmark, so both see what Pages readers get.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import io
import threading
from pathlib import Path

SUB_PATH = "/r1-notes/"
COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt")


class PagesHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test and benchmark output clean
        pass

    def send_head(self):
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        if not path.startswith(SUB_PATH):
            return self._send(self._not_found_body(), 404, "text/html; charset=utf-8")
        self.path = "/" + path[len(SUB_PATH):]
        target = Path(self.translate_path(self.path))
        if target.is_dir():
            if not self.path.endswith("/"):  # Pages redirects a directory to its slash form
                self.send_response(301)
                self.send_header("Location", SUB_PATH + self.path.lstrip("/") + "/")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None
            target = target / "index.html"
        if not target.is_file():
            return self._send(self._not_found_body(), 404, "text/html; charset=utf-8")
        return self._send(target.read_bytes(), 200, self.guess_type(str(target)), target.suffix)

    def _not_found_body(self) -> bytes:
        return (Path(self.directory) / "404.html").read_bytes()

    def _send(self, body: bytes, status: int, content_type: str, suffix: str = ".html"):
        if suffix in COMPRESSIBLE and "gzip" in self.headers.get("Accept-Encoding", ""):
            body = gzip.compress(body, compresslevel=6, mtime=0)
            self.send_response(status)
            self.send_header("Content-Encoding", "gzip")
        else:
            self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


class PagesServer:
    """Serve `site_dir` at http://127.0.0.1:<free port>/r1-notes/ in a background thread."""

    def __init__(self, site_dir: Path) -> None:
        handler = functools.partial(PagesHandler, directory=str(site_dir))
        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.base_url = f"http://127.0.0.1:{self._server.server_port}{SUB_PATH}"

    def __enter__(self) -> "PagesServer":
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()
