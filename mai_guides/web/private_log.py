"""gunicorn's error log without client addresses or request text (gunicorn.conf.py's logger_class).

gunicorn writes the client's address and the raw request line into its own warnings, e.g.
"Invalid request from ip=203.0.113.9: Invalid HTTP Version 'GET /en/search?q=...'", and the
request URI, query string included, into "Error handling request ...". Readers may be people
someone is looking for, and a search can say why: every record of the error log goes through
PrivacyFilter before it is written.
"""
from __future__ import annotations

import logging
import re

from gunicorn.glogging import Logger

INVALID_REQUEST = re.compile(r"^Invalid request from ip=.*", re.S)
ERROR_HANDLING = re.compile(r"^(Error handling request)\b.*", re.S)
# IPv4, and IPv6 written with at least two colons (covers ::1, fe80::…, ::ffff:1.2.3.4)
ADDRESS = re.compile(r"\b\d{1,3}(?:\.\d{1,3}){3}\b|(?<![\w:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f.]{0,15}(?![\w:])")


def redact(message: str, level: int = logging.WARNING) -> str:
    """The message with no address and no request text left in it. Below WARNING gunicorn logs
    only its own life (booting, "Listening at: http://127.0.0.1:8000"), which stays readable."""
    if INVALID_REQUEST.match(message):
        # the kind of error is all that is needed to debug; the rest is the reader's request
        return "Invalid request refused (client address and request text not logged)"
    message = ERROR_HANDLING.sub(r"\1 (request not logged)", message)
    return ADDRESS.sub("[address]", message) if level >= logging.WARNING else message


class PrivacyFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            message = str(record.msg)
        record.msg, record.args = redact(message, record.levelno), None
        return True


class PrivateLogger(Logger):
    """gunicorn's logger with PrivacyFilter on its error log (re-applied whenever it reopens)."""

    def setup(self, cfg):
        super().setup(cfg)
        if not any(isinstance(f, PrivacyFilter) for f in self.error_log.filters):
            self.error_log.addFilter(PrivacyFilter())
