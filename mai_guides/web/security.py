"""Response headers that keep readers safe and untracked."""
from __future__ import annotations

CSP = "; ".join([
    "default-src 'none'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "media-src 'self'",  # the spoken phrases (/audio/)
    "script-src 'self'",
    "manifest-src 'self'",
    "connect-src 'self'",
    "worker-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
])

HEADERS = {
    "Content-Security-Policy": CSP,
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def secure_headers(response):
    """Add the security headers and drop any cookie: the locale lives in the URL."""
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    response.headers.pop("Set-Cookie", None)
    return response

