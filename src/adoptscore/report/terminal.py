"""A :class:`~adoptscore.report.document.Report` printed with Rich.

The content of the HTML page, in text: figures, warnings, tables with colored cells, and each
plot as the numbers behind it (a distribution as one row of percentiles and thresholds, a color
mix as counts and shares with a bar of blocks). Every text from data goes through
:class:`rich.text.Text` (never parsed as markup), so ``[bold]`` in an account name is shown,
not obeyed. Works at any console width.
"""
from __future__ import annotations

from rich import box
from rich.cells import cell_len
from rich.columns import Columns
from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.table import Table as RichTable
from rich.text import Text

from adoptscore.report.document import (
    MISSING,
    TONES,
    BarChart,
    Block,
    Cell,
    Colored,
    ColorMix,
    Curve,
    Distribution,
    Paragraph,
    Report,
    Table,
    format_value,
    is_numeric_column,
)

TONE_STYLES: dict[str, str] = {
    "red": "bold red",
    "yellow": "bold yellow",
    "green": "bold green",
    "no_data": "dim",
    "not_applicable": "dim italic",
}
_TONE_LABELS = {"red": "Red", "yellow": "Yellow", "green": "Green", "no_data": "No data", "not_applicable": "N/A"}
_PERCENTILES = (0.10, 0.25, 0.50, 0.75, 0.90)
_PLOTS = (Distribution, ColorMix, BarChart, Curve)


def _text(value: str, style: str = "") -> Text:
    # Text() never parses markup: data is shown as written.
    return Text(str(value), style=style)


def _cell(value: Cell, spec: str | None) -> Text:
    if isinstance(value, Colored):
        return _text(value.text, TONE_STYLES.get(value.tone or "", ""))
    text = format_value(value, spec)
    return _text(text, "dim" if text == MISSING else "")


class _Records:
    """Each row as 'column  value' lines: what a wide table becomes on a narrow console.

    Laid out here rather than as one Rich grid per row: with hundreds of rows (a diff's movers),
    measuring a grid per row took most of a command's time. Labels up to 18 cells wide, values
    wrapped at words (folded where a word is wider than the space) under their first line."""

    LABEL_WIDTH = 18

    def __init__(self, columns: list[str], rows: list[list[Text]]):
        self.columns, self.rows = columns, rows

    def __rich_console__(self, console: Console, options):  # noqa: ANN001 - Rich's protocol
        label_width = min(max(map(cell_len, self.columns), default=0), self.LABEL_WIDTH)
        value_width = max(options.max_width - label_width - 2, 8)
        labels = [_text(name, "dim").wrap(console, label_width, overflow="fold") for name in self.columns]
        lines: list[Text] = []
        for n, row in enumerate(self.rows):
            if n:
                lines.append(_text("┈" * 8, "dim"))
            for label, cell in zip(labels, row):
                values = cell.wrap(console, value_width, overflow="fold")
                for i in range(max(len(label), len(values), 1)):
                    line = Text(no_wrap=True, end="")
                    if i < len(label):
                        line.append_text(label[i])
                        line.append(" " * (label_width - label[i].cell_len))
                    else:
                        line.append(" " * label_width)
                    if i < len(values):
                        line.append("  ")
                        line.append_text(values[i])
                    lines.append(line)
        yield Text("\n", no_wrap=True).join(lines)


def _records(block: Table, cells: list[list[Text]]) -> RenderableType:
    return _framed(None, _Records(block.columns, cells), block.caption)


def _natural_width(names: list[str], cells: list[list[Text]]) -> int:
    """About how wide the table wants to be, a long text counting as a comfortably folded column."""
    width = 0
    for i, name in enumerate(names):
        widest = max([cell_len(name)] + [max(map(cell_len, row[i].plain.split("\n"))) for row in cells])
        width += min(widest, 32) + 3
    return width


def _table(block: Table, console_width: int = 200) -> RenderableType:
    table = RichTable(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, header_style="bold")
    width = len(block.columns)
    rows = [list(row)[:width] + [None] * (width - len(row)) for row in block.rows]
    cells = [[_cell(row[i], block.formats.get(name)) for i, name in enumerate(block.columns)] for row in rows]
    if rows and width > 2 and _natural_width(block.columns, cells) > 1.15 * console_width:
        # Folded into a narrow console, such a table turns into a column of word fragments.
        return _records(block, cells)
    for i, name in enumerate(block.columns):
        if is_numeric_column([row[i] for row in rows]):
            # Numbers are never folded or cut: the text columns give way instead.
            widest = max([len(row[i]) for row in cells], default=1)
            table.add_column(_text(name), justify="right", no_wrap=True, min_width=min(widest, 16), overflow="fold")
        else:
            table.add_column(_text(name), overflow="fold")
    for row in cells:
        table.add_row(*row)
    return _framed(None, table, block.caption, "(no rows)" if not rows else None)


def _framed(title: str | None, table: RichTable, caption: str | None, empty: str | None = None) -> RenderableType:
    # Title and caption are printed around the table, not in it: Rich would wrap them to the
    # table's width, which is often much narrower than the console.
    parts: list[RenderableType] = []
    if title:
        parts.append(_text(title, "bold"))
    parts.append(table)
    if empty:
        parts.append(_text(empty, "dim italic"))
    if caption:
        parts.append(_text(caption, "dim"))
    return Group(*parts)


def _thresholds(block: Distribution) -> Text:
    cuts = Text()
    for t in sorted(block.thresholds, key=lambda t: (t.kind != "current", t.value)):
        if cuts:
            cuts.append("\n")
        cuts.append(t.label, style="" if t.kind == "current" else "blue")
        cuts.append(f" {format_value(t.value, block.value_format)}", style="bold" if t.kind == "current" else "bold blue")
    return cuts


def _percentile_cells(block: Distribution) -> list[Text]:
    cells = [_text(f"{block.n:,}")]
    for p in _PERCENTILES:
        value = block.nearest(p)
        cells.append(_cell(value, block.value_format))
    return cells


def _percentile_columns(table: RichTable, blocks: list[Distribution]) -> None:
    rows = [_percentile_cells(b) for b in blocks]
    for j, name in enumerate(["n"] + [f"p{round(p * 100)}" for p in _PERCENTILES]):
        widest = max([len(name)] + [len(r[j]) for r in rows])
        table.add_column(name, justify="right", no_wrap=True, min_width=min(widest, 14))


def _distributions(blocks: list[Distribution], console_width: int) -> RenderableType:
    """Consecutive distributions as one table, one row each: percentiles and thresholds.

    On a narrow console each distribution gets its own small table, its thresholds below it.
    """
    parts: list[RenderableType] = []
    if console_width >= 100:
        table = RichTable(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, header_style="bold")
        table.add_column("distribution", overflow="fold", ratio=3)
        _percentile_columns(table, blocks)
        table.add_column("thresholds", overflow="fold", ratio=3)
        for block in blocks:
            cuts = _thresholds(block)
            table.add_row(_text(block.title), *_percentile_cells(block), cuts if cuts else _text(MISSING, "dim"))
        parts.append(table)
        parts += [_text(f"{b.title}: {b.caption}", "dim") for b in blocks if b.caption]
        return Group(*parts)
    for block in blocks:
        table = RichTable(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, header_style="bold")
        _percentile_columns(table, [block])
        table.add_row(*_percentile_cells(block))
        parts += [_text(block.title, "bold"), table]
        cuts = _thresholds(block)
        if cuts:
            parts.append(Padding(cuts, (0, 0, 0, 2)))
        if block.caption:
            parts.append(_text(block.caption, "dim"))
        parts.append(Text())
    return Group(*parts[:-1])


def _bar(counts: list[tuple[str, int]], total: int, width: int) -> Text:
    """Blocks proportional to the counts, by largest remainder so that they add up to ``width``."""
    bar = Text()
    if total <= 0:
        return _text("·" * width, "dim")
    exact = [(tone, count * width / total) for tone, count in counts]
    cells = {tone: int(share) for tone, share in exact}
    rest = width - sum(cells.values())
    for tone, share in sorted(exact, key=lambda x: x[1] - int(x[1]), reverse=True)[:rest]:
        cells[tone] += 1
    for tone, _ in counts:
        style = TONE_STYLES.get(tone, "").replace("bold ", "") or "white"
        bar.append(("░" if tone in ("no_data", "not_applicable") else "█") * cells[tone], style=style)
    return bar


def _color_mix(block: ColorMix, console_width: int) -> RenderableType:
    tones = [t for t in TONES if any(c.get(t) for _, c in block.bars)]
    tones += sorted({k for _, c in block.bars for k in c} - set(TONES))
    table = RichTable(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, header_style="bold")
    table.add_column("", overflow="fold")
    for tone in tones:
        table.add_column(_text(_TONE_LABELS.get(tone, tone), TONE_STYLES.get(tone, "")), justify="right")
    table.add_column("total", justify="right")
    show_bar = console_width >= 100
    if show_bar:
        table.add_column("", no_wrap=True)
    for label, counts in block.bars:
        values = [(t, max(int(counts.get(t, 0) or 0), 0)) for t in tones]
        total = sum(c for _, c in values)
        cells: list[RenderableType] = [_text(label)]
        for _, count in values:
            cells.append(_text(f"{count:,} ({count / total:.0%})" if total else f"{count:,}"))
        cells.append(_text(f"{total:,}"))
        if show_bar:
            cells.append(_bar(values, total, 24))
        table.add_row(*cells)
    return _framed(block.title, table, block.caption, "(no values)" if not block.bars else None)


def _bar_chart(block: BarChart) -> RenderableType:
    table = RichTable(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, header_style="bold")
    table.add_column("", overflow="fold")
    for name, _ in block.series:
        table.add_column(_text(name), justify="right", overflow="fold")
    for i, category in enumerate(block.categories):
        table.add_row(_text(category), *[
            _cell(values[i] if i < len(values) else None, block.value_format) for _, values in block.series
        ])
    parts: list[RenderableType] = [_framed(block.title, table, None)]
    if block.reference is not None:
        name, level = block.reference
        parts.append(Text.assemble(("reference: ", "dim"), name, " ", (format_value(level, block.value_format), "bold")))
    if block.caption:
        parts.append(_text(block.caption, "dim"))
    return Group(*parts)


def _curve(block: Curve) -> RenderableType:
    lines = Text()
    lines.append(block.title, style="bold")
    lines.append(f" ({block.y_label} against {block.x_label}; see the HTML report for the plot)", style="dim")
    for name, xs, _ in block.series:
        lines.append("\n  • ")
        lines.append(name)
        lines.append(f": {len(xs):,} points", style="dim")
    if block.caption:
        lines.append("\n")
        lines.append(block.caption, style="dim")
    return lines


def _paragraph(block: Paragraph) -> RenderableType:
    if block.kind == "warning":
        return Text.assemble(("⚠ ", "bold yellow"), (block.text, "yellow"))
    return _text(block.text, "dim" if block.kind == "note" else "")


def _blocks(blocks: list[Block], console_width: int) -> list[RenderableType]:
    out: list[RenderableType] = []
    i = 0
    while i < len(blocks):
        block = blocks[i]
        if isinstance(block, Distribution):
            run = []
            while i < len(blocks) and isinstance(blocks[i], Distribution):
                run.append(blocks[i])
                i += 1
            out.append(_distributions(run, console_width))  # type: ignore[arg-type]
            continue
        if isinstance(block, Paragraph):
            out.append(_paragraph(block))
        elif isinstance(block, Table):
            out.append(_table(block, console_width))
        elif isinstance(block, ColorMix):
            out.append(_color_mix(block, console_width))
        elif isinstance(block, BarChart):
            out.append(_bar_chart(block))
        elif isinstance(block, Curve):
            out.append(_curve(block))
        else:
            out.append(_text(str(block), "dim"))
        i += 1
    return out


def _rule(console: Console, title: str, align: str) -> None:
    # A rule cuts a title that does not fit; a long title is printed whole above a plain rule.
    if cell_len(title) + 6 <= console.width:
        console.rule(Text(title, style="bold"), align=align)  # type: ignore[arg-type]
    else:
        console.print(Text(title, style="bold"))
        console.rule()


def render_terminal(report: Report, console: Console) -> None:
    """Print the report on ``console``: title, key figures, warnings, then each section."""
    _rule(console, report.title, "center")
    if report.subtitle:
        console.print(Text(report.subtitle, style="dim", justify="center"))
    if report.figures:
        cards = [Text.assemble((f"{label} ", "dim"), (str(value), "bold")) for label, value in report.figures]
        console.print(Padding(Columns(cards, padding=(0, 4)), (1, 0, 0, 0)))
    for warning in report.warnings:
        console.print(Text.assemble(("⚠ ", "bold yellow"), (str(warning), "yellow")))
    for section in report.sections:
        console.print()
        _rule(console, section.title, "left")
        for renderable in _blocks(list(section.blocks), console.width):
            console.print(renderable)
            console.print()


__all__ = ["render_terminal"]
