"""Printed documents: what each PDF is (documents), HTML to PDF bytes with WeasyPrint (render),
CJK fonts cut to the glyphs used (cidfonts), the cache keyed by what changes a file (cache), and
print-builder jobs joined from cached files (jobs). Knows nothing of requests."""
