"""A native, editable PowerPoint line chart written as chart XML, with its data workbook.

python-pptx builds a chart and its embedded Excel workbook through XlsxWriter and then formats
it point by point through its object API, about 50 ms a chart; writing the chart part and a
minimal workbook directly takes about 2 ms and gives the same editable chart (PowerPoint's "Edit
Data" opens the workbook, whose cells the chart's formulas reference).
"""
from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

from pptx.chart.data import CategoryChartData

from adoptscore.deck.model import STRONG, Chart
from adoptscore.deck.text import clean

_NS = ('xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
       'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
       'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"')


def _column(index: int) -> str:
    """Spreadsheet column letters of a 0-based column index (0 -> A)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _text(value: object) -> str:
    return escape(clean(value))


def _txpr(size: float, bold: bool = False, rotate: int | None = None) -> str:
    rot = f' rot="{rotate}" vert="horz"' if rotate is not None else ""
    weight = ' b="1"' if bold else ""
    return (f'<c:txPr><a:bodyPr{rot}/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="{round(size * 100)}"{weight}>'
            '<a:solidFill><a:schemeClr val="tx1"><a:lumMod val="75000"/><a:lumOff val="25000"/></a:schemeClr>'
            '</a:solidFill></a:defRPr></a:pPr><a:endParaRPr lang="en-US"/></a:p></c:txPr>')


def _series(chart: Chart, index: int, rows: int) -> str:
    series = chart.series[index]
    col = _column(index + 1)
    out = [(f'<c:ser><c:idx val="{index}"/><c:order val="{index}"/><c:tx><c:strRef><c:f>Sheet1!${col}$1</c:f>'
            f'<c:strCache><c:ptCount val="1"/><c:pt idx="0"><c:v>{_text(series.name)}</c:v></c:pt></c:strCache>'
            '</c:strRef></c:tx>')]
    if series.role == "reference":
        out.append('<c:spPr><a:ln w="12700" cap="rnd"><a:solidFill><a:srgbClr val="9A9A9A"/></a:solidFill>'
                   '<a:prstDash val="dash"/><a:round/></a:ln></c:spPr><c:marker><c:symbol val="none"/></c:marker>')
    else:
        out.append('<c:spPr><a:ln w="28575" cap="rnd"><a:solidFill><a:schemeClr val="accent1"/></a:solidFill>'
                   '<a:round/></a:ln></c:spPr><c:marker><c:symbol val="circle"/><c:size val="7"/><c:spPr>'
                   '<a:solidFill><a:schemeClr val="accent1"/></a:solidFill><a:ln><a:noFill/></a:ln></c:spPr></c:marker>')
        colors = series.colors or [None] * len(series.values)
        for i, (value, color) in enumerate(zip(series.values, colors)):
            if value is None:
                continue
            fill = STRONG.get(color or "none", STRONG["none"])
            out.append(f'<c:dPt><c:idx val="{i}"/><c:marker><c:symbol val="circle"/><c:size val="8"/><c:spPr>'
                       f'<a:solidFill><a:srgbClr val="{fill}"/></a:solidFill><a:ln w="9525"><a:solidFill>'
                       '<a:srgbClr val="FFFFFF"/></a:solidFill></a:ln></c:spPr></c:marker><c:bubble3D val="0"/></c:dPt>')
        last = max((i for i, v in enumerate(series.values) if v is not None), default=None)
        if last is not None:
            flags = ('<c:showLegendKey val="0"/><c:showVal val="{v}"/><c:showCatName val="0"/><c:showSerName val="0"/>'
                     '<c:showPercent val="0"/><c:showBubbleSize val="0"/>')
            out.append(f'<c:dLbls><c:dLbl><c:idx val="{last}"/><c:numFmt formatCode="{escape(chart.number_format)}" '
                       'sourceLinked="0"/><c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr>'
                       f'{_txpr(10, bold=True)}<c:dLblPos val="t"/>{flags.format(v=1)}</c:dLbl>{flags.format(v=0)}</c:dLbls>')
    out.append(f'<c:cat><c:strRef><c:f>Sheet1!$A$2:$A${rows + 1}</c:f><c:strCache><c:ptCount val="{rows}"/>')
    out.extend(f'<c:pt idx="{i}"><c:v>{_text(c)}</c:v></c:pt>' for i, c in enumerate(chart.categories))
    out.append(f'</c:strCache></c:strRef></c:cat><c:val><c:numRef><c:f>Sheet1!${col}$2:${col}${rows + 1}</c:f>'
               f'<c:numCache><c:formatCode>{escape(chart.number_format)}</c:formatCode><c:ptCount val="{rows}"/>')
    out.extend(f'<c:pt idx="{i}"><c:v>{float(v)!r}</c:v></c:pt>' for i, v in enumerate(series.values) if v is not None)
    out.append('</c:numCache></c:numRef></c:val><c:smooth val="0"/></c:ser>')
    return "".join(out)


def line_chart_xml(chart: Chart, title: str, *, title_pt: float = 12, label_pt: float = 9, legend: bool = True) -> bytes:
    """The chart part of a line chart of ``chart`` (title already fitted to the frame); a small
    chart has no legend (its dashed lines are the score-band edges, said on the slide)."""
    rows = len(chart.categories)
    series = "".join(_series(chart, i, rows) for i in range(len(chart.series)))
    rotate = -2700000 if rows > 8 else None
    line = '<c:spPr><a:ln w="9525"><a:solidFill><a:srgbClr val="BFBFBF"/></a:solidFill></a:ln></c:spPr>'
    xml = (
        f"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n<c:chartSpace {_NS}>"
        '<c:date1904 val="0"/><c:roundedCorners val="0"/><c:chart>'
        f'<c:title><c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="{round(title_pt * 100)}" b="1"/>'
        f'</a:pPr><a:r><a:rPr lang="en-US" sz="{round(title_pt * 100)}" b="1"/><a:t>{_text(title)}</a:t></a:r></a:p>'
        '</c:rich></c:tx><c:overlay val="0"/></c:title><c:autoTitleDeleted val="0"/>'
        '<c:plotArea><c:layout/><c:lineChart><c:grouping val="standard"/><c:varyColors val="0"/>'
        f'{series}<c:marker val="1"/><c:axId val="50010001"/><c:axId val="50010002"/></c:lineChart>'
        '<c:catAx><c:axId val="50010001"/><c:scaling><c:orientation val="minMax"/></c:scaling><c:delete val="0"/>'
        '<c:axPos val="b"/><c:numFmt formatCode="General" sourceLinked="0"/><c:majorTickMark val="out"/>'
        f'<c:minorTickMark val="none"/><c:tickLblPos val="low"/>{line}{_txpr(label_pt - 1 if rows > 8 else label_pt, rotate=rotate)}'
        '<c:crossAx val="50010002"/><c:crosses val="autoZero"/><c:auto val="1"/><c:lblAlgn val="ctr"/>'
        '<c:lblOffset val="100"/><c:noMultiLvlLbl val="0"/></c:catAx>'
        '<c:valAx><c:axId val="50010002"/><c:scaling><c:orientation val="minMax"/>'
        f'<c:max val="{chart.y_max:g}"/><c:min val="{chart.y_min:g}"/></c:scaling><c:delete val="0"/><c:axPos val="l"/>'
        '<c:majorGridlines><c:spPr><a:ln w="6350"><a:solidFill><a:srgbClr val="E3E3E3"/></a:solidFill></a:ln></c:spPr>'
        '</c:majorGridlines><c:numFmt formatCode="0" sourceLinked="0"/><c:majorTickMark val="none"/>'
        f'<c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/><c:spPr><a:ln><a:noFill/></a:ln></c:spPr>{_txpr(label_pt)}'
        '<c:crossAx val="50010001"/><c:crosses val="autoZero"/><c:crossBetween val="between"/>'
        f'<c:majorUnit val="{max((chart.y_max - chart.y_min) / 4, 1):g}"/></c:valAx></c:plotArea>'
    )
    if legend:
        xml += f'<c:legend><c:legendPos val="b"/><c:overlay val="0"/>{_txpr(label_pt - 1)}</c:legend>'
    xml += f'<c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart>{_txpr(label_pt)}</c:chartSpace>'
    return xml.encode("utf-8")


def workbook_xlsx(chart: Chart) -> bytes:
    """The chart's data as a minimal .xlsx (one sheet: periods down column A, a series per column)."""
    def cell(ref: str, value: object) -> str:
        if value is None:
            return ""
        if isinstance(value, (int, float)):
            return f'<c r="{ref}"><v>{float(value)!r}</v></c>'
        return f'<c r="{ref}" t="inlineStr"><is><t>{_text(value)}</t></is></c>'

    rows = ['<row r="1">' + "".join(cell(f"{_column(j + 1)}1", s.name) for j, s in enumerate(chart.series)) + "</row>"]
    for i, category in enumerate(chart.categories):
        r = i + 2
        rows.append(f'<row r="{r}">' + cell(f"A{r}", category)
                    + "".join(cell(f"{_column(j + 1)}{r}", s.values[i]) for j, s in enumerate(chart.series)) + "</row>")
    sheet = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
             '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             f'<sheetData>{"".join(rows)}</sheetData></worksheet>')
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'officeDocument" Target="xl/workbook.xml"/></Relationships>'),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'worksheet" Target="worksheets/sheet1.xml"/></Relationships>'),
        "xl/worksheets/sheet1.xml": sheet,
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            info = zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0))  # the same chart, the same bytes
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text.encode("utf-8"))
    return out.getvalue()


class LineChartData(CategoryChartData):
    """Chart data that python-pptx's ``add_chart`` accepts, emitting our chart XML and workbook."""

    def __init__(self, chart: Chart, title: str, *, title_pt: float = 12, label_pt: float = 9, legend: bool = True):
        super().__init__(number_format=chart.number_format)
        self.categories = chart.categories
        for series in chart.series:
            self.add_series(clean(series.name), series.values, number_format=chart.number_format)
        self._chart = chart
        self._title = title
        self._sizes = (title_pt, label_pt)
        self._legend = legend

    def xml_bytes(self, chart_type) -> bytes:
        return line_chart_xml(self._chart, self._title, title_pt=self._sizes[0], label_pt=self._sizes[1],
                              legend=self._legend)

    @property
    def xlsx_blob(self) -> bytes:
        return workbook_xlsx(self._chart)
