"""PDF file sizes per script, with and without cutting CJK fonts to the glyphs used (cidfonts.py).

Run after a build: `.venv/bin/python bench/pdf_sizes.py`. Renders each document twice in the
same run (WeasyPrint's own subsetting as the baseline) and prints KB and the ratio.
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import app  # noqa: E402
from mai_guides.pdf import render as pdf  # noqa: E402
from mai_guides.pdf.documents import DocSpec, render_spec  # noqa: E402

LOCALES = ("en", "es", "ar", "ur", "am", "hi", "zh-Hans", "zh-Hant", "ko")


def main() -> None:
    print(f"{'document':34}{'WeasyPrint KB':>14}{'slimmed KB':>12}{'ratio':>8}")
    slim = pdf.slim_cid_fonts
    with app.app_context():
        for locale in LOCALES:
            for kind in ("card", "sheet", "handout"):
                spec = DocSpec(kind, "ice-encounters", locale)
                pdf.slim_cid_fonts = lambda data: data  # noqa: E731  the baseline
                before = len(render_spec(spec))
                pdf.slim_cid_fonts = slim
                after = len(render_spec(spec))
                print(f"{kind + ' ' + locale:34}{before / 1024:14.1f}{after / 1024:12.1f}{after / before:8.2f}")


if __name__ == "__main__":
    main()
