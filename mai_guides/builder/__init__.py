"""The build side: content and catalogs in, a database and pre-rendered PDFs out.

Run only by `flask mai ...` commands (loaded on first use by mai_guides.cli); nothing under
mai_guides.web imports it, and a test proves gunicorn's workers never load it.
"""
