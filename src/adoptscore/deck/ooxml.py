"""DrawingML for text and tables, written as XML text.

python-pptx's object API costs about a millisecond per property set; a deck sets thousands (every
table cell has a fill, margins, an anchor and runs with a size, weight and color), so the text
bodies and tables are written here as XML in one go and parsed once. Every text is escaped with
:func:`xml.sax.saxutils.escape` after :func:`adoptscore.deck.text.clean`.
"""
from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape

from pptx.oxml import parse_xml

from adoptscore.deck.text import clean

NS_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
ALIGN = {"left": "l", "center": "ctr", "right": "r"}
ANCHOR = {"top": "t", "middle": "ctr", "bottom": "b"}
# a theme-colored fill or ink: the template's own colors
THEME = {
    "text": '<a:schemeClr val="tx1"/>',
    "muted": '<a:schemeClr val="tx1"><a:lumMod val="65000"/><a:lumOff val="35000"/></a:schemeClr>',
    "inverse": '<a:schemeClr val="bg1"/>',
    "panel": '<a:schemeClr val="bg1"><a:lumMod val="94000"/></a:schemeClr>',
    "accent": '<a:schemeClr val="accent1"/>',
}
# a table style with no fills and no borders of its own (the cells carry theirs): "No Style, No Grid"
PLAIN_TABLE_STYLE = "{2D5ABB26-0587-4C30-8999-92F81FD0307C}"


def color_xml(color: str) -> str:
    """A theme key of :data:`THEME` or a hex RGB color."""
    return THEME.get(color) or f'<a:srgbClr val="{color}"/>'


@dataclass(frozen=True)
class Line:
    """One paragraph, ready to write: text, size in points and looks."""

    text: str
    size: float
    bold: bool = False
    lead: str = ""               # a bold start (kept only when the text still starts with it)
    ink: str = "text"            # a THEME key or hex RGB
    align: str | None = "left"   # None: the placeholder's own alignment
    bullet: int = 0              # hanging indent in EMU (0: no bullet)
    space_before: int = 0        # EMU
    rtl: bool = False


def _run(text: str, size: float, bold: bool, ink: str) -> str:
    if not text:
        return ""
    weight = ' b="1"' if bold else ' b="0"'
    return (f'<a:r><a:rPr lang="en-US" sz="{round(size * 100)}"{weight} dirty="0">'
            f'<a:solidFill>{color_xml(ink)}</a:solidFill></a:rPr><a:t>{escape(clean(text))}</a:t></a:r>')


def paragraph_xml(line: Line) -> str:
    attrs = f' algn="{ALIGN[line.align]}"' if line.align else ""
    if line.bullet:
        attrs += f' marL="{line.bullet}" indent="{-line.bullet}"'
    if line.rtl:
        attrs += ' rtl="1"'
    inner = f'<a:lnSpc><a:spcPts val="{round(line.size * 120)}"/></a:lnSpc>'
    if line.space_before:
        inner += f'<a:spcBef><a:spcPts val="{round(line.space_before / 12700 * 100)}"/></a:spcBef>'
    inner += '<a:buChar char="\u2022"/>' if line.bullet else "<a:buNone/>"
    lead = line.lead if line.lead and line.text.startswith(line.lead) else ""
    runs = _run(lead, line.size, True, line.ink) + _run(line.text[len(lead):], line.size, line.bold, line.ink)
    end = f'<a:endParaRPr lang="en-US" sz="{round(line.size * 100)}" dirty="0"/>'
    return f"<a:p><a:pPr{attrs}>{inner}</a:pPr>{runs}{end}</a:p>"


def body_pr_xml(pad: int, anchor: str | None, *, pad_y: int | None = None) -> str:
    """Body properties: fixed insets, wrapping, never growing or shrinking the text by itself;
    ``anchor`` None keeps the placeholder's own vertical anchor."""
    pad_y = pad if pad_y is None else pad_y
    where = f' anchor="{ANCHOR[anchor]}"' if anchor else ""
    return (f'<a:bodyPr xmlns:a="{NS_A}" wrap="square" lIns="{pad}" tIns="{pad_y}" rIns="{pad}" bIns="{pad_y}"'
            f'{where} rtlCol="0"><a:noAutofit/></a:bodyPr>')


def set_text(tx_body, lines: list[Line], *, pad: int, anchor: str | None) -> None:
    """Replace the paragraphs (and the body properties) of a shape's ``p:txBody``."""
    for child in list(tx_body):
        if child.tag in (f"{{{NS_A}}}p", f"{{{NS_A}}}bodyPr"):
            tx_body.remove(child)
    tx_body.insert(0, parse_xml(body_pr_xml(pad, anchor)))
    holder = parse_xml(f'<a:txBody xmlns:a="{NS_A}">' + "".join(paragraph_xml(x) for x in lines) + "</a:txBody>")
    for p in list(holder):
        tx_body.append(p)


@dataclass(frozen=True)
class CellXml:
    lines: list[Line]
    fill: str                    # a THEME key or hex RGB


def table_xml(widths: list[int], heights: list[int], rows: list[list[CellXml]], *, pad_x: int, pad_y: int) -> str:
    """A whole ``a:tbl``: header row first, every cell with its own fill and margins."""
    grid = "".join(f'<a:gridCol w="{w}"/>' for w in widths)
    out = [(f'<a:tbl xmlns:a="{NS_A}"><a:tblPr firstRow="1" bandRow="0"><a:tableStyleId>{PLAIN_TABLE_STYLE}'
            f'</a:tableStyleId></a:tblPr><a:tblGrid>{grid}</a:tblGrid>')]
    border = ('<a:lnL w="6350"><a:solidFill><a:schemeClr val="bg1"/></a:solidFill></a:lnL>'
              '<a:lnR w="6350"><a:solidFill><a:schemeClr val="bg1"/></a:solidFill></a:lnR>'
              '<a:lnT w="12700"><a:solidFill><a:schemeClr val="bg1"/></a:solidFill></a:lnT>'
              '<a:lnB w="12700"><a:solidFill><a:schemeClr val="bg1"/></a:solidFill></a:lnB>')
    for height, row in zip(heights, rows):
        out.append(f'<a:tr h="{height}">')
        for cell in row:
            paragraphs = "".join(paragraph_xml(x) for x in cell.lines) or \
                '<a:p><a:endParaRPr lang="en-US" dirty="0"/></a:p>'
            out.append(f'<a:tc><a:txBody><a:bodyPr/><a:lstStyle/>{paragraphs}</a:txBody>'
                       f'<a:tcPr marL="{pad_x}" marR="{pad_x}" marT="{pad_y}" marB="{pad_y}" anchor="ctr">'
                       f'{border}<a:solidFill>{color_xml(cell.fill)}</a:solidFill></a:tcPr></a:tc>')
        out.append("</a:tr>")
    out.append("</a:tbl>")
    return "".join(out)


def replace_table(graphic_frame, xml: str) -> None:
    """Put the table ``xml`` in place of the one python-pptx created in ``graphic_frame``."""
    old = graphic_frame._element.graphic.graphicData.tbl
    old.getparent().replace(old, parse_xml(xml))


def notes_xml(text: str) -> str:
    """A notes page: the slide image and the speaker notes, one paragraph per line of ``text``."""
    paragraphs = "".join(f'<a:p><a:r><a:rPr lang="en-US" dirty="0"/><a:t>{escape(clean(line))}</a:t></a:r></a:p>'
                         for line in text.split("\n")) or "<a:p/>"
    return (
        f'<p:notes xmlns:a="{NS_A}" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><p:cSld><p:spTree>'
        '<p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>'
        '<p:sp><p:nvSpPr><p:cNvPr id="2" name="Slide Image Placeholder 1"/><p:cNvSpPr><a:spLocks noGrp="1" '
        'noRot="1" noChangeAspect="1"/></p:cNvSpPr><p:nvPr><p:ph type="sldImg"/></p:nvPr></p:nvSpPr><p:spPr/></p:sp>'
        '<p:sp><p:nvSpPr><p:cNvPr id="3" name="Notes Placeholder 2"/><p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr>'
        '<p:nvPr><p:ph type="body" idx="1"/></p:nvPr></p:nvSpPr><p:spPr/><p:txBody><a:bodyPr/><a:lstStyle/>'
        f'{paragraphs}</p:txBody></p:sp></p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:notes>'
    )
