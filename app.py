"""Entry point for gunicorn (`app:app`) and `flask --app app`."""
from mai_guides import create_app
from mai_guides.local_help import LocalHelpError

try:
    app = create_app()
except LocalHelpError as exc:  # a wrong hotline setting: one clear line, no traceback
    raise SystemExit(f"MAI Guides cannot start: {exc}") from None
