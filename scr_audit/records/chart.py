"""Charts for the records: drawn with matplotlib's Agg backend, as PNG, only when a record has one.

matplotlib is the field's standard for a chart in a report, and heavy to import (a few
tenths of a second), so it is imported inside the function that draws: no other command,
and no record without a chart, pays for it. The object-oriented API (a Figure on an Agg
canvas) is used rather than pyplot, so no global state or GUI backend is ever touched.

A chart in a Board paper is often printed in black and white, so each rating is told
apart three ways: its fill from the marker set (which differ in greyscale), a hatching
pattern, and the counts written on the bars; the legend names each. The alt text states
what the chart shows with every figure in it, for a reader who cannot see it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Sequence

from scr_audit.markers import MarkerSet
from scr_audit.validation import plural

#: Hatching per place on the rating scale (best first), then for "not rated": greyscale-safe.
HATCHES = ("", "///", "xxx", "...", "\\\\\\\\", "++", "oo")
NOT_RATED_FILL = "FFFFFF"
#: 17 cm, the text width of a portrait A4 page in the house style.
WIDTH_INCHES = 17.0 / 2.54
DPI = 150
#: The chart's height: the legend and axis, then a row per marker. Records flow on with no
#: page breaks, so a block that does not fit on what is left of a page moves to the next and
#: leaves that space empty; the chart of 18 markers (9.6 cm), its heading and its caption
#: stay under half the 25.7 cm of text on an A4 page, so no page is ever left more than
#: half empty for it. More markers than MAX_ROWS are drawn as several charts.
FRAME_INCHES = 0.85
ROW_INCHES = 0.16
MAX_ROWS = 18


@dataclass(frozen=True)
class MarkerTally:
    """How many reviews gave one marker each rating (by rating id), and how many none."""

    id: str
    title: str
    counts: dict[str, int]
    unrated: int


@dataclass(frozen=True)
class Chart:
    png: bytes
    alt_text: str
    title: str
    width_cm: float


class Drawer:
    """Draws a record's charts in a second process while this one builds its tables.

    Drawing a chart takes about half a second of one core, and a summary record's tables
    as long again, so on a machine with more than one core the two are done side by side
    (a forked process: matplotlib, already imported, is not imported again). Where there
    is one core, no `fork`, or the process cannot start or dies, each chart is drawn here
    when it is asked for; the charts are the same either way.
    """

    def __init__(self, requests: Sequence[tuple[MarkerSet, Sequence[MarkerTally], int, str]]) -> None:
        self._requests = list(requests)
        self._futures: list = []
        self._pool = None
        from scr_audit.batch import default_jobs

        if not self._requests or default_jobs() < 2:
            return
        import multiprocessing

        if "fork" not in multiprocessing.get_all_start_methods():
            return
        from concurrent.futures import ProcessPoolExecutor

        try:
            self._pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"))
            self._futures = [self._pool.submit(_draw, *request) for request in self._requests]
        except (OSError, RuntimeError):  # no process could be started: draw here
            self.close()

    def chart(self, index: int) -> Chart:
        """The chart of request `index`, drawn there if it could be, else here."""
        if index < len(self._futures):
            try:
                return self._futures[index].result()
            except Exception:  # the process died or could not draw it: here, an error is raised as it would be
                pass
        return _draw(*self._requests[index])

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        self._futures = []


def _draw(mset: MarkerSet, tallies: Sequence[MarkerTally], reviews: int, where: str) -> Chart:
    return ratings_chart(mset, tallies, reviews, where=where)


def preload() -> None:
    """Import the chart library (about 0.6 s), so it can be done while files are read."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.backends.backend_agg  # noqa: F401
    import matplotlib.figure  # noqa: F401
    import matplotlib.patches  # noqa: F401


def ratings_chart(mset: MarkerSet, tallies: Sequence[MarkerTally], reviews: int, *, where: str = "") -> Chart:
    """Horizontal stacked bars: per marker, how many reviews gave each rating (and none).

    `where` says which reviews they are when a record has a chart per stage ("end of the
    review"): the title and the alt text name it.
    """
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    scale = list(mset.header.rating_scale)
    parts = [(r.id, r.label, "#" + r.fill, HATCHES[i % len(HATCHES)]) for i, r in enumerate(scale)]
    parts.append(("", "Not rated", "#" + NOT_RATED_FILL, HATCHES[len(scale) % len(HATCHES)]))
    height = FRAME_INCHES + ROW_INCHES * len(tallies)
    fig = Figure(figsize=(WIDTH_INCHES, height), dpi=DPI)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    labels = [f"{t.id} {t.title}" for t in tallies]
    ys = list(range(len(tallies)))
    left = [0] * len(tallies)
    for rid, label, colour, hatch in parts:
        values = [t.counts.get(rid, 0) if rid else t.unrated for t in tallies]
        bars = ax.barh(ys, values, left=left, color=colour, edgecolor="black", linewidth=0.6, hatch=hatch, height=0.72)
        for bar, v, x in zip(bars, values, left):
            if v and v / max(1, reviews) >= 0.06:
                ax.text(x + v / 2, bar.get_y() + bar.get_height() / 2, str(v), ha="center", va="center", fontsize=7,
                        color="black", bbox={"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none", "alpha": 0.85})
        left = [a + b for a, b in zip(left, values)]
    ax.set_yticks(ys)
    ax.set_yticklabels(labels, fontsize=7)
    ax.invert_yaxis()
    ax.set_xlim(0, max(1, reviews))
    ax.set_xlabel(f"Reviews (of {reviews})", fontsize=8)
    ax.tick_params(axis="x", labelsize=7)
    ax.xaxis.get_major_locator().set_params(integer=True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    handles = [Patch(facecolor=c, edgecolor="black", hatch=h, label=label) for _, label, c, h in parts]
    ax.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.4, 1.0), ncol=len(handles), fontsize=7, frameon=False,
              handlelength=2.2, handleheight=1.2)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    title = f"Ratings of each {mset.header.item_name} across {plural(reviews, 'review')}" + (f", {where}" if where else "")
    return Chart(buffer.getvalue(), alt_text(mset, tallies, reviews, where=where), title, 17.0)


def alt_text(mset: MarkerSet, tallies: Sequence[MarkerTally], reviews: int, *, where: str = "") -> str:
    """What the chart shows, with every figure in it."""
    item = mset.header.item_name
    lines = [
        f"Horizontal stacked bar chart: for each of the {len(tallies)} {item}s, how many of the {plural(reviews, 'review')}"
        f"{f' ({where})' if where else ''} rated it {', '.join(r.label.lower() for r in mset.header.rating_scale)}, or did not rate it."
    ]
    for t in tallies:
        counts = [f"{t.counts.get(r.id, 0)} {r.label.lower()}" for r in mset.header.rating_scale] + [f"{t.unrated} not rated"]
        lines.append(f"{t.id} {t.title}: {', '.join(counts)}.")
    return " ".join(lines)
