"""PDF: the text layer in reading order, without running headers, footers and page numbers.

pdfminer.six lays each page out into text boxes (its reading order); the lines of a box are
one paragraph, wrapped by the page width, and are joined again. A box in the top or bottom
band of a page is a header or footer when it is a page number or when the same text (digits
aside) stands in that band on other pages too.
"""

from __future__ import annotations

import io
import re
from collections import Counter

BAND = 0.09  # top and bottom share of the page height where running heads and feet stand
_PAGE_NUMBER_RE = re.compile(
    r"^[\s\-—–·•|]*(?:第?\s*\d{1,4}\s*页?(?:\s*[/／]\s*\d{1,4}|\s*共\s*\d{1,4}\s*页)?|[ivxlcdm]{1,6}|"
    r"page\s*\d{1,4}(?:\s*of\s*\d{1,4})?)[\s\-—–·•|]*$", re.I)
_DIGITS_RE = re.compile(r"\d+")


def _join_lines(lines: list[str]) -> str:
    text = ""
    for line in lines:
        line = line.strip()
        if not line:
            continue
        # Latin words wrapped across a line need their space back; Chinese never had one.
        if text and text[-1].isascii() and text[-1].isalnum() and line[0].isascii() and line[0].isalnum():
            text += " "
        text += line
    return text


def _pages(data: bytes):
    """Per page: (height, [(top, bottom, paragraph text)]) in pdfminer's reading order."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTTextContainer, LTTextLine

    for page in extract_pages(io.BytesIO(data), laparams=LAParams()):
        boxes = []
        for element in page:
            if not isinstance(element, LTTextContainer):
                continue
            lines = [line.get_text() for line in element if isinstance(line, LTTextLine)] or [element.get_text()]
            text = _join_lines(lines)
            if text:
                boxes.append((element.y1, element.y0, text))
        yield page.height or 1, boxes


def read_pdf(data: bytes) -> tuple[str, dict]:
    try:
        from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
        from pdfminer.pdfparser import PDFSyntaxError
        from pdfminer.psparser import PSException
    except ImportError:  # pragma: no cover - pdfminer always has these
        raise
    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise ValueError("not a PDF file")
    try:
        pages = list(_pages(data))
    except PDFPasswordIncorrect:
        raise ValueError("encrypted PDF: it needs a password to be read") from None
    except PDFEncryptionError as error:
        raise ValueError(f"encrypted PDF that cannot be read ({error})") from None
    except (PDFSyntaxError, PSException) as error:
        raise ValueError(f"not a readable PDF ({type(error).__name__}: {error})".split("\n")[0]) from None
    except Exception as error:  # damaged streams raise anything from zlib to KeyError
        raise ValueError(f"not a readable PDF ({type(error).__name__}: {error})".split("\n")[0]) from None
    if not any(boxes for _, boxes in pages):
        raise ValueError("no text layer (a scanned PDF? run OCR first)")

    def band(height, top, bottom):
        if bottom >= height * (1 - BAND):
            return "head"
        if top <= height * BAND:
            return "foot"
        return None

    # Running heads and feet: the same text (digits aside) in the same band on several pages.
    repeated = Counter()
    for height, boxes in pages:
        seen = {(where, _DIGITS_RE.sub("#", text)) for top, bottom, text in boxes
                if (where := band(height, top, bottom))}
        repeated.update(seen)
    least = max(2, (len(pages) + 1) // 2)
    paragraphs = []
    for height, boxes in pages:
        for top, bottom, text in boxes:
            where = band(height, top, bottom)
            if where and (_PAGE_NUMBER_RE.match(text) or repeated[(where, _DIGITS_RE.sub("#", text))] >= least):
                continue
            paragraphs.append(text)
    return "\n".join(paragraphs), {"encoding": "pdf"}
