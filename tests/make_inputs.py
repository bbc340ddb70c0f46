"""Small real-shaped input files for the reader tests, made with the libraries people use:
python-docx (Word), reportlab (PDF, with its built-in Chinese CID font, so no font file is
needed), warcio (web archives), json/gzip (scraper dumps)."""

from __future__ import annotations

import gzip
import io
import json
import zipfile
from datetime import datetime
from html import escape
from pathlib import Path

FOOTNOTES_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:id="1"><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:footnote>'
    "</w:footnotes>"
)


def make_docx(path: Path, paragraphs: list[str], title: str | None = None, created: datetime | None = None,
              table: list[list[str]] | None = None, footnote: str | None = None) -> Path:
    import docx

    document = docx.Document()
    if title:
        document.core_properties.title = title
        document.add_heading(title, level=1)
    if created:
        document.core_properties.created = created
    half = len(paragraphs) // 2
    for paragraph in paragraphs[:half]:
        document.add_paragraph(paragraph)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, text in enumerate(row):
                grid.cell(r, c).text = text
    for paragraph in paragraphs[half:]:
        document.add_paragraph(paragraph)
    document.save(path)
    if footnote:
        _add_footnote(path, footnote)
    return path


def _add_footnote(path: Path, text: str) -> None:
    """python-docx writes no footnotes: add the part Word would (footnotes.xml, its
    relationship and content type)."""
    with zipfile.ZipFile(path) as source:
        members = {name: source.read(name) for name in source.namelist()}
    members["word/footnotes.xml"] = FOOTNOTES_XML.format(escape(text)).encode("utf-8")
    rels = members["word/_rels/document.xml.rels"].decode("utf-8")
    members["word/_rels/document.xml.rels"] = rels.replace("</Relationships>", (
        '<Relationship Id="rIdFootnotes" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/footnotes" Target="footnotes.xml"/></Relationships>')).encode("utf-8")
    types = members["[Content_Types].xml"].decode("utf-8")
    members["[Content_Types].xml"] = types.replace("</Types>", (
        '<Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'wordprocessingml.footnotes+xml"/></Types>')).encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in members.items():
            target.writestr(name, data)


def make_zip_bomb_docx(path: Path, megabytes: int = 64) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        target.writestr("[Content_Types].xml", "<Types/>")
        with target.open("word/document.xml", "w") as member:
            block = b" " * (1024 * 1024)
            for _ in range(megabytes):
                member.write(block)
    return path


def make_pdf(path: Path, paragraphs: list[str], header: str | None = None, encrypt: str | None = None) -> Path:
    """An A4 PDF of wrapped Chinese paragraphs, with a running header and a page-number footer."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("body", fontName="STSong-Light", fontSize=11, leading=16, wordWrap="CJK",
                           spaceAfter=8)

    def furniture(canvas, document):
        canvas.saveState()
        canvas.setFont("STSong-Light", 9)
        if header:
            canvas.drawString(72, A4[1] - 40, header)
        canvas.drawCentredString(A4[0] / 2, 30, f"- {document.page} -")
        canvas.restoreState()

    options = {"encrypt": encrypt} if encrypt else {}
    document = SimpleDocTemplate(str(path), pagesize=A4, topMargin=72, bottomMargin=72, **options)
    document.build([Paragraph(escape(p), style) for p in paragraphs], onFirstPage=furniture, onLaterPages=furniture)
    return path


def make_scanned_pdf(path: Path) -> Path:
    """A PDF page with only a picture on it (what a scanner makes): no text layer."""
    from reportlab.pdfgen import canvas

    page = canvas.Canvas(str(path))
    for y in range(100, 700, 20):
        page.rect(72, y, 400, 10, fill=1)
    page.showPage()
    page.save()
    return path


def page_html(title: str, paragraphs: list[str], furniture: bool = True) -> str:
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    nav = ('<div class="nav">首页 | 要闻 | 要论 | 协商 | 统战 | 党派 | 委员讲堂 | 理论 | 人事</div>'
           '<div class="crumb">首页&gt;专题&gt;评论</div>') if furniture else ""
    footer = '<div class="foot">版权所有：人民政协网 未经授权禁止复制</div>' if furniture else ""
    return (f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{escape(title)}</title>"
            f"<script>var a = 1;</script></head><body>{nav}<h1>{escape(title)}</h1>{body}{footer}</body></html>")


def make_warc(path: Path, pages: list[tuple[str, str]], extras: bool = True, append: bool = False) -> Path:
    """A gzipped WARC as a crawler writes it: request and response per page; with `extras` also a
    redirect, an image and a second URL serving the first page's bytes again."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "ab" if append else "wb") as stream:
        writer = WARCWriter(stream, gzip=str(path).endswith(".gz"))

        def response(url, status, content_type, payload, extra_headers=()):
            headers = StatusAndHeaders(status, [("Content-Type", content_type), *extra_headers], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "request", payload=io.BytesIO(
                f"GET {url} HTTP/1.1\r\n\r\n".encode())))
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(payload), length=len(payload),
                                                          http_headers=headers))

        for url, html in pages:
            response(url, "200 OK", "text/html; charset=utf-8", html.encode("utf-8"))
        if extras:
            response("http://www.example.cn/old", "301 Moved Permanently", "text/html",
                     b"<html><body>moved</body></html>", [("Location", pages[0][0])])
            response("http://www.example.cn/logo.png", "200 OK", "image/png", b"\x89PNG\r\n\x1a\n" + bytes(200))
            response(pages[0][0] + "?from=rss", "200 OK", "text/html; charset=utf-8", pages[0][1].encode("utf-8"))
    return path


def make_jsonl(path: Path, items: list, compress: bool = False) -> Path:
    lines = [item if isinstance(item, str) else json.dumps(item, ensure_ascii=False) for item in items]
    data = ("\n".join(lines) + "\n").encode("utf-8")
    path.write_bytes(gzip.compress(data) if compress else data)
    return path
