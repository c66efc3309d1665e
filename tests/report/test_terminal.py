"""The terminal rendering: the same content, data shown literally, at any width."""
from __future__ import annotations

import io

import numpy as np
import pytest
from rich.cells import cell_len
from rich.console import Console

from adoptscore.report.document import Report
from adoptscore.report.terminal import render_terminal

from .conftest import ARABIC, MARKUP, SCRIPT, zero_mass_values


def render(report: Report, width: int) -> tuple[str, str]:
    console = Console(record=True, width=width, file=io.StringIO(), color_system="truecolor", legacy_windows=False)
    render_terminal(report, console)
    return console.export_text(clear=False), console.export_text(styles=True)


@pytest.fixture(scope="module", params=[60, 160])
def output(request, report: Report) -> tuple[int, str, str]:
    text, styled = render(report, request.param)
    return request.param, text, styled


def test_lines_fit_the_console(output):
    width, text, _ = output
    assert max(cell_len(line) for line in text.splitlines()) <= width


def test_markup_in_data_is_shown_literally(output):
    _, text, styled = output
    flat = " ".join(text.split())
    assert MARKUP in flat  # Rich would have eaten "[bold]" and "[/]" as markup
    assert "Labels file has [bold]x[/] markup" in flat
    assert ARABIC in flat
    # Short enough to stay on one line at any width we test.
    assert SCRIPT in text
    # The "x" of "[bold]x[/]" is not bold: the brackets were not taken as markup.
    warning = styled.split("Labels file has")[1].split("\n")[0]
    assert "[bold]x[/]" in warning and "\x1b[1mx" not in warning


def test_figures_warnings_and_sections(output):
    _, text, _ = output
    for needle in ("Accounts", "2,000", "Agreement", "0.81", "⚠ Only 5 months of history",
                   "Distributions", "Colors", "(no rows)", "A note for the careful reader."):
        assert needle in text, needle


def test_table_numbers_use_the_formats(output):
    _, text, _ = output
    for needle in ("12.3%", "50.0%", "1,234,567", "3.142", "2.500", "—"):
        assert needle in text, needle
    assert "0.1234" not in text and "1234567" not in text


def test_colored_cells_are_styled(output):
    _, _, styled = output
    # Bold red, bold yellow, bold green (SGR 1;31 / 1;33 / 1;32), whatever the exact escape.
    assert "\x1b[1;31mRed" in styled
    assert "\x1b[1;33mYellow" in styled
    assert "\x1b[1;32mGreen" in styled


def test_distribution_percentiles_are_the_grid_values_nearest_p(output):
    _, text, _ = output
    values = zero_mass_values()
    for p in (0.25, 0.5, 0.75, 0.9):
        assert f"{np.quantile(values, p):.1%}" in text, p
    assert "20,000" in text
    assert "current Red|Yellow 10.0%" in " ".join(text.split())
    # The lognormal one: thresholds with their values, proposed ones included.
    flat = " ".join(text.split())
    assert "current Yellow|Green 2.00" in flat
    assert f"proposed {SCRIPT} 0.80" in flat
    assert "all 500" not in flat  # plot-only notes stay out of the terminal


def test_color_mix_counts_and_shares(output):
    width, text, _ = output
    flat = " ".join(text.split())
    for needle in ("120", "(12%)", "1,000", "980", "(20%)"):
        assert needle in flat, needle
    if width >= 100:
        assert "120 (12%)" in text
        assert "█" in text


def test_bar_chart_and_curve(output):
    _, text, _ = output
    flat = " ".join(text.split())
    assert "31.0%" in flat and "35.0%" in flat and "3.0%" in flat
    assert "reference: base rate 12.0%" in flat
    assert "5 points" in flat
    assert "Higher is better." in flat


def test_grid_is_deterministic(report: Report):
    assert render(report, 100) == render(report, 100)


def test_very_narrow_console_does_not_crash(report: Report):
    text, _ = render(report, 30)
    assert "Calibration" in text


def test_a_wide_table_becomes_records_on_a_narrow_console(report: Report):
    narrow, _ = render(report, 60)
    wide, _ = render(report, 160)
    lines = [" ".join(line.split()) for line in narrow.splitlines()]
    # On 60 columns each row of the accounts table is a block of 'column value' lines...
    assert "count 1,234,567" in lines and "share 12.3%" in lines and "account [bold]x[/]" in lines
    # ...on 160 columns it is a table: one header line naming every column.
    assert any(line.split() == ["account", "color", "share", "count", "value"] for line in wide.splitlines())
    assert "count 1,234,567" not in [" ".join(line.split()) for line in wide.splitlines()]
