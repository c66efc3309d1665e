"""Text that comes from data, made safe for a slide and measured so that it fits its box.

Nothing here knows about slides: :func:`clean` removes what an XML file cannot hold, and
:func:`fit` picks the largest font size (down to a minimum) at which a text wraps into a box,
truncating with an ellipsis only when even the minimum size does not fit.

Widths are estimated, not measured with the font the viewer will use (that font is unknown: the
deck may be opened in PowerPoint with the template's font, or converted by LibreOffice with a
substitute). The estimate uses the advance widths of DejaVu Sans, wider than Calibri, Arial or
Helvetica, plus a margin, so a text that fits here fits in those fonts too.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

EMU_PER_INCH = 914400
EMU_PER_PT = 12700
ELLIPSIS = "\u2026"

# XML 1.0 allows tab, newline, carriage return and everything from U+0020 except surrogates and
# U+FFFE/U+FFFF; anything else makes the file unreadable.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# Advance widths (in em) of DejaVu Sans for the printable ASCII characters U+0020..U+007E.
_ASCII_EM = (
    0.32, 0.40, 0.46, 0.84, 0.64, 0.95, 0.78, 0.27, 0.39, 0.39, 0.50, 0.84, 0.32, 0.36, 0.32, 0.34,
    0.64, 0.64, 0.64, 0.64, 0.64, 0.64, 0.64, 0.64, 0.64, 0.64, 0.34, 0.34, 0.84, 0.84, 0.84, 0.53,
    1.00, 0.68, 0.69, 0.70, 0.77, 0.63, 0.58, 0.77, 0.75, 0.29, 0.29, 0.66, 0.56, 0.86, 0.75, 0.79,
    0.60, 0.79, 0.69, 0.63, 0.61, 0.73, 0.68, 0.99, 0.69, 0.61, 0.69, 0.39, 0.34, 0.39, 0.84, 0.50,
    0.50, 0.61, 0.63, 0.55, 0.63, 0.62, 0.35, 0.63, 0.63, 0.28, 0.28, 0.58, 0.28, 0.97, 0.63, 0.61,
    0.63, 0.63, 0.41, 0.52, 0.39, 0.63, 0.59, 0.82, 0.59, 0.59, 0.52, 0.64, 0.34, 0.64, 0.84,
)
_BOLD = 1.11          # DejaVu Sans Bold is about 11% wider than the regular face
_SAFETY = 1.06        # room for kerning differences and a wider substitute font
_LINE = 1.2           # line height as a multiple of the font size (single spacing)


def clean(text: object) -> str:
    """``text`` as a string an XML file can hold: invalid control characters removed, line
    ends normalised, ``None`` as the empty string. Right-to-left scripts and emoji are kept."""
    if text is None:
        return ""
    value = str(text).replace("\r\n", "\n").replace("\r", "\n")
    return _INVALID_XML.sub("", value)


def one_line(text: object) -> str:
    """``text`` cleaned and collapsed onto one line (names, table cells)."""
    return " ".join(clean(text).split())


_CACHE: dict[str, float] = {}


def char_em(ch: str) -> float:
    """The estimated advance width of one character, in em."""
    found = _CACHE.get(ch)
    if found is None:
        found = _CACHE[ch] = _char_em(ch)
    return found


def _char_em(ch: str) -> float:
    code = ord(ch)
    if 0x20 <= code <= 0x7E:
        return _ASCII_EM[code - 0x20]
    category = unicodedata.category(ch)
    if category in ("Mn", "Me", "Cf") or 0xFE00 <= code <= 0xFE0F:
        return 0.0  # combining marks, joiners, variation selectors take no room of their own
    if unicodedata.east_asian_width(ch) in ("W", "F") or code >= 0x1F000:
        return 1.25  # CJK and emoji; a fallback emoji font can be wider than the em
    if category == "Zs":
        return 0.32
    if category.startswith("L") and code < 0x250:
        return 0.70  # accented Latin letters
    return 0.80


def width_em(text: str) -> float:
    return sum(char_em(ch) for ch in text) * _SAFETY


def text_width(text: str, size_pt: float, *, bold: bool = False) -> int:
    """Estimated width of ``text`` on one line at ``size_pt``, in EMU."""
    return int(width_em(text) * size_pt * EMU_PER_PT * (_BOLD if bold else 1.0))


def line_height(size_pt: float, spacing: float = _LINE) -> int:
    return int(size_pt * spacing * EMU_PER_PT)


def wrap(text: str, width: int, size_pt: float, *, bold: bool = False) -> list[str]:
    """Greedy word wrap of ``text`` into lines no wider than ``width`` EMU (estimated); a word
    longer than a line is broken between characters. Explicit newlines are kept."""
    limit = width / (size_pt * EMU_PER_PT * (_BOLD if bold else 1.0) * _SAFETY)  # in em
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current, current_em = "", 0.0
        for word in paragraph.split(" "):
            w = sum(char_em(ch) for ch in word)
            space = char_em(" ") if current else 0.0
            if current and current_em + space + w <= limit:
                current, current_em = current + " " + word, current_em + space + w
                continue
            if current:
                lines.append(current)
                current, current_em = "", 0.0
            while w > limit and word:
                # break an over-long word at the last character that still fits
                taken, taken_em = "", 0.0
                for ch in word:
                    if taken and taken_em + char_em(ch) > limit:
                        break
                    taken, taken_em = taken + ch, taken_em + char_em(ch)
                lines.append(taken)
                word = word[len(taken):]
                w = sum(char_em(ch) for ch in word)
            current, current_em = word, w
        lines.append(current)
    return lines


def shorten(text: str, width: int, size_pt: float, *, bold: bool = False) -> str:
    """``text`` cut (at a word where possible) and ended with an ellipsis so one line of it fits
    ``width`` EMU; ``text`` itself when it already fits."""
    if text_width(text, size_pt, bold=bold) <= width:
        return text
    cut = text
    while cut and text_width(cut + ELLIPSIS, size_pt, bold=bold) > width:
        cut = cut[:-1]
    space = cut.rfind(" ")
    if space > len(cut) * 0.6:
        cut = cut[:space]
    return cut.rstrip(" ,;:-\u00b7") + ELLIPSIS


@dataclass(frozen=True)
class Run:
    """One paragraph to fit: its text, its size relative to the block's size, bold or not."""

    text: str
    scale: float = 1.0
    bold: bool = False
    indent: int = 0          # EMU taken from the width (bullets)
    space_before: float = 0.0  # in lines of the paragraph's own size


@dataclass(frozen=True)
class Fitted:
    size: float               # the block's font size (points)
    paragraphs: list[str]     # the texts, possibly truncated
    lines: int                # estimated number of lines
    height: int               # estimated height in EMU
    truncated: bool


def measure(paragraphs: list[Run], width: int, size: float) -> tuple[int, int]:
    """Estimated (lines, height in EMU) of ``paragraphs`` wrapped at ``width`` and ``size``."""
    lines = height = 0
    for run in paragraphs:
        pt = size * run.scale
        n = len(wrap(run.text, max(width - run.indent, 1), pt, bold=run.bold))
        lines += n
        height += line_height(pt) * n + int(run.space_before * line_height(pt))
    return lines, height


def fit(paragraphs: list[Run] | str, width: int, height: int, *, max_pt: float, min_pt: float,
        step: float = 1.0) -> Fitted:
    """The largest size in [``min_pt``, ``max_pt``] at which ``paragraphs`` fit ``width`` x
    ``height`` EMU; at ``min_pt``, the paragraphs that fit, the last one cut with an ellipsis."""
    if isinstance(paragraphs, str):
        paragraphs = [Run(paragraphs)]
    paragraphs = [Run(clean(r.text), r.scale, r.bold, r.indent, r.space_before) for r in paragraphs]
    size = max_pt
    while True:
        lines, used = measure(paragraphs, width, size)
        if used <= height:
            return Fitted(size, [r.text for r in paragraphs], lines, used, False)
        if size - step < min_pt - 1e-9:
            break
        size = round(size - step, 2)
    # at min_pt: keep the paragraphs that fit, cut the first one that does not
    size = min_pt
    kept: list[str] = []
    used = total_lines = 0
    for run in paragraphs:
        pt = size * run.scale
        room = max(width - run.indent, 1)
        gap = int(run.space_before * line_height(pt))
        n = len(wrap(run.text, room, pt, bold=run.bold))
        if used + gap + line_height(pt) * n <= height:
            kept.append(run.text)
            used += gap + line_height(pt) * n
            total_lines += n
            continue
        take = (height - used - gap) // line_height(pt)
        if take >= 1 or not kept:
            take = max(int(take), 1)
            kept.append(truncate(run.text, room, pt, take, bold=run.bold))
            used += gap + line_height(pt) * take
            total_lines += take
        else:
            last = paragraphs[len(kept) - 1]
            kept[-1] = truncate(kept[-1] + " " + ELLIPSIS, max(width - last.indent, 1), size * last.scale,
                                len(wrap(kept[-1], max(width - last.indent, 1), size * last.scale, bold=last.bold)),
                                bold=last.bold)
        break
    return Fitted(size, kept, total_lines, used, True)


def truncate(text: str, width: int, size_pt: float, lines: int, *, bold: bool = False) -> str:
    """The longest start of ``text`` that, ended with an ellipsis, wraps into ``lines`` lines."""
    if len(wrap(text, width, size_pt, bold=bold)) <= lines:
        return text
    low, high = 0, len(text)
    while low < high:  # the largest k whose prefix + ellipsis still fits
        mid = (low + high + 1) // 2
        if len(wrap(text[:mid].rstrip() + ELLIPSIS, width, size_pt, bold=bold)) <= lines:
            low = mid
        else:
            high = mid - 1
    cut = text[:low].rstrip()
    space = cut.rfind(" ")
    if space > len(cut) * 0.8:  # end at a word when that loses little
        cut = cut[:space]
    return cut.rstrip(" ,;:-\u00b7") + ELLIPSIS
