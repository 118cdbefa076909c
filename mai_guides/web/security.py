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

# A PDF may be shown inside another site's page (a partner's <iframe>): it runs nothing and asks
# nothing of the reader, so no click can be stolen through it. Browsers that read frame-ancestors
# ignore X-Frame-Options (DENY stays for pages, and for the very old browsers that know only it).
EMBEDDABLE_CSP = CSP.replace("frame-ancestors 'none'", "frame-ancestors *")

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
    if response.mimetype == "application/pdf":
        response.headers.setdefault("Content-Security-Policy", EMBEDDABLE_CSP)
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    response.headers.pop("Set-Cookie", None)
    return response

