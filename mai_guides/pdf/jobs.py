"""A print-builder job: several rendered PDFs joined into one, still tagged, titled and bookmarked.

pikepdf (qpdf) copies pages with everything they refer to, through public calls. Structure trees,
which make a PDF accessible, are carried across by hand: each document's /Document element goes
under one new root, marked with the document's own language, and the numbers of its parent tree
are shifted past the documents before it. Each part's bookmarks come along under one bookmark
named after it, and the job gets an XMP packet like its parts' (PDF/UA part 1, title, languages).
"""
from __future__ import annotations

import io
from contextlib import ExitStack
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name, OutlineItem, Pdf, String


def join_documents(paths: list[Path], duplex: bool, lang: str) -> bytes:
    """The documents in order; with duplex, a blank page after each odd-length document so
    that every document starts on the front of a sheet."""
    joined = Pdf.new()
    elements, nums, parts = Array(), Array(), []
    with ExitStack() as stack:  # qpdf reads the parts' objects until the job is written
        for path in paths:
            part = stack.enter_context(Pdf.open(path))
            start = len(joined.pages)
            joined.pages.extend(part.pages)
            offset = _structure_offset(nums)
            element = _carry_structure(joined, part, start, offset, nums)
            if element is not None:
                elements.append(element)
            parts.append(_part_info(part, start))
            if duplex and (len(joined.pages) - start) % 2:
                joined.add_blank_page(page_size=_size(joined.pages[-1]))
        _finish(joined, elements, nums, parts, lang)
        buffer = io.BytesIO()
        joined.save(buffer, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return buffer.getvalue()


def _size(page) -> tuple[float, float]:
    box = page.mediabox
    return float(box[2]) - float(box[0]), float(box[3]) - float(box[1])


def _structure_offset(nums: Array) -> int:
    """The next free number in the joined parent tree."""
    keys = [int(nums[i]) for i in range(0, len(nums), 2)]
    return max(keys) + 1 if keys else 0


def _carry_structure(joined: Pdf, part: Pdf, start: int, offset: int, nums: Array):
    """Copy one document's structure into the job, renumbered from offset; its element."""
    root = part.Root.get("/StructTreeRoot")
    if root is None:
        return None
    source_nums = root.ParentTree.Nums
    for i in range(0, len(source_nums), 2):
        nums.append(int(source_nums[i]) + offset)
        nums.append(_copy(joined, source_nums[i + 1]))  # pages already copied map to the job's
    for page in joined.pages[start:start + len(part.pages)]:
        if "/StructParents" in page.obj:
            page.obj.StructParents = int(page.obj.StructParents) + offset
        for annotation in page.obj.get("/Annots", Array()):
            if "/StructParent" in annotation:
                annotation.StructParent = int(annotation.StructParent) + offset
    kids = root.K
    element = _copy(joined, kids[0] if isinstance(kids, Array) else kids)
    if "/Lang" in part.Root:
        element.Lang = String(str(part.Root.Lang))
    return element


def _copy(joined: Pdf, value):
    """A part's object in the job: qpdf copies indirect objects (and what they refer to) itself;
    a direct array or dictionary is rebuilt around its copied members."""
    if isinstance(value, (Array, Dictionary)) and not value.is_indirect:
        if isinstance(value, Array):
            return Array([_copy(joined, item) for item in value])
        return Dictionary({key: _copy(joined, item) for key, item in value.items()})
    return joined.copy_foreign(value) if isinstance(value, pikepdf.Object) and value.is_indirect else value


def _part_info(part: Pdf, start: int) -> dict:
    """What the job keeps of a part besides its pages: title, language, bookmarks (as job pages)."""
    pages = {page.objgen: start + number for number, page in enumerate(part.pages)}
    with part.open_outline() as outline:
        bookmarks = [_bookmark(item, pages) for item in outline.root]
    return {"title": str(part.docinfo.get("/Title", "")), "lang": str(part.Root.get("/Lang", "")),
            "first_page": start, "bookmarks": [b for b in bookmarks if b is not None]}


def _bookmark(item: OutlineItem, pages: dict) -> tuple | None:
    """(title, job page number, children) of a part's bookmark that points at one of its pages."""
    destination = item.destination
    target = destination[0].objgen if isinstance(destination, Array) and len(destination) else None
    if target not in pages:
        return None
    children = [child for child in (_bookmark(kid, pages) for kid in item.children) if child is not None]
    return item.title, pages[target], children


def _outline_item(title: str, page: int, children) -> OutlineItem:
    item = OutlineItem(title, page)
    item.children.extend(_outline_item(*child) for child in children)
    return item


def _finish(joined: Pdf, elements: Array, nums: Array, parts: list[dict], lang: str) -> None:
    """The job's root: one structure tree, language, title, bookmarks and XMP metadata."""
    root = joined.make_indirect(Dictionary(Type=Name.StructTreeRoot, K=elements,
                                           ParentTree=joined.make_indirect(Dictionary(Nums=nums))))
    for element in elements:
        element.P = root
    joined.Root.StructTreeRoot = root
    joined.Root.MarkInfo = Dictionary(Marked=True)
    joined.Root.ViewerPreferences = Dictionary(DisplayDocTitle=True)
    # One language for the whole job when it has one; else the reader's (each part has its own).
    langs = list(dict.fromkeys(filter(None, (part["lang"] for part in parts))))
    joined.Root.Lang = String(langs[0] if len(langs) == 1 else lang)
    title = " · ".join(dict.fromkeys(filter(None, (part["title"] for part in parts)))) or "MAI Guides"
    with joined.open_outline() as outline:
        for part in parts:
            top = OutlineItem(part["title"] or "MAI Guides", part["first_page"])
            top.children.extend(_outline_item(*bookmark) for bookmark in part["bookmarks"])
            outline.root.append(top)
    joined.docinfo["/Title"] = title
    joined.docinfo["/Author"] = "MAI Guides"
    with joined.open_metadata(set_pikepdf_as_editor=False) as xmp:
        xmp["dc:title"] = title
        xmp["dc:creator"] = ["MAI Guides"]
        xmp["dc:language"] = langs or [lang]
        xmp["pdfuaid:part"] = "1"  # PDF/UA-1, as each part declares
