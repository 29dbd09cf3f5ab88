"""Report charts: matplotlib (Agg) figures rendered to inline SVG strings, deterministically.

Every chart is drawn on a fresh :class:`~matplotlib.figure.Figure` (no pyplot state), saved
as SVG with text kept as text (``svg.fonttype = none``: small, selectable, and it takes the
page's font), a fixed ``svg.hashsalt`` per chart (so ids are stable and never collide between
two charts on one page) and no date in the metadata.  The SVG is then cut down for inlining
in HTML: no XML prolog, no DOCTYPE, no metadata, no namespace URLs and ``href`` instead of
``xlink:href``, so the page references nothing outside itself.

Colours: the Okabe–Ito palette (Okabe & Ito 2008, "Color Universal Design"), which stays
distinguishable under the common colour-vision deficiencies, paired with distinct marker
shapes so no chart relies on colour alone; heatmaps use one sequential hue.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from typing import Any

import matplotlib

matplotlib.use("Agg")

from matplotlib import rc_context  # noqa: E402  (after the backend is chosen)
from matplotlib.figure import Figure  # noqa: E402

from accord.report.view import CruxRow, Matrix, ParetoPoint, StabilityRow  # noqa: E402

OKABE_ITO = (
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#F0E442",  # yellow
    "#000000",
)
MARKERS = ("o", "s", "D", "^", "v", "P", "X", "*")
CROWD = 30  # above this many stakeholders a heatmap drops its labels and numbers
INK = "#1f2933"
MUTED = "#7b8794"
GRID = "#e4e7eb"
ACCENT = "#0072B2"
WARN = "#D55E00"
SEQUENTIAL = "Blues"
DIVERGING = "PuOr"

_STYLE: dict[str, Any] = {
    "svg.fonttype": "none",
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
    "font.size": 9,
    "axes.edgecolor": MUTED,
    "axes.labelcolor": INK,
    "axes.titlesize": 10,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    # A fixed title height: matplotlib otherwise measures every decoration above the axes
    # to place the title (~15 ms a chart); no chart here has ticks or labels on top.
    "axes.titley": 1.0,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "xtick.color": INK,
    "ytick.color": INK,
    "legend.frameon": False,
    "path.simplify": False,
    # Names are user text: "$2m $5m" must be drawn as written, not parsed as TeX mathtext
    # (which raises on unbalanced or unknown commands and would fail the whole report).
    "text.parse_math": False,
}


def _style(extra: dict[str, Any] | None = None) -> Any:
    """The report's matplotlib style as a context (typed loosely: rcParams keys are literals)."""
    params: Any = {**_STYLE, **(extra or {})}
    return rc_context(params)


def _svg(figure: Figure, salt: str, title: str) -> str:
    """Serialise ``figure`` to an inline-ready SVG element with an accessible title."""
    buffer = io.StringIO()
    with _style({"svg.hashsalt": f"accord-{salt}"}):
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg, flags=re.S)
    svg = re.sub(r'\s+xmlns(:xlink)?="[^"]*"', "", svg)
    svg = svg.replace("xlink:href=", "href=")
    # Matplotlib numbers its groups per figure (figure_1, axes_1...): prefix every id and
    # every reference to one so several charts can share a page with unique ids.
    svg = re.sub(r'\bid="', f'id="{salt}-', svg)
    svg = svg.replace('href="#', f'href="#{salt}-').replace("url(#", f"url(#{salt}-")
    # The page's font instead of matplotlib's fallback list (layout was measured with the
    # wide DejaVu Sans, so any common sans-serif fits).
    svg = re.sub(r"font-family: [^;\"]*", "font-family: inherit", svg)
    svg = re.sub(
        r'<svg width="([\d.]+)pt" height="([\d.]+)pt"',
        lambda m: (
            f'<svg class="chart" role="img" aria-label="{_escape(title)}" '
            f'width="{m.group(1)}pt" height="{m.group(2)}pt" preserveAspectRatio="xMinYMin meet"'
        ),
        svg,
        count=1,
    )
    return svg.strip() + "\n"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def _figure(width: float, height: float) -> Figure:
    with _style():
        return Figure(figsize=(width, height))


def _text_inches(label: str, size: float = 9.0) -> float:
    """Approximate width of ``label`` in inches (DejaVu Sans averages ~0.6 em per glyph)."""
    return len(label) * size * 0.6 / 72.0


def _place(figure: Figure, *, left: float, right: float, top: float, bottom: float) -> None:
    """Fix the axes margins in inches (cheaper than constrained layout, and stable)."""
    width, height = figure.get_size_inches()
    figure.subplots_adjust(
        left=min(left / width, 0.6),
        right=1.0 - right / width,
        top=1.0 - top / height,
        bottom=min(bottom / height, 0.6),
    )


def _wrap(label: str, width: int) -> str:
    import textwrap

    lines = textwrap.wrap(label, width) or [label]
    return "\n".join(lines[:2]) + ("…" if len(lines) > 2 else "")


def _short(label: str, size: int = 28) -> str:
    return label if len(label) <= size else label[: size - 1].rstrip() + "…"


WEIGHTS_TITLE = "How much each stakeholder weighs each criterion"


def weight_heatmap(weights: Matrix) -> str:
    """Stakeholders × criteria heatmap of normalised weights, the share written in each cell."""
    rows, cols = len(weights.rows), len(weights.columns)
    values = [[v if v is not None else 0.0 for v in row] for row in weights.values]
    crowd = rows > CROWD  # too many people to label: one thin row each, no numbers
    left = 0.2 + (0.4 if crowd else max((_text_inches(r) for r in weights.rows), default=1.0))
    cell = min(0.95, (9.0 - left) / max(cols, 1))
    # At least as wide as its title (10 pt bold), which a narrow heatmap of two criteria cut.
    width = max(left + cell * cols, left + _text_inches(WEIGHTS_TITLE, 10.0 * 1.1)) + 0.15
    figure = _figure(width, 0.45 + (5.0 if crowd else 0.34 * rows) + 0.5)
    _place(figure, left=left, right=0.15, top=0.45, bottom=0.5)
    with _style():
        axes = figure.add_subplot()
        top = max((max(row) for row in values), default=1.0) or 1.0
        axes.imshow(values, cmap=SEQUENTIAL, vmin=0.0, vmax=top, aspect="auto")
        for i, row in enumerate(values if not crowd else []):
            for j, value in enumerate(row):
                shade = "white" if value > 0.6 * top else INK
                axes.text(j, i, f"{100 * value:.0f}%", ha="center", va="center", color=shade)
        chars = max(int(cell * 72 / (8 * 0.6)), 6)
        axes.set_xticks(range(cols), [_wrap(c, chars) for c in weights.columns], fontsize=8)
        if crowd:
            axes.set_yticks([])
            axes.set_ylabel(f"{rows} stakeholders")
        else:
            axes.set_yticks(range(rows), weights.rows)
        axes.tick_params(axis="both", length=0)
        for spine in axes.spines.values():
            spine.set_visible(False)
        axes.set_title(WEIGHTS_TITLE, loc="left")
    return _svg(figure, "weights", "Weight heatmap: stakeholders by criteria")


def utility_dots(utilities: Matrix) -> str:
    """Dot plot: one row per option, one marker per stakeholder at their utility (0..1)."""
    n_options = len(utilities.columns)
    labels = [_short(c, 34) for c in utilities.columns]
    legend_rows = (len(utilities.rows) + 2) // 3 if len(utilities.rows) <= len(MARKERS) else 0
    left = 0.2 + max((_text_inches(c) for c in labels), default=1.0)
    bottom = 0.55 + 0.22 * legend_rows
    figure = _figure(7.2, 0.4 + 0.36 * n_options + 0.2 + bottom)
    _place(figure, left=left, right=0.2, top=0.4, bottom=bottom)
    with _style():
        axes = figure.add_subplot()
        for j in range(n_options):
            axes.axhline(n_options - 1 - j, color=GRID, linewidth=0.8, zorder=1)
        if len(utilities.rows) > len(MARKERS):
            # Many people: every stakeholder as a small grey dot, the mean as a blue bar.
            xs = [v for row in utilities.values for v in row if v is not None]
            ys = [
                n_options - 1 - j
                for row in utilities.values
                for j, v in enumerate(row)
                if v is not None
            ]
            axes.scatter(xs, ys, s=10, color=MUTED, alpha=0.45, linewidths=0, zorder=2)
            for j in range(n_options):
                column = [v for row in utilities.values if (v := row[j]) is not None]
                if column:
                    mean = sum(column) / len(column)
                    axes.plot(
                        [mean],
                        [n_options - 1 - j],
                        marker="|",
                        markersize=14,
                        color=ACCENT,
                        zorder=3,
                    )
        for i, (person, row) in enumerate(
            zip(utilities.rows, utilities.values, strict=True)
            if len(utilities.rows) <= len(MARKERS)
            else []
        ):
            xs = [v for v in row if v is not None]
            ys = [n_options - 1 - j for j, v in enumerate(row) if v is not None]
            axes.scatter(
                xs,
                ys,
                s=38,
                marker=MARKERS[i % len(MARKERS)],
                color=OKABE_ITO[i % len(OKABE_ITO)],
                label=person,
                zorder=3,
                edgecolors="white",
                linewidths=0.6,
            )
        axes.set_yticks([n_options - 1 - j for j in range(n_options)], labels)
        axes.set_ylim(-0.6, n_options - 0.4)
        axes.tick_params(axis="y", length=0)
        axes.spines["left"].set_visible(False)
        axes.set_xlabel("Utility for the stakeholder (weighted normalised score; higher is better)")
        crowd = len(utilities.rows) > len(MARKERS)
        axes.set_title(
            f"How {len(utilities.rows)} stakeholders score each option (dot: one person; bar: mean)"
            if crowd
            else "How each stakeholder scores each option",
            loc="left",
        )
        if len(utilities.rows) <= len(MARKERS):
            figure.legend(
                loc="lower left",
                bbox_to_anchor=(left / 7.2, 0.0),
                ncol=min(len(utilities.rows), 3),
                fontsize=8,
                handletextpad=0.3,
                columnspacing=1.2,
            )
    return _svg(figure, "utilities", "Option utility by stakeholder")


def crux_tornado(cruxes: Sequence[CruxRow]) -> str:
    """Tornado of cruxes: how large a change (relative to today) flips each preference.

    Short bars are fragile preferences; vermillion bars lie inside the estimate's stated
    range (plausible), grey bars outside it.
    """
    rows = [c for c in cruxes if c.relative_change is not None][:12]
    labels = [_short(f"{c.who}: {c.criterion or c.kind}", 40) for c in rows]
    left = 0.2 + max((_text_inches(label) for label in labels), default=1.0)
    figure = _figure(7.2, 0.4 + 0.32 * max(len(rows), 1) + 0.55)
    _place(figure, left=left, right=0.3, top=0.4, bottom=0.55)
    with _style():
        axes = figure.add_subplot()
        n = len(rows)
        changes = [100 * float(c.relative_change or 0.0) for c in rows]
        for i, (crux, change) in enumerate(zip(rows, changes, strict=True)):
            colour = WARN if crux.plausible else "#bcc3cc"
            axes.barh(n - 1 - i, change, color=colour, height=0.62)
            axes.annotate(
                f"{change:+.0f}%" if abs(change) >= 1 else f"{change:+.1f}%",
                (change, n - 1 - i),
                xytext=(4 if change >= 0 else -4, 0),
                textcoords="offset points",
                va="center",
                ha="left" if change >= 0 else "right",
                fontsize=8,
                color=INK,
            )
        axes.set_yticks(range(n - 1, -1, -1), labels)
        axes.axvline(0, color=INK, linewidth=0.8)
        axes.tick_params(axis="y", length=0)
        axes.spines["left"].set_visible(False)
        low = min([0.0, *changes])
        high = max([0.0, *changes])
        span = (high - low) or 1.0
        axes.set_xlim(low - 0.18 * span * (low < 0), high + 0.18 * span)
        axes.set_ylim(-0.6, n - 0.4)
        axes.set_xlabel("Change from today's value that flips the preference (%)")
        axes.set_title("Cruxes: how far each preference is from flipping", loc="left")
    return _svg(figure, "tornado", "Tornado chart of cruxes")


def weight_stability(rows: Sequence[StabilityRow]) -> str:
    """Tornado of weight stability: the interval of each weight within which the top choice holds.

    The bar is the stable interval, the dot today's weight; the column on the right names the
    option that takes over below (←) or above (→) the interval.  Nearest flip point first.
    """
    labels = [_short(r.label, 42) for r in rows]
    takeovers = [
        "  ".join(
            bit
            for bit in (
                f"← {_short(r.below, 20)}" if r.below else "",
                f"→ {_short(r.above, 20)}" if r.above else "",
            )
            if bit
        )
        for r in rows
    ]
    left = 0.2 + max((_text_inches(label) for label in labels), default=1.0)
    right = 0.25 + max((_text_inches(t, 8) for t in takeovers), default=1.0)
    width = min(max(left + right + 3.0, 7.2), 10.0)
    figure = _figure(width, 0.4 + 0.3 * max(len(rows), 1) + 0.55)
    _place(figure, left=left, right=right, top=0.4, bottom=0.55)
    with _style():
        axes = figure.add_subplot()
        n = len(rows)
        for i, (row, takeover) in enumerate(zip(rows, takeovers, strict=True)):
            y = n - 1 - i
            axes.barh(y, row.high - row.low, left=row.low, color="#cfe3f1", height=0.56)
            axes.plot([row.weight], [y], marker="o", color=ACCENT, markersize=5, zorder=3)
            axes.annotate(
                takeover,
                (1.0, y),
                xycoords=("axes fraction", "data"),
                xytext=(8, 0),
                textcoords="offset points",
                ha="left",
                va="center",
                fontsize=8,
                color=WARN,
            )
        axes.set_yticks(range(n - 1, -1, -1), labels)
        axes.set_xlim(0.0, 1.0)
        axes.set_ylim(-0.6, n - 0.4)
        axes.tick_params(axis="y", length=0)
        axes.spines["left"].set_visible(False)
        axes.grid(axis="x", color=GRID, linewidth=0.6)
        axes.set_axisbelow(True)
        axes.set_xlabel("Weight on the criterion (dot: today's weight)")
        axes.set_title("Weight stability: how far each weight can move", loc="left")
    return _svg(figure, "stability", "Tornado chart of weight stability")


def scenario_heat(matrix: Matrix, n_scenarios: int) -> str:
    """Options × scenarios heatmap of group utility (plus expected utility)."""
    columns = matrix.columns[: n_scenarios + 1]
    values = [[v if v is not None else 0.0 for v in row[: len(columns)]] for row in matrix.values]
    labels = [_short(r, 34) for r in matrix.rows]
    left = 0.2 + max((_text_inches(r) for r in labels), default=1.0)
    cell = min(1.3, (9.0 - left) / max(len(columns), 1))
    figure = _figure(left + cell * len(columns) + 0.15, 0.45 + 0.34 * len(matrix.rows) + 0.5)
    _place(figure, left=left, right=0.15, top=0.45, bottom=0.5)
    with _style():
        axes = figure.add_subplot()
        flat = [v for row in values for v in row]
        low, high = (min(flat), max(flat)) if flat else (0.0, 1.0)
        spread = (high - low) or 1.0
        axes.imshow(values, cmap=SEQUENTIAL, vmin=low - 0.15 * spread, vmax=high, aspect="auto")
        for i, row in enumerate(values):
            for j, value in enumerate(row):
                shade = "white" if value > low + 0.65 * spread else INK
                axes.text(j, i, f"{value:.2f}", ha="center", va="center", color=shade)
        chars = max(int(cell * 72 / (8 * 0.6)), 6)
        axes.set_xticks(range(len(columns)), [_wrap(c, chars) for c in columns], fontsize=8)
        axes.set_yticks(range(len(labels)), labels)
        axes.tick_params(length=0, axis="both")
        for spine in axes.spines.values():
            spine.set_visible(False)
        axes.set_title("Group utility under each scenario", loc="left")
    return _svg(figure, "scenarios", "Scenario heatmap")


def pareto_scatter(pair: tuple[str, str], points: Sequence[ParetoPoint]) -> str:
    """Two stakeholders' utilities per option; the feasible frontier of the pair as a line.

    Filled markers: Pareto-efficient among the feasible options over all stakeholders;
    hollow: feasible but dominated; grey crosses: excluded (a guardrail or the budget), so
    never on the frontier.  The legend names each marker the chart draws.
    """
    feasible = [p for p in points if p.feasible]
    frontier = sorted(
        (
            p
            for p in feasible
            if not any(q.x >= p.x and q.y >= p.y and (q.x > p.x or q.y > p.y) for q in feasible)
        ),
        key=lambda p: p.x,
    )
    figure = _figure(6.4, 4.2)
    _place(figure, left=0.65, right=0.2, top=0.4, bottom=0.55)
    with _style():
        axes = figure.add_subplot()
        if len(frontier) > 1:
            axes.plot(
                [p.x for p in frontier],
                [p.y for p in frontier],
                color=ACCENT,
                linewidth=1.2,
                linestyle="--",
                zorder=2,
                label="Feasible frontier for these two",
            )
        kinds: tuple[tuple[str, Callable[[ParetoPoint], bool], dict[str, Any]], ...] = (
            ("Pareto-efficient (feasible)", lambda p: p.feasible and p.efficient,
             {"color": ACCENT, "edgecolors": ACCENT, "marker": "o"}),
            ("Feasible, dominated", lambda p: p.feasible and not p.efficient,
             {"color": "white", "edgecolors": ACCENT, "marker": "o"}),
            ("Excluded by a guardrail or the budget", lambda p: not p.feasible,
             {"color": MUTED, "marker": "x"}),
        )  # fmt: skip
        for label, member, style in kinds:
            chosen = [p for p in points if member(p)]
            if chosen:
                axes.scatter(
                    [p.x for p in chosen],
                    [p.y for p in chosen],
                    s=52,
                    zorder=3,
                    linewidths=1.4,
                    label=label,
                    **style,
                )
        xs = [p.x for p in points] or [0.0, 1.0]
        ys = [p.y for p in points] or [0.0, 1.0]
        middle = (min(xs) + max(xs)) / 2
        for point in points:
            # A label runs towards the middle of the chart: written after a point on the
            # right, it ran off the chart ("Segment-targeted compromis").
            before = point.x > middle
            axes.annotate(
                _short(point.option, 30),
                (point.x, point.y),
                xytext=(-6, 4) if before else (6, 4),
                textcoords="offset points",
                ha="right" if before else "left",
                fontsize=8,
                color=INK if point.feasible else MUTED,
            )
        axes.set_xlabel(f"Utility for {pair[0]}")
        axes.set_ylabel(f"Utility for {pair[1]}")
        pad_x = 0.12 * (max(xs) - min(xs) or 1.0)
        pad_y = 0.12 * (max(ys) - min(ys) or 1.0)
        axes.set_xlim(min(xs) - pad_x, max(xs) + pad_x)
        axes.set_ylim(min(ys) - pad_y, max(ys) + pad_y)
        axes.grid(color=GRID, linewidth=0.6)
        axes.set_axisbelow(True)
        axes.set_title("Trade-off between the two most opposed stakeholders", loc="left")
        axes.legend(loc="lower left", fontsize=8)
    return _svg(figure, "pareto", f"Pareto chart: {pair[0]} against {pair[1]}")


def opinion_scatter(points: Sequence[tuple[str, float, float, int]]) -> str:
    """Participants on the first two principal components of their statement votes."""
    groups = sorted({p[3] for p in points})
    figure = _figure(6.4, 4.0)
    _place(figure, left=0.35, right=0.2, top=0.4, bottom=0.4)
    with _style():
        axes = figure.add_subplot()
        for index, group in enumerate(groups):
            members = [p for p in points if p[3] == group]
            label = f"Group {chr(ord('A') + group)}" if 0 <= group < 26 else "Unclustered"
            axes.scatter(
                [p[1] for p in members],
                [p[2] for p in members],
                s=46,
                marker=MARKERS[index % len(MARKERS)],
                color=OKABE_ITO[index % len(OKABE_ITO)],
                label=label,
                zorder=3,
            )
        if len(points) <= 30:
            for name, x, y, _ in points:
                axes.annotate(
                    _short(name, 22), (x, y), xytext=(5, 3), textcoords="offset points", fontsize=8
                )
        xs = [p[1] for p in points] or [0.0]
        span = (max(xs) - min(xs)) or 1.0
        axes.set_xlim(min(xs) - 0.1 * span, max(xs) + 0.45 * span)
        axes.axhline(0, color=GRID, linewidth=0.8, zorder=1)
        axes.axvline(0, color=GRID, linewidth=0.8, zorder=1)
        axes.set_xticks([])
        axes.set_yticks([])
        axes.set_xlabel("First principal component of votes")
        axes.set_ylabel("Second component")
        axes.set_title("Opinion map: who votes alike", loc="left")
        axes.legend(loc="upper right", fontsize=8)
    return _svg(figure, "opinion", "Opinion map of participants")


def alignment_gauge(index: float) -> str:
    """A half-ring gauge of the alignment index (0..100) with the value in the middle."""
    value = max(0.0, min(100.0, float(index)))
    with _style():
        figure = Figure(figsize=(2.0, 1.15))
        figure.patch.set_alpha(0.0)
        axes = figure.add_axes((0.0, 0.0, 1.0, 1.0))
        axes.patch.set_alpha(0.0)
        axes.set_aspect("equal")
        axes.axis("off")
        axes.set_xlim(-1.08, 1.08)
        axes.set_ylim(-0.2, 1.08)
        from matplotlib.patches import Wedge

        axes.add_patch(Wedge((0, 0), 1.0, 0, 180, width=0.26, color=GRID))
        colour = ACCENT if value >= 40 else WARN
        axes.add_patch(Wedge((0, 0), 1.0, 180 - 1.8 * value, 180, width=0.26, color=colour))
        axes.text(
            0,
            0.12,
            f"{value:.0f}",
            ha="center",
            va="center",
            fontsize=20,
            color=INK,
            fontweight="bold",
        )
        axes.text(-0.87, -0.12, "0", ha="center", fontsize=7, color=MUTED)
        axes.text(0.87, -0.12, "100", ha="center", fontsize=7, color=MUTED)
    return _svg(figure, "gauge", f"Alignment index {value:.0f} of 100")
