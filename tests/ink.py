"""Whether the lines of a PDF touch: WeasyPrint's line boxes measured against the glyphs' ink.

Nastaliq letters reach far above and below their line box, so the line boxes alone cannot say
whether two lines collide, and glyph bounding boxes overlap where the ink does not. This draws
the real ink instead: the page is rendered twice by PDFium, once with only the text of the
even-numbered rows of line boxes and once with only the odd ones (each glyph goes to the row
that holds its origin). Every pixel inked in both images belongs to two different lines: a
collision. Growing one image by a pixel first also catches lines that touch without overlapping.
"""
from __future__ import annotations

from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
from PIL import Image, ImageChops, ImageFilter
from weasyprint.formatting_structure import boxes

PT_PER_PX = 0.75     # WeasyPrint lays out in CSS px
DPI = 288            # 4 pixels per point
INK = 160            # grey level under which a pixel counts as ink


@dataclass
class PageInk:
    rows: int
    unassigned: int          # glyphs whose origin lies in no line box: not measured
    touching: tuple | None   # bounding box (pt) where two lines' ink meets, or None


def rows_of(page_box) -> list[tuple[float, float]]:
    """The page's line boxes as rows (top, bottom) in points; line boxes side by side (a list
    marker and its text) are one row."""
    spans = []

    def walk(box):
        if isinstance(box, boxes.LineBox):
            spans.append((box.position_y * PT_PER_PX, (box.position_y + box.height) * PT_PER_PX))
        for child in getattr(box, "children", []):
            walk(child)

    walk(page_box)
    rows: list[list[float]] = []
    for top, bottom in sorted(spans):
        if rows and top < rows[-1][1] - 0.5:
            rows[-1][1] = max(rows[-1][1], bottom)
        else:
            rows.append([top, bottom])
    return [(top, bottom) for top, bottom in rows]


def row_of(y: float, rows) -> int | None:
    return next((index for index, (top, bottom) in enumerate(rows) if top - 0.5 <= y <= bottom + 0.5), None)


def ink_of_rows(data: bytes, page_number: int, rows, parity: int) -> tuple[Image.Image, int]:
    """The page's text ink from the rows of one parity (white on black), and how many glyphs
    fell in no row."""
    page = pdfium.PdfDocument(data)[page_number]
    height = page.get_height()
    unassigned = 0
    for obj in list(page.get_objects()):
        row = None
        if obj.type == pdfium_raw.FPDF_PAGEOBJ_TEXT:
            row = row_of(height - obj.get_matrix().f, rows)  # the glyph run's origin, from the top
            unassigned += row is None
        if row is None or row % 2 != parity:
            page.remove_obj(obj)
    page.gen_content()
    image = page.render(scale=DPI / 72, grayscale=True).to_pil().convert("L")
    return image.point(lambda value: 255 if value < INK else 0), unassigned


def page_ink(document, data: bytes, page_number: int, gap_px: int = 1) -> PageInk:
    """Measure one page of a laid-out WeasyPrint document and its PDF bytes: lines whose ink
    comes within `gap_px` pixels of another line's ink touch."""
    rows = rows_of(document.pages[page_number]._page_box)
    even, unassigned = ink_of_rows(data, page_number, rows, 0)
    odd, _ = ink_of_rows(data, page_number, rows, 1)
    grown = even.filter(ImageFilter.MaxFilter(2 * gap_px + 1)) if gap_px else even
    where = ImageChops.multiply(grown, odd).getbbox()
    touching = tuple(round(v * 72 / DPI, 1) for v in where) if where else None
    return PageInk(len(rows), unassigned, touching)
