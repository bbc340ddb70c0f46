"""Word documents (.docx): body paragraphs and tables in reading order, footnotes after them.

A .docx is a zip archive; it is checked before python-docx opens it, so that a zip bomb (or
a file that only pretends to be Word) is refused with a one-line reason instead of filling
memory.
"""

from __future__ import annotations

import io
import zipfile

MAX_UNCOMPRESSED = 512 * 1024 * 1024  # all members together (pictures included)
MAX_XML = 64 * 1024 * 1024  # the XML parts, which are parsed into memory
MAX_RATIO = 200  # uncompressed/compressed of a large member; real Word XML stays far below

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
FOOTNOTES_RELTYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"
ENDNOTES_RELTYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/endnotes"


def check_zip(data: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ValueError("not a Word document (.docx is a zip archive; this is not one)") from None
    with archive:
        members = archive.infolist()
        names = {member.filename for member in members}
        if "word/document.xml" not in names and "[Content_Types].xml" not in names:
            raise ValueError("not a Word document (no word/document.xml)")
        total = xml = 0
        for member in members:
            total += member.file_size
            if member.filename.endswith((".xml", ".rels")):
                xml += member.file_size
            if member.file_size > 1024 * 1024 and member.file_size > MAX_RATIO * max(member.compress_size, 1):
                raise ValueError(f"refused: {member.filename} would expand {member.file_size // max(member.compress_size, 1)}"
                                 " times (a zip bomb?)")
        if xml > MAX_XML:
            raise ValueError(f"refused: its XML would expand to {xml // (1024 * 1024)} MB (a zip bomb?)")
        if total > MAX_UNCOMPRESSED:
            raise ValueError(f"refused: would expand to {total // (1024 * 1024)} MB (a zip bomb?)")


def _paragraph_text(element) -> str:
    # w:t text runs, tabs and breaks, in order; deleted text (w:delText) is left out.
    parts = []
    for node in element.iter(f"{{{W_NS}}}t", f"{{{W_NS}}}tab", f"{{{W_NS}}}br", f"{{{W_NS}}}cr"):
        if node.tag == f"{{{W_NS}}}t":
            parts.append(node.text or "")
        elif node.tag == f"{{{W_NS}}}tab":
            parts.append("\t")
        else:
            parts.append("\n")
    return "".join(parts)


def _block_lines(parent) -> list[str]:
    """Paragraphs of a body or table cell, tables row by row, each cell's paragraphs as lines."""
    lines: list[str] = []
    for child in parent.iterchildren():
        if child.tag == f"{{{W_NS}}}p":
            lines.append(_paragraph_text(child))
        elif child.tag == f"{{{W_NS}}}tbl":
            for row in child.iterchildren(f"{{{W_NS}}}tr"):
                seen_cells = set()
                for cell in row.iterchildren(f"{{{W_NS}}}tc"):
                    cell_lines = _block_lines(cell)
                    key = "\n".join(cell_lines)
                    if key in seen_cells:  # a merged cell repeats its text
                        continue
                    seen_cells.add(key)
                    lines.extend(cell_lines)
        elif child.tag == f"{{{W_NS}}}sdt":  # content controls wrap ordinary paragraphs
            content = child.find(f"{{{W_NS}}}sdtContent")
            if content is not None:
                lines.extend(_block_lines(content))
    return lines


def _notes(document, reltype: str) -> list[str]:
    from lxml import etree

    lines = []
    for relationship in document.part.rels.values():
        if relationship.reltype != reltype or relationship.is_external:
            continue
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
        root = etree.fromstring(relationship.target_part.blob, parser)
        for note in root:
            if note.get(f"{{{W_NS}}}type") in ("separator", "continuationSeparator", "continuationNotice"):
                continue
            text = "".join(_paragraph_text(p) for p in note.iter(f"{{{W_NS}}}p")).strip()
            if text:
                lines.append(text)
    return lines


def read_docx(data: bytes) -> tuple[str, dict]:
    check_zip(data)
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
        body = _block_lines(document.element.body)
        footnotes = _notes(document, FOOTNOTES_RELTYPE) + _notes(document, ENDNOTES_RELTYPE)
        properties = document.core_properties
        title = (properties.title or "").strip() or None
        when = properties.created or properties.modified
    except ValueError:
        raise
    except Exception as error:  # python-docx and lxml raise many kinds on a damaged file
        raise ValueError(f"not a readable Word document ({type(error).__name__}: {error})".split("\n")[0]) from None
    # Footnotes come after the body, apart from it, so a note never splits a paragraph.
    text = "\n".join(body)
    if footnotes:
        text += "\n\n" + "\n".join(footnotes)
    date = when.strftime("%Y-%m-%d") if when and 1900 < when.year < 2100 else None
    return text, {"title": title, "date": date, "encoding": "docx"}
