"""A small streaming XLSX writer for large glossaries.

openpyxl builds a Python object per cell and costs ~30 µs a styled cell, which puts a
100,000-entry workbook (every sheet, three contexts per entry) at minutes. The workbook we
write needs a handful of features only: inline strings (rich text for highlighted terms),
numbers, cell styles from a small fixed set, column widths, frozen panes, an autofilter, one
list validation, internal hyperlinks and hidden sheets. This writes exactly those, row by row
into temporary files, so memory stays flat however large the glossary. openpyxl still reads
the workbooks (import) and the tests read what this writes with openpyxl and LibreOffice.

No cell is ever written as a formula: strings are always inline strings.
"""

from __future__ import annotations

import re
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import datetime, timezone

from .safety import EXCEL_CELL_LIMIT, cell_text

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def xml_text(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# Characters a cell's text must lose (illegal in XML) or escape.
_CELL_WORK_RE = re.compile(r"[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def cell_xml(value: str) -> str:
    """`xml_text(cell_text(value))`, with one search for the usual text that needs neither."""
    if len(value) <= EXCEL_CELL_LIMIT and _CELL_WORK_RE.search(value) is None:
        return value
    return xml_text(cell_text(value))


def xml_attribute(value: str) -> str:
    return xml_text(value).replace('"', "&quot;")


_WIDE_RUN_RE = re.compile("[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60]+")


def display_width(text: str) -> int:
    """Width in spreadsheet character units: CJK and full-width characters count twice."""
    return len(text) + sum(map(len, _WIDE_RUN_RE.findall(text)))


def row_height(texts_and_widths: list[tuple[str, float]], line_height: float = 14.0, max_lines: int = 4) -> float:
    """A row tall enough for its wrapped cells (up to max_lines lines; the rest shows on selection)."""
    lines = 1
    for text, width in texts_and_widths:
        if text:
            lines = max(lines, -(-display_width(text) // max(int(width) - 1, 1)))
    return round(line_height * min(lines, max_lines), 1)


def column_letter(index: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


@dataclass(frozen=True)
class Style:
    bold: bool = False
    color: str | None = None        # RRGGBB
    fill: str | None = None         # RRGGBB
    wrap: bool = False
    underline: bool = False
    size: float | None = None
    border_bottom: bool = False


@dataclass(frozen=True)
class Run:
    """A piece of rich text: plain, or highlighted (bold, coloured)."""

    text: str
    bold: bool = False
    color: str | None = None


@dataclass
class Cell:
    value: object
    style: Style | None = None
    link: str | None = None          # internal location, e.g. 'Contexts'!A2
    tooltip: str | None = None
    runs: list[Run] | None = None    # rich text instead of value


@dataclass
class BarChart:
    """A native bar chart over a range of this workbook (not a picture): the category labels and
    the values are cell ranges such as 'New'!$C$2:$C$16, with their values cached so that a
    reader shows the chart before it recalculates anything."""

    title: str
    series_name: str
    categories_ref: str
    values_ref: str
    categories: list[str]
    values: list[float]
    anchor: tuple[int, int, int, int]  # from column, from row, to column, to row (0-based cells)
    horizontal: bool = True
    axis_title: str = ""


class Sheet:
    def __init__(self, workbook: "Workbook", name: str, widths: list[float], freeze: str | None, hidden: bool):
        self.workbook = workbook
        self.name = name
        self.widths = widths
        self.freeze = freeze
        self.hidden = hidden
        self.rows = 0
        self.max_column = 0
        self.autofilter: str | None = None
        self.print_landscape_fit_width = False
        self.validations: list[tuple[str, list[str], str, str]] = []
        self.charts: list[BarChart] = []
        self._data = tempfile.TemporaryFile("w+", encoding="utf-8")
        self._links = tempfile.TemporaryFile("w+", encoding="utf-8")
        self._letters = [column_letter(i) for i in range(1, 200)]

    def append(self, cells: list, height: float | None = None) -> None:
        self.rows += 1
        row = self.rows
        parts = [f'<row r="{row}" ht="{height}" customHeight="1">' if height else f'<row r="{row}">']
        letters = self._letters
        workbook = self.workbook
        default = workbook.default_style
        for index, cell in enumerate(cells):
            kind = type(cell)
            # Plain strings and numbers, most cells, go straight to XML.
            if kind is str:
                if cell:
                    parts.append(f'<c r="{letters[index]}{row}" s="{default}" t="inlineStr"><is>'
                                 f'<t xml:space="preserve">{cell_xml(cell)}</t></is></c>')
                continue
            if kind is int or kind is float:
                parts.append(f'<c r="{letters[index]}{row}" s="{default}"><v>{cell}</v></c>')
                continue
            if cell is None:
                continue
            ref = f"{letters[index]}{row}"
            if isinstance(cell, Cell):
                style = workbook.style_id(cell.style) if cell.style else default
                if cell.link:
                    tip = f' tooltip="{xml_attribute(cell.tooltip)}"' if cell.tooltip else ""
                    self._links.write(f'<hyperlink ref="{ref}" location="{xml_attribute(cell.link)}"{tip}/>')
                if cell.runs is not None:
                    parts.append(f'<c r="{ref}" s="{style}" t="inlineStr"><is>{workbook.runs_xml(cell.runs)}</is></c>')
                    continue
                value = cell.value
            else:
                style, value = default, cell
            if value is None or value == "":
                if style != default:
                    parts.append(f'<c r="{ref}" s="{style}"/>')
                continue
            if isinstance(value, bool):
                value = int(value)
            if isinstance(value, (int, float)):
                parts.append(f'<c r="{ref}" s="{style}"><v>{value}</v></c>')
            else:
                parts.append(f'<c r="{ref}" s="{style}" t="inlineStr"><is><t xml:space="preserve">'
                             f'{cell_xml(str(value))}</t></is></c>')
        self.max_column = max(self.max_column, len(cells))
        parts.append("</row>")
        self._data.write("".join(parts))

    def add_chart(self, chart: BarChart) -> None:
        self.charts.append(chart)

    def add_list_validation(self, sqref: str, values: list[str], title: str, message: str) -> None:
        self.validations.append((sqref, values, title, message))

    def _xml_chunks(self, selected: bool):
        last = f"{column_letter(max(self.max_column, 1))}{max(self.rows, 1)}"
        yield f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">'
        if self.print_landscape_fit_width:
            yield '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
        yield f'<dimension ref="A1:{last}"/>'
        tab = ' tabSelected="1"' if selected else ""
        yield f'<sheetViews><sheetView workbookViewId="0"{tab}>'
        if self.freeze:
            yield ('<pane xSplit="1" ySplit="1" topLeftCell="B2" activePane="bottomRight" state="frozen"/>'
                   '<selection pane="topRight"/><selection pane="bottomLeft"/>'
                   '<selection pane="bottomRight" activeCell="B2" sqref="B2"/>')
        yield '</sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/>'
        if self.widths:
            yield "<cols>" + "".join(f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>'
                                     for i, w in enumerate(self.widths, start=1)) + "</cols>"
        yield "<sheetData>"
        # The rows as the UTF-8 bytes already written, not decoded and encoded again.
        self._data.flush()
        raw = self._data.buffer
        raw.seek(0)
        while True:
            chunk = raw.read(1 << 20)
            if not chunk:
                break
            yield chunk
        yield "</sheetData>"
        if self.autofilter:
            yield f'<autoFilter ref="{self.autofilter}"/>'
        if self.validations:
            yield f'<dataValidations count="{len(self.validations)}">'
            for sqref, values, title, message in self.validations:
                yield (f'<dataValidation type="list" allowBlank="1" showErrorMessage="1" '
                       f'errorTitle="{xml_attribute(title)}" error="{xml_attribute(message)}" sqref="{sqref}">'
                       f'<formula1>"{xml_text(",".join(values))}"</formula1></dataValidation>')
            yield "</dataValidations>"
        self._links.seek(0)
        links = self._links.read()
        if links:
            yield f"<hyperlinks>{links}</hyperlinks>"
        yield '<pageMargins left="0.4" right="0.4" top="0.5" bottom="0.5" header="0.3" footer="0.3"/>'
        if self.print_landscape_fit_width:
            yield '<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>'
        if self.charts:
            yield '<drawing r:id="rId1"/>'
        yield "</worksheet>"

    def close(self) -> None:
        self._data.close()
        self._links.close()


class Workbook:
    def __init__(self, font: str = "Calibri", size: float = 11):
        self.font = font
        self.size = size
        self.sheets: list[Sheet] = []
        self._styles: dict[Style, int] = {}
        self._style_list: list[Style] = []
        # Hashing a Style runs Python code; the same few Style objects come back for every cell.
        self._styles_by_identity: dict[int, tuple[Style, int]] = {}
        self._run_properties: dict[tuple, str] = {}
        self.default_style = self.style_id(Style())

    def add_sheet(self, name: str, widths: list[float] = (), freeze: str | None = None,
                  hidden: bool = False) -> Sheet:
        sheet = Sheet(self, name, list(widths), freeze, hidden)
        self.sheets.append(sheet)
        return sheet

    def style_id(self, style: Style) -> int:
        known = self._styles_by_identity.get(id(style))
        if known is not None and known[0] is style:
            return known[1]
        index = self._styles.get(style)
        if index is None:
            index = self._styles[style] = len(self._style_list)
            self._style_list.append(style)
        self._styles_by_identity[id(style)] = (style, index)  # the reference keeps the id unique
        return index

    def runs_xml(self, runs: list[Run]) -> str:
        out = []
        for run in runs:
            properties = self._run_properties.get((run.bold, run.color))
            if properties is None:
                properties = "<b/>" if run.bold else ""
                properties += f'<sz val="{self.size}"/>'
                if run.color:
                    properties += f'<color rgb="FF{run.color}"/>'
                properties += f'<rFont val="{xml_attribute(self.font)}"/>'
                self._run_properties[(run.bold, run.color)] = properties
            out.append(f'<r><rPr>{properties}</rPr><t xml:space="preserve">{cell_xml(run.text)}</t></r>')
        return "".join(out)

    def _styles_xml(self) -> str:
        fonts, fills, xfs = [], [], []
        font_ids: dict[tuple, int] = {}
        fill_ids: dict[str, int] = {}
        for style in self._style_list:
            font_key = (style.bold, style.color, style.underline, style.size)
            if font_key not in font_ids:
                font_ids[font_key] = len(fonts)
                fonts.append(
                    "<font>" + ("<b/>" if style.bold else "") + ("<u/>" if style.underline else "")
                    + f'<sz val="{style.size or self.size}"/>'
                    + (f'<color rgb="FF{style.color}"/>' if style.color else "")
                    + f'<name val="{xml_attribute(self.font)}"/><family val="2"/></font>')
            fill_id = 0
            if style.fill:
                if style.fill not in fill_ids:
                    fill_ids[style.fill] = len(fills) + 2
                    fills.append(f'<fill><patternFill patternType="solid"><fgColor rgb="FF{style.fill}"/>'
                                 '<bgColor indexed="64"/></patternFill></fill>')
                fill_id = fill_ids[style.fill]
            wrap = ' wrapText="1"' if style.wrap else ""
            alignment = f'<alignment vertical="top"{wrap}/>'
            xfs.append(f'<xf numFmtId="0" fontId="{font_ids[font_key]}" fillId="{fill_id}" '
                       f'borderId="{1 if style.border_bottom else 0}" xfId="0" applyFont="1" '
                       f'applyFill="{1 if fill_id else 0}" applyBorder="{1 if style.border_bottom else 0}" '
                       f'applyAlignment="1">{alignment}</xf>')
        return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="{_MAIN}">'
                f'<fonts count="{len(fonts)}">{"".join(fonts)}</fonts>'
                f'<fills count="{len(fills) + 2}"><fill><patternFill patternType="none"/></fill>'
                f'<fill><patternFill patternType="gray125"/></fill>{"".join(fills)}</fills>'
                '<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>'
                '<border><left/><right/><top/><bottom style="thin"><color rgb="FFBFBFBF"/></bottom><diagonal/>'
                '</border></borders>'
                '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
                f'<cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
                '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
                "</styleSheet>")

    def save(self, path: str, title: str = "", creator: str = "glossary") -> None:
        count = len(self.sheets)
        # Each sheet with charts gets one drawing; charts are numbered across the workbook.
        drawings = [(number, sheet) for number, sheet in enumerate(self.sheets, start=1) if sheet.charts]
        chart_count = sum(len(sheet.charts) for _, sheet in drawings)
        stamp = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=3) as archive:
            archive.writestr("[Content_Types].xml", (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                '<Default Extension="xml" ContentType="application/xml"/>'
                '<Override PartName="/xl/workbook.xml" '
                'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                + "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
                          'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                          for i in range(1, count + 1))
                + "".join(f'<Override PartName="/xl/drawings/drawing{i}.xml" '
                          'ContentType="application/vnd.openxmlformats-officedocument.drawing+xml"/>'
                          for i in range(1, len(drawings) + 1))
                + "".join(f'<Override PartName="/xl/charts/chart{i}.xml" '
                          'ContentType="application/vnd.openxmlformats-officedocument.drawingml.chart+xml"/>'
                          for i in range(1, chart_count + 1))
                + '<Override PartName="/xl/styles.xml" '
                'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
                '<Override PartName="/docProps/core.xml" '
                'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
                '<Override PartName="/docProps/app.xml" '
                'ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
                "</Types>"))
            archive.writestr("_rels/.rels", (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
                '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/'
                'metadata/core-properties" Target="docProps/core.xml"/>'
                f'<Relationship Id="rId3" Type="{_REL}/extended-properties" Target="docProps/app.xml"/>'
                "</Relationships>"))
            archive.writestr("docProps/core.xml", (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
                'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/'
                'terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
                f"<dc:title>{xml_text(title)}</dc:title><dc:creator>{xml_text(creator)}</dc:creator>"
                f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
                f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
                "</cp:coreProperties>"))
            archive.writestr("docProps/app.xml", (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
                f"<Application>{xml_text(creator)}</Application></Properties>"))
            sheets_xml, names_xml, rels_xml = [], [], []
            for number, sheet in enumerate(self.sheets, start=1):
                state = ' state="hidden"' if sheet.hidden else ""
                sheets_xml.append(f'<sheet name="{xml_attribute(sheet.name)}" sheetId="{number}"{state} '
                                  f'r:id="rId{number}"/>')
                rels_xml.append(f'<Relationship Id="rId{number}" Type="{_REL}/worksheet" '
                                f'Target="worksheets/sheet{number}.xml"/>')
                if sheet.autofilter:
                    start, end = sheet.autofilter.split(":")
                    absolute = "".join(f"${part}" for part in _split_ref(start)) + ":" + "".join(
                        f"${part}" for part in _split_ref(end))
                    names_xml.append(f'<definedName name="_xlnm._FilterDatabase" localSheetId="{number - 1}" '
                                     f'hidden="1">\'{xml_text(sheet.name)}\'!{absolute}</definedName>')
            rels_xml.append(f'<Relationship Id="rId{count + 1}" Type="{_REL}/styles" Target="styles.xml"/>')
            archive.writestr("xl/workbook.xml", (
                f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{_MAIN}" '
                f'xmlns:r="{_REL}"><bookViews><workbookView activeTab="0"/></bookViews>'
                f'<sheets>{"".join(sheets_xml)}</sheets>'
                + (f'<definedNames>{"".join(names_xml)}</definedNames>' if names_xml else "")
                + "</workbook>"))
            archive.writestr("xl/_rels/workbook.xml.rels", (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                + "".join(rels_xml) + "</Relationships>"))
            archive.writestr("xl/styles.xml", self._styles_xml())
            chart_number = 0
            for drawing_number, (sheet_number, sheet) in enumerate(drawings, start=1):
                archive.writestr(f"xl/worksheets/_rels/sheet{sheet_number}.xml.rels", _relationships(
                    [("rId1", f"{_REL}/drawing", f"../drawings/drawing{drawing_number}.xml")]))
                anchors, relationships = [], []
                for index, chart in enumerate(sheet.charts, start=1):
                    chart_number += 1
                    relationships.append((f"rId{index}", f"{_REL}/chart", f"../charts/chart{chart_number}.xml"))
                    anchors.append(_chart_anchor(chart, index))
                    archive.writestr(f"xl/charts/chart{chart_number}.xml", _chart_xml(chart, self.font))
                archive.writestr(f"xl/drawings/drawing{drawing_number}.xml", (
                    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                    f'<xdr:wsDr xmlns:xdr="{_DRAWING}" xmlns:a="{_A}">' + "".join(anchors) + "</xdr:wsDr>"))
                archive.writestr(f"xl/drawings/_rels/drawing{drawing_number}.xml.rels", _relationships(relationships))
            for number, sheet in enumerate(self.sheets, start=1):
                with archive.open(f"xl/worksheets/sheet{number}.xml", "w", force_zip64=True) as stream:
                    for chunk in sheet._xml_chunks(selected=number == 1):
                        stream.write(chunk if isinstance(chunk, bytes) else chunk.encode("utf-8"))
                sheet.close()


def _split_ref(ref: str) -> tuple[str, str]:
    letters = "".join(c for c in ref if c.isalpha())
    return letters, ref[len(letters):]


_DRAWING = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_CHART = "http://schemas.openxmlformats.org/drawingml/2006/chart"


def _relationships(items: list[tuple[str, str, str]]) -> str:
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + "".join(f'<Relationship Id="{rid}" Type="{kind}" Target="{target}"/>' for rid, kind, target in items)
            + "</Relationships>")


def _chart_anchor(chart: BarChart, index: int) -> str:
    from_col, from_row, to_col, to_row = chart.anchor
    return (f'<xdr:twoCellAnchor editAs="oneCell">'
            f'<xdr:from><xdr:col>{from_col}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>{from_row}</xdr:row>'
            f'<xdr:rowOff>0</xdr:rowOff></xdr:from>'
            f'<xdr:to><xdr:col>{to_col}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>{to_row}</xdr:row>'
            f'<xdr:rowOff>0</xdr:rowOff></xdr:to>'
            f'<xdr:graphicFrame macro=""><xdr:nvGraphicFramePr><xdr:cNvPr id="{index + 1}" '
            f'name="Chart {index}"/><xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr>'
            '<xdr:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/></xdr:xfrm>'
            f'<a:graphic><a:graphicData uri="{_CHART}"><c:chart xmlns:c="{_CHART}" xmlns:r="{_REL}" '
            f'r:id="rId{index}"/></a:graphicData></a:graphic></xdr:graphicFrame><xdr:clientData/>'
            "</xdr:twoCellAnchor>")


def _text_properties(font: str, size: int, bold: bool = False) -> str:
    """Run properties naming the font for Latin and East Asian text, so CJK labels render."""
    face = xml_attribute(font)
    return (f'<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="{size * 100}" b="{int(bold)}">'
            f'<a:latin typeface="{face}"/><a:ea typeface="{face}"/></a:defRPr></a:pPr>'
            '<a:endParaRPr lang="zh-CN"/></a:p></c:txPr>')


def _chart_xml(chart: BarChart, font: str) -> str:
    points = len(chart.categories)
    categories = "".join(f'<c:pt idx="{i}"><c:v>{xml_text(cell_text(str(label)))}</c:v></c:pt>'
                         for i, label in enumerate(chart.categories))
    values = "".join(f'<c:pt idx="{i}"><c:v>{value}</c:v></c:pt>' for i, value in enumerate(chart.values))
    title = xml_text(cell_text(chart.title))
    axis_title = ""
    if chart.axis_title:
        axis_title = ('<c:title><c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:r>'
                      f'<a:t>{xml_text(cell_text(chart.axis_title))}</a:t></a:r></a:p></c:rich></c:tx>'
                      '<c:overlay val="0"/></c:title>')
    # Horizontal bars read top-down in rank order: the category axis runs from max to min.
    orientation = "maxMin" if chart.horizontal else "minMax"
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<c:chartSpace xmlns:c="{_CHART}" xmlns:a="{_A}" xmlns:r="{_REL}">'
        '<c:roundedCorners val="0"/><c:chart>'
        f'<c:title><c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="1200" b="1">'
        f'<a:latin typeface="{xml_attribute(font)}"/><a:ea typeface="{xml_attribute(font)}"/></a:defRPr></a:pPr>'
        f'<a:r><a:t>{title}</a:t></a:r></a:p></c:rich></c:tx><c:overlay val="0"/></c:title>'
        '<c:autoTitleDeleted val="0"/><c:plotArea><c:layout/>'
        f'<c:barChart><c:barDir val="{"bar" if chart.horizontal else "col"}"/><c:grouping val="clustered"/>'
        '<c:varyColors val="0"/>'
        f'<c:ser><c:idx val="0"/><c:order val="0"/><c:tx><c:v>{xml_text(cell_text(chart.series_name))}</c:v></c:tx>'
        '<c:spPr><a:solidFill><a:srgbClr val="2F5597"/></a:solidFill></c:spPr><c:invertIfNegative val="0"/>'
        f'<c:cat><c:strRef><c:f>{xml_text(chart.categories_ref)}</c:f><c:strCache><c:ptCount val="{points}"/>'
        f'{categories}</c:strCache></c:strRef></c:cat>'
        f'<c:val><c:numRef><c:f>{xml_text(chart.values_ref)}</c:f><c:numCache><c:formatCode>General</c:formatCode>'
        f'<c:ptCount val="{points}"/>{values}</c:numCache></c:numRef></c:val></c:ser>'
        '<c:gapWidth val="60"/><c:axId val="500000001"/><c:axId val="500000002"/></c:barChart>'
        f'<c:catAx><c:axId val="500000001"/><c:scaling><c:orientation val="{orientation}"/></c:scaling>'
        f'<c:delete val="0"/><c:axPos val="{"l" if chart.horizontal else "b"}"/><c:numFmt formatCode="General" '
        'sourceLinked="0"/><c:majorTickMark val="out"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>'
        f'{_text_properties(font, 10)}<c:crossAx val="500000002"/><c:crosses val="autoZero"/><c:auto val="1"/>'
        '<c:lblAlgn val="ctr"/><c:lblOffset val="100"/><c:noMultiLvlLbl val="0"/></c:catAx>'
        '<c:valAx><c:axId val="500000002"/><c:scaling><c:orientation val="minMax"/></c:scaling>'
        f'<c:delete val="0"/><c:axPos val="{"b" if chart.horizontal else "l"}"/><c:majorGridlines/>{axis_title}'
        '<c:numFmt formatCode="General" sourceLinked="1"/><c:majorTickMark val="out"/><c:minorTickMark val="none"/>'
        f'<c:tickLblPos val="nextTo"/>{_text_properties(font, 9)}<c:crossAx val="500000001"/>'
        f'<c:crosses val="{"max" if chart.horizontal else "autoZero"}"/><c:crossBetween val="between"/></c:valAx>'
        '</c:plotArea><c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart>'
        "</c:chartSpace>")
