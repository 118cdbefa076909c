"""Reading PDFs back: sizes, text, fonts, links, QR codes, embedded files."""
from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
from functools import lru_cache
from pathlib import Path

import pdfplumber
from PIL import Image
from pypdf import PdfReader


def get_pdf(client, url: str) -> bytes:
    """A PDF as the app serves it, asserting it was served as one."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    assert response.mimetype == "application/pdf"
    return response.data


def qpdf_check(data: bytes) -> None:
    """qpdf, the reference checker, finds no structural error in the file."""
    assert shutil.which("qpdf"), "qpdf is missing: run `make deps`"
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "doc.pdf").write_bytes(data)
        result = subprocess.run(["qpdf", "--check", str(Path(tmp) / "doc.pdf")], capture_output=True, text=True)
    assert result.returncode == 0 and "No syntax or stream encoding errors" in result.stdout, result.stdout


def reader(data: bytes) -> PdfReader:
    assert data.startswith(b"%PDF-"), data[:40]
    return PdfReader(io.BytesIO(data))


def page_sizes(data: bytes) -> list[tuple[float, float]]:
    return [(round(float(p.mediabox.width), 1), round(float(p.mediabox.height), 1)) for p in reader(data).pages]


def text(data: bytes, page: int | None = None) -> str:
    pages = reader(data).pages
    chosen = pages if page is None else [pages[page]]
    return "\n".join(p.extract_text() for p in chosen)


def fonts(data: bytes) -> dict[str, bool]:
    """Base font name -> whether its glyphs are embedded in the file."""
    found = {}
    for page in reader(data).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0].get_object() if descendants else font).get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor else {}
            embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            found[str(font["/BaseFont"]).split("+")[-1]] = embedded
    return found


def link_targets(data: bytes) -> list[str]:
    targets = []
    for page in reader(data).pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A")
            if action and "/URI" in action:
                targets.append(str(action["/URI"]))
    return targets


def embedded_files(data: bytes) -> list:
    root = reader(data).trailer["/Root"]
    names = root.get("/Names")
    files = names.get_object().get("/EmbeddedFiles") if names else None
    annots = [a for p in reader(data).pages for a in (p.get("/Annots") or [])
              if a.get_object().get("/Subtype") == "/FileAttachment"]
    return [f for f in (files, *annots) if f]


@lru_cache(maxsize=8)
def plumbed(data: bytes) -> pdfplumber.PDF:
    """pdfplumber's reading of a file, kept for the next question about the same bytes: opening
    a file (object streams, fonts) costs as much as reading a page, and a test asks about each
    page of a card or sheet two or three times."""
    return pdfplumber.open(io.BytesIO(data))


def chars(data: bytes, page: int) -> list[dict]:
    return plumbed(data).pages[page].chars


def rects(data: bytes, page: int = 0) -> list[dict]:
    return plumbed(data).pages[page].rects


def page_image(data: bytes, page: int = 0, dpi: int = 200) -> Image.Image:
    """One page as poppler draws it (pdftoppm), in grey. PGM, not PNG: the same pixels without
    the PNG encoding, which took 90% of pdftoppm's time."""
    assert shutil.which("pdftoppm"), "pdftoppm is missing: run `make deps`"
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "doc.pdf"
        pdf.write_bytes(data)
        subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-f", str(page + 1), "-l", str(page + 1),
                        str(pdf), str(Path(tmp) / "page")], check=True)
        with Image.open(next(Path(tmp).glob("page*.pgm"))) as image:
            return image.copy()


def qr_codes(data: bytes, page: int = 0) -> list[str]:
    """Decode the QR codes on a page: drawn by pdftoppm, read by zbarimg."""
    assert shutil.which("zbarimg"), "zbarimg is missing: run `make deps`"
    with tempfile.TemporaryDirectory() as tmp:
        image = Path(tmp) / "page.pgm"
        page_image(data, page).save(image)
        out = subprocess.run(["zbarimg", "--quiet", "--raw", str(image)], capture_output=True, text=True)
        return out.stdout.split()


def flat(value: str) -> str:
    """Letters and digits only: PDF extraction breaks lines wherever the layout did, and in
    right-to-left text it may put a sentence's closing punctuation on the other side."""
    return re.sub(r"[\W_]+", "", value)
