"""SVG scatter of an opinion map (matplotlib, Agg backend; imported only when asked for)."""

from __future__ import annotations

from pathlib import Path

from accord.analysis.opinion import OpinionMap
from accord.errors import InputError

# Colour-blind-safe qualitative palette (Okabe & Ito 2008); grey = not clustered.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#F0E442")
UNCLUSTERED = "#BBBBBB"
# Label only the statements that matter most, so the picture stays readable.
MAX_LABELS = 12


def write_svg(result: OpinionMap, path: Path) -> None:
    """Participants coloured by group, representative statements labelled where they sit."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(8, 6))
    grey = [xy for pid, xy in result.coordinates.items() if pid not in result.participants]
    if grey:
        gx, gy = zip(*grey, strict=True)
        axes.scatter(gx, gy, s=8, c=UNCLUSTERED, label="not clustered")
    for group in result.groups:
        xy = [result.coordinates[p] for p, g in result.participants.items() if g == group.id]
        if xy:
            colour = PALETTE[group.id % len(PALETTE)]
            x, y = zip(*xy, strict=True)
            axes.scatter(x, y, s=12, c=colour, label=f"group {group.id}")
    labelled = [r.statement for g in result.groups for r in g.representative[:2]]
    labelled += [c.statement for c in result.consensus[:2]]
    for sid in list(dict.fromkeys(labelled))[:MAX_LABELS]:
        if sid in result.statement_coordinates:
            sx, sy = result.statement_coordinates[sid]
            axes.annotate(sid, (sx, sy), fontsize=8, color="#333333")
            axes.scatter([sx], [sy], marker="x", s=18, c="#333333")
    axes.set_xlabel("first principal component")
    axes.set_ylabel("second principal component")
    axes.set_title("Opinion map (x = statement, where agreeing with it alone would place you)")
    if axes.get_legend_handles_labels()[0]:  # no groups: no legend (and no matplotlib warning)
        axes.legend(loc="best", fontsize=8)
    try:
        figure.savefig(path, format="svg")
    except OSError as error:
        raise InputError(f"{path}: cannot write the SVG ({error.strerror})") from None
    finally:
        plt.close(figure)
