"""Entry point for gunicorn (`app:app`) and `flask --app app`."""
from mai_guides import create_app

app = create_app()
