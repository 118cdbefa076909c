"""A print-builder job: several rendered PDFs joined into one, still tagged and titled.

pypdf copies pages but not the structure trees that make a PDF accessible, so we carry each
document's tree across: its /Document element goes under one new root, marked with the
document's own language, and the page and link numbers of its parent tree are shifted past
the documents before it.
"""
from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pypdf
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, BooleanObject, DictionaryObject, NameObject, NumberObject, TextStringObject

# The joining code and pypdf: when either changes, cached jobs are made again.
JOB_VERSION = hashlib.sha256(Path(__file__).read_bytes() + pypdf.__version__.encode()).hexdigest()[:12]


def join_documents(paths: list[Path], duplex: bool, lang: str) -> bytes:
    """The documents in order; with duplex, a blank page after each odd-length document so
    that every document starts on the front of a sheet."""
    writer = PdfWriter()
    elements, nums, titles, langs = ArrayObject(), ArrayObject(), [], []
    for path in paths:
        reader = PdfReader(path)
        start = len(writer.pages)
        writer.append(reader, import_outline=False)
        offset = _structure_offset(nums)
        element = _carry_structure(writer, reader, writer.pages[start:], offset, nums)
        if element is not None:
            elements.append(element)
        titles.append(str((reader.metadata or {}).get("/Title", "")))
        langs.append(str(reader.trailer["/Root"].get("/Lang", "")))
        if duplex and (len(writer.pages) - start) % 2:
            last = writer.pages[-1]
            writer.add_blank_page(float(last.mediabox.width), float(last.mediabox.height))
    _finish(writer, elements, nums, titles, langs, lang)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _structure_offset(nums: ArrayObject) -> int:
    """The next free number in the joined parent tree."""
    keys = [int(nums[i]) for i in range(0, len(nums), 2)]
    return max(keys) + 1 if keys else 0


def _carry_structure(writer, reader, pages, offset: int, nums: ArrayObject):
    """Clone one document's structure into the writer, renumbered from offset; its element."""
    root = reader.trailer["/Root"].get("/StructTreeRoot")
    if root is None:
        return None
    root = root.get_object()
    source_nums = root["/ParentTree"].get_object()["/Nums"]
    for i in range(0, len(source_nums), 2):
        nums.append(NumberObject(int(source_nums[i]) + offset))
        nums.append(source_nums[i + 1].clone(writer))  # pages already cloned map to the new ones
    for page, source in zip(pages, reader.pages, strict=True):  # pypdf drops /StructParents when it copies a page
        if "/StructParents" in source:
            page[NameObject("/StructParents")] = NumberObject(int(source["/StructParents"]) + offset)
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if "/StructParent" in annotation:
                annotation[NameObject("/StructParent")] = NumberObject(int(annotation["/StructParent"]) + offset)
    kids = root["/K"]
    document = (kids[0] if isinstance(kids, ArrayObject) else kids).clone(writer)
    element = document.get_object()
    lang = reader.trailer["/Root"].get("/Lang")
    if lang:
        element[NameObject("/Lang")] = TextStringObject(str(lang))
    return document.indirect_reference or writer._add_object(document)


def _finish(writer, elements, nums, titles, langs, lang) -> None:
    """The joined root: one structure tree, language, title, and 'show the title' for viewers."""
    parent_tree = writer._add_object(DictionaryObject({NameObject("/Nums"): nums}))
    root = DictionaryObject({NameObject("/Type"): NameObject("/StructTreeRoot"),
                             NameObject("/K"): elements, NameObject("/ParentTree"): parent_tree})
    root_ref = writer._add_object(root)
    for element in elements:
        element.get_object()[NameObject("/P")] = root_ref
    catalog = writer._root_object
    catalog[NameObject("/StructTreeRoot")] = root_ref
    catalog[NameObject("/MarkInfo")] = DictionaryObject({NameObject("/Marked"): BooleanObject(True)})
    catalog[NameObject("/ViewerPreferences")] = DictionaryObject(
        {NameObject("/DisplayDocTitle"): BooleanObject(True)})
    # One language for the whole job when it has one; else the reader's (each part has its own).
    distinct = set(filter(None, langs))
    catalog[NameObject("/Lang")] = TextStringObject(distinct.pop() if len(distinct) == 1 else lang)
    writer.add_metadata({"/Title": " · ".join(dict.fromkeys(filter(None, titles))) or "MAI Guides",
                         "/Author": "MAI Guides"})
