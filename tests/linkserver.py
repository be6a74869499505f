"""A local HTTP server for the link checker's tests: 127.0.0.1 only, in a thread, one behaviour per path.

Run by hand to serve the README's example (``python tests/linkserver.py 8765``).
"""

from __future__ import annotations

import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class LinkServer(ThreadingHTTPServer):
    """Counts requests per path and the most requests in flight at once."""

    daemon_threads = True

    def __init__(self, port: int = 0, slow: float = 2.0):
        super().__init__(("127.0.0.1", port), _Handler)
        self.slow = slow
        self.lock = threading.Lock()
        self.hits: dict[str, int] = {}
        self.methods: list[tuple[str, str]] = []
        self.in_flight = 0
        self.most_in_flight = 0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def start(self) -> "LinkServer":
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()


class _Handler(BaseHTTPRequestHandler):
    server: LinkServer

    def log_message(self, *args) -> None:
        pass

    def _send(self, code: int, headers: dict | None = None) -> None:
        self.send_response(code)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", "2")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(b"ok")

    def _serve(self) -> None:
        server, path = self.server, self.path.split("?")[0]
        with server.lock:
            count = server.hits[path] = server.hits.get(path, 0) + 1
            server.methods.append((self.command, path))
            server.in_flight += 1
            server.most_in_flight = max(server.most_in_flight, server.in_flight)
        self._answered = False
        try:
            self._route(path, count)
        finally:
            self._leave()

    def _leave(self) -> None:
        """The request is answered from the first byte sent: the client may start its next one then."""
        if not self._answered:
            self._answered = True
            with self.server.lock:
                self.server.in_flight -= 1

    def send_response(self, code, message=None) -> None:
        self._leave()
        super().send_response(code, message)

    def _route(self, path: str, count: int) -> None:
        if path.startswith("/ok") or path.startswith("/new"):
            self._send(200)
        elif path == "/moved":
            self._send(301, {"Location": "/new"})
        elif path == "/found":
            self._send(302, {"Location": "/new-temporary"})
        elif path == "/gone":
            self._send(410)
        elif path == "/forbidden":
            self._send(403)
        elif path == "/flaky":  # fails twice, then answers
            self._send(500 if count <= 2 else 200)
        elif path == "/broken":
            self._send(503)
        elif path == "/busy":  # rate-limited once
            self._send(429, {"Retry-After": "1"}) if count == 1 else self._send(200)
        elif path == "/busy-long":
            self._send(429, {"Retry-After": "3600"})
        elif path == "/slow":
            time.sleep(self.server.slow)
            self._send(200)
        elif path == "/no-head":  # a server that answers HEAD wrongly
            self._send(405 if self.command == "HEAD" else 200)
        elif path.startswith("/many/"):
            time.sleep(0.02)
            self._send(200)
        elif path == "/loop":
            self._send(302, {"Location": "/loop"})
        elif path == "/escapes":  # a redirect and a header carrying terminal escapes
            self.send_response(301)
            self._headers_buffer.append(b"Location: /new\x1b[2J\x1b]0;pwned\x07\r\nX-Evil: \x1b[31mred\r\n")
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            self._send(404)

    do_GET = do_HEAD = _serve


if __name__ == "__main__":
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 8765
    server = LinkServer(port)
    print(f"serving {server.base}", flush=True)
    server.serve_forever()
