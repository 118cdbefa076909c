"""gunicorn's threaded worker (gunicorn.conf.py's worker_class), changed in two places.

gunicorn reads at most 8,190 bytes of request line (its hard maximum); past that it answers a raw,
English-only 414 before the app sees anything. Such an address comes from a print-builder or search
link pasted or built many times over. This worker answers it with the app's own "address too long"
page instead: a 400 with the app's security headers, saying it in every shipped language, since the
path (and so the reader's language) was never read.

Every other answer gunicorn writes itself (a malformed request: 400, 431, ...) gets the app's
security headers too: it is written straight to the socket, so the socket it writes to adds them.
"""
from __future__ import annotations

from gunicorn.http.errors import LimitRequestLine
from gunicorn.workers.gthread import ThreadWorker
from werkzeug.test import EnvironBuilder, run_wsgi_app

from .security import HEADERS

ADDRESS_TOO_LONG = "/address-too-long"


def with_security_headers(answer: bytes) -> bytes:
    """An HTTP answer with the app's security headers after its status line."""
    status, _, rest = answer.partition(b"\r\n")
    added = "".join(f"{name}: {value}\r\n" for name, value in HEADERS.items()).encode("latin-1")
    return status + b"\r\n" + added + rest


class SecuredErrorSocket:
    """The client socket, for gunicorn's own error answer only: adds the security headers to it."""

    def __init__(self, sock):
        self._sock = sock

    def __getattr__(self, name):
        return getattr(self._sock, name)

    def sendall(self, data: bytes):
        return self._sock.sendall(with_security_headers(data))


class Worker(ThreadWorker):
    def handle_error(self, req, client, addr, exc):
        if not isinstance(exc, LimitRequestLine):
            return super().handle_error(req, SecuredErrorSocket(client), addr, exc)
        try:
            answer = app_response(self.wsgi, ADDRESS_TOO_LONG)
        except Exception:  # the app could not answer: gunicorn's own 414 is still an answer
            self.log.exception("Could not render %s", ADDRESS_TOO_LONG)
            return super().handle_error(req, client, addr, exc)
        # the request text is the reader's (search words, languages): log only that it happened
        self.log.warning("Request line too long: answered with %s", ADDRESS_TOO_LONG)
        try:
            client.sendall(answer)
        except OSError:
            pass  # the client left; gunicorn closes the socket either way
        return None


def app_response(app, path: str) -> bytes:
    """The app's whole answer to GET `path`, as HTTP/1.1 bytes for a connection about to close."""
    environ = EnvironBuilder(path=path, headers={"Connection": "close"}).get_environ()
    body_parts, status, headers = run_wsgi_app(app, environ, buffered=True)
    body = b"".join(body_parts)
    lines = [f"HTTP/1.1 {status}"]
    lines += [f"{name}: {value}" for name, value in headers.items()
              if name.lower() not in ("connection", "content-length", "transfer-encoding")]
    lines += [f"Content-Length: {len(body)}", "Connection: close"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body
