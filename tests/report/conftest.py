"""A report with every block type and the text that breaks careless renderers."""
from __future__ import annotations

import numpy as np
import pytest

from adoptscore.report.document import (
    BarChart,
    Colored,
    ColorMix,
    Curve,
    Distribution,
    Paragraph,
    Report,
    Section,
    Table,
    Threshold,
)

SCRIPT = "<script>alert(1)</script>"
MARKUP = "[bold]x[/]"
ARABIC = "حساب العميل"
EMOJI = "🚀 Launch"
LONG = "Enterprise account with a remarkably long and unwrapped name " * 4
GRID = [round(i / 100, 2) for i in range(101)]


def grid_of(values: np.ndarray) -> list[tuple[float, float]]:
    return [(p, float(v)) for p, v in zip(GRID, np.quantile(values, GRID))]


def zero_mass_values(n: int = 20_000, seed: int = 7) -> np.ndarray:
    """40% of the values exactly 0, the rest lognormal."""
    rng = np.random.default_rng(seed)
    values = rng.lognormal(mean=-1.5, sigma=0.8, size=n)
    values[: int(n * 0.4)] = 0.0
    return values


def build_report() -> Report:
    lognormal = np.random.default_rng(3).lognormal(mean=0.0, sigma=1.0, size=20_000)
    return Report(
        title=f"Calibration {SCRIPT}",
        subtitle=f"gitlab v3 · {MARKUP} · {ARABIC}",
        figures=[("Accounts", "2,000"), ("Agreement", "0.81"), (f"Owner {SCRIPT}", f"{MARKUP} {EMOJI}")],
        warnings=[f"Only 5 months of history {SCRIPT}", f"Labels file has {MARKUP} markup"],
        sections=[
            Section(
                f"Metrics {SCRIPT}",
                [
                    Paragraph(f"Plain text with {SCRIPT} and {MARKUP} and {ARABIC} {EMOJI}."),
                    Paragraph("A note for the careful reader.", kind="note"),
                    Paragraph(f"Fewer than 6 months {MARKUP}", kind="warning"),
                    Table(
                        columns=["account", "color", "share", "count", "value"],
                        rows=[
                            [SCRIPT, Colored("Red", "red"), 0.1234, 1234567, 3.14159],
                            [MARKUP, Colored("Yellow", "yellow"), 0.5, 12, None],
                            [ARABIC, Colored("Green", "green"), float("nan"), 7, 2.5],
                            [EMOJI, Colored("no data", "no_data"), None, None, float("nan")],
                            [LONG, Colored("n/a", "not_applicable"), 1.0, 0, 1e-5],
                        ],
                        caption=f"Accounts {SCRIPT}",
                        formats={"share": ".1%", "count": ",d", "value": ".3f"},
                    ),
                    Table(columns=["nothing", "here"], rows=[], caption="An empty table"),
                ],
            ),
            Section(
                "Distributions",
                [
                    Distribution(
                        title=f"Git users {SCRIPT}",
                        quantiles=grid_of(lognormal),
                        n=20_000,
                        thresholds=[
                            Threshold("current Red|Yellow", 0.5),
                            Threshold("current Yellow|Green", 2.0),
                            Threshold(f"proposed {SCRIPT}", 0.8, "proposed"),
                            Threshold("proposed far away", 1000.0, "proposed"),
                        ],
                        value_format=".2f",
                        caption="Share of seats using git.",
                    ),
                    Distribution(
                        title="Deployments (40% exact zeros)",
                        quantiles=grid_of(zero_mass_values()),
                        n=20_000,
                        thresholds=[Threshold("current Red|Yellow", 0.1)],
                        value_format=".1%",
                    ),
                    Distribution(
                        title="Constant",
                        quantiles=[(p, 3.0) for p in GRID],
                        n=500,
                        thresholds=[Threshold("current", 3.0)],
                    ),
                ],
            ),
            Section(
                f"Colors {ARABIC}",
                [
                    ColorMix(
                        title=f"Colors {SCRIPT}",
                        bars=[
                            ("current", {"red": 120, "yellow": 300, "green": 500, "no_data": 60, "not_applicable": 20}),
                            (f"proposed {SCRIPT}", {"red": 200, "yellow": 300, "green": 420, "no_data": 60}),
                            ("empty", {}),
                        ],
                        caption="Share of accounts per color.",
                    ),
                    BarChart(
                        title="Churn rate per color",
                        categories=["red", "yellow", f"green {SCRIPT}"],
                        series=[("gitlab v2", [0.31, 0.12, 0.04]), (f"gitlab v3 {EMOJI}", [0.35, None, 0.03])],
                        value_format=".1%",
                        reference=("base rate", 0.12),
                    ),
                    Curve(
                        title="ROC",
                        series=[(f"v3 {SCRIPT} AUC 0.81", [0.0, 0.1, 0.3, 0.6, 1.0], [0.0, 0.45, 0.75, 0.92, 1.0])],
                        x_label="false positive rate",
                        y_label="true positive rate",
                        diagonal=True,
                        caption="Higher is better.",
                    ),
                ],
            ),
        ],
    )


@pytest.fixture(scope="session")
def report() -> Report:
    return build_report()
