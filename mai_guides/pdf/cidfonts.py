"""Lighter Chinese and Korean PDFs: embed only the glyphs used of CID-keyed CFF fonts.

Why the files were 190-270 KB: WeasyPrint subsets fonts keeping every glyph id ("retain gids":
its text uses the font's glyph ids as character ids) and keeps every slot up to the highest id
used. Noto Sans CJK has 65,535 glyphs and Han characters sit high in it, so a card with forty
characters embedded a font with ~60,000 empty slots (charset, offsets, widths of nothing).

The fix, after WeasyPrint: re-subset such a font to the glyphs used without keeping ids, and
embed it as a bare CID-keyed CFF (FontFile3 /CIDFontType0C). In that form the viewer finds each
glyph by its CID through the font's charset, so the page's text keeps working unchanged, as long
as the font's CIDs equal its glyph ids (Adobe-Identity-0, true of Noto Sans CJK; checked per
glyph, else the font is left as WeasyPrint wrote it).
"""
from __future__ import annotations

import io

import pikepdf
from fontTools import subset
from fontTools.ttLib import TTFont

# WeasyPrint packs its objects in compressed object streams; the rewritten file is packed the same
# way (pypdf, used before, wrote every object loose: a Chinese handout came out 240 KB, not 158).
SAVE_OPTIONS = {"object_stream_mode": pikepdf.ObjectStreamMode.generate, "compress_streams": True,
                "recompress_flate": True, "deterministic_id": True}


def slim_cid_fonts(data: bytes) -> bytes:
    """The PDF with its CID-keyed CFF fonts cut to the glyphs used, if that makes it smaller."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        done, changed = set(), False
        for page in pdf.pages:
            fonts = page.obj.get("/Resources", {}).get("/Font", {})
            for _name, font in fonts.items():
                for descendant in font.get("/DescendantFonts", []):
                    stream = descendant.FontDescriptor.get("/FontFile3")
                    if stream is None or stream.objgen in done:
                        continue
                    done.add(stream.objgen)
                    changed |= _slim(stream, used_cids(descendant.get("/W", [])))
        if not changed:
            return data
        buffer = io.BytesIO()
        pdf.save(buffer, **SAVE_OPTIONS)  # keeps the 1.7 header PDF/UA-1 needs
    return min(data, buffer.getvalue(), key=len)


def used_cids(widths) -> set[int]:
    """The CIDs a CID font's /W array gives widths for: the glyphs the text uses."""
    cids, i = set(), 0
    while i < len(widths):
        first, second = int(widths[i]), widths[i + 1]
        if isinstance(second, (list, pikepdf.Array)):
            cids.update(range(first, first + len(second)))
            i += 2
        else:
            cids.update(range(first, int(second) + 1))
            i += 3
    return cids


def _slim(stream, cids: set[int]) -> bool:
    """Replace an OpenType CFF font stream by a CID-keyed CFF of the used glyphs only."""
    if stream.get("/Subtype") != "/OpenType" or not cids:
        return False
    font = TTFont(io.BytesIO(stream.read_bytes()))
    if "CFF " not in font or not hasattr(font["CFF "].cff.topDictIndex[0], "ROS"):
        return False
    order = font.getGlyphOrder()
    if any(cid >= len(order) or order[cid] != f"cid{cid:05d}" for cid in cids if cid):
        return False  # CIDs are not glyph ids in this font: the text would draw other glyphs
    options = subset.Options(retain_gids=False, glyph_names=True, desubroutinize=True,
                             notdef_outline=True, ignore_missing_glyphs=True)
    subsetter = subset.Subsetter(options)
    subsetter.populate(glyphs=[order[cid] for cid in sorted(cids)])
    subsetter.subset(font)
    stream.write(font["CFF "].compile(font))  # compressed when the file is saved
    stream.Subtype = pikepdf.Name.CIDFontType0C
    return True
