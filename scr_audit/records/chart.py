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
from typing import Any, Sequence

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


@dataclass(frozen=True)
class Rating:
    id: str
    label: str
    fill: str


@dataclass(frozen=True)
class Scale:
    """What a chart needs of its marker set: small, so it costs nothing to send to the
    process that draws (a whole set, with its guidance, is a few hundred KB)."""

    item_name: str
    ratings: tuple[Rating, ...]

    @classmethod
    def of(cls, mset: "MarkerSet | Scale") -> "Scale":
        if isinstance(mset, Scale):
            return mset
        return cls(mset.header.item_name, tuple(Rating(r.id, r.label, r.fill) for r in mset.header.rating_scale))


#: One chart to draw: its set's scale, the tallies, how many reviews, which reviews (or "").
Request = tuple[Scale, Sequence[MarkerTally], int, str]


class Drawer:
    """Draws a summary record's charts in a second process, beside this one's work.

    Importing matplotlib and drawing a chart each take about half a second of one core,
    and so do reading fifty files and building the record's tables. So the record's drawer
    is started before the files are read: a forked process imports matplotlib while the
    files are read, then draws each chart while this process builds the tables, which
    leave a paragraph for each chart (filled last). This process never imports matplotlib
    then. With one core, no `fork`, or a drawing process that cannot start, fails or dies,
    each chart is drawn here when it is asked for: the charts are the same either way.

    The process is a plain one with a pipe, no threads: the worker processes that read the
    files are forked after it, from a process with no other thread running.
    """

    def __init__(self, conn: Any = None, process: Any = None) -> None:
        self._conn = conn
        self._process = process
        self.requests: list[Request] = []
        self._charts: list[Chart] = []

    @classmethod
    def start(cls) -> "Drawer":
        """A drawer with its own process where that helps (more than one core, and fork)."""
        from scr_audit.batch import default_jobs

        if default_jobs() < 2:
            return cls()
        import multiprocessing

        if "fork" not in multiprocessing.get_all_start_methods():
            return cls()
        ctx = multiprocessing.get_context("fork")
        try:
            mine, theirs = ctx.Pipe()
            process = ctx.Process(target=_serve, args=(theirs,), daemon=True, name="scr-audit charts")
            process.start()
        except OSError:  # no process could be started (a limit on processes): draw here
            return cls()
        theirs.close()
        return cls(mine, process)

    def __enter__(self) -> "Drawer":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def submit(self, requests: Sequence[Request]) -> list[int]:
        """Ask for charts (drawn there at once, if there is a process); their indexes."""
        first = len(self.requests)
        self.requests += [(Scale.of(scale), list(tallies), reviews, where) for scale, tallies, reviews, where in requests]
        if self._conn is not None and len(self.requests) > first:
            try:  # one small message (the tallies and the scale): it never fills the pipe
                self._conn.send(self.requests[first:])
            except (OSError, ValueError):
                self._stop()
        return list(range(first, len(self.requests)))

    def chart(self, index: int) -> Chart:
        """The chart of request `index`: as drawn there, or drawn here."""
        while self._conn is not None and len(self._charts) <= index:
            try:
                kind, value = self._conn.recv()
            except (EOFError, OSError, ValueError):  # it died: the rest are drawn here
                self._stop()
                break
            if kind != "chart":  # it could not draw one: here, any error is raised as it would be
                self._stop()
                break
            self._charts.append(value)
        if index < len(self._charts):
            return self._charts[index]
        return _draw(*self.requests[index])

    def close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.send(None)
            except (OSError, ValueError):
                pass
        self._stop()

    def _stop(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        if self._process is not None:
            self._process.join(timeout=2)
            if self._process.is_alive():
                self._process.kill()
                self._process.join()
            self._process = None


def _serve(conn: Any) -> None:
    """The drawing process: import matplotlib, then draw what is asked, in order, until told to stop."""
    try:
        preload()
        while True:
            requests = conn.recv()
            if requests is None:
                return
            for request in requests:
                try:
                    chart = _draw(*request)
                except Exception as exc:  # noqa: BLE001 - said to the parent, which draws it itself
                    conn.send(("error", repr(exc)))
                    return
                conn.send(("chart", chart))
    except (EOFError, OSError, KeyboardInterrupt):  # the parent went away, or the user pressed Ctrl-C
        return


def _draw(scale: Scale, tallies: Sequence[MarkerTally], reviews: int, where: str) -> Chart:
    return ratings_chart(scale, tallies, reviews, where=where)


def preload() -> None:
    """Import the chart library (about 0.6 s), before the first chart is asked for."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.backends.backend_agg  # noqa: F401
    import matplotlib.figure  # noqa: F401
    import matplotlib.patches  # noqa: F401


def ratings_chart(mset: "MarkerSet | Scale", tallies: Sequence[MarkerTally], reviews: int, *, where: str = "") -> Chart:
    """Horizontal stacked bars: per marker, how many reviews gave each rating (and none).

    `where` says which reviews they are when a record has a chart per stage ("end of the
    review"): the title and the alt text name it.
    """
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    scale = list(Scale.of(mset).ratings)
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
    return Chart(buffer.getvalue(), alt_text(mset, tallies, reviews, where=where), chart_title(mset, reviews, where), 17.0)


def chart_title(mset: "MarkerSet | Scale", reviews: int, where: str = "") -> str:
    """The chart's title (and its caption's words), known before it is drawn."""
    return f"Ratings of each {Scale.of(mset).item_name} across {plural(reviews, 'review')}" + (f", {where}" if where else "")


def alt_text(mset: "MarkerSet | Scale", tallies: Sequence[MarkerTally], reviews: int, *, where: str = "") -> str:
    """What the chart shows, with every figure in it."""
    scale = Scale.of(mset)
    item = scale.item_name
    lines = [
        f"Horizontal stacked bar chart: for each of the {len(tallies)} {item}s, how many of the {plural(reviews, 'review')}"
        f"{f' ({where})' if where else ''} rated it {', '.join(r.label.lower() for r in scale.ratings)}, or did not rate it."
    ]
    for t in tallies:
        counts = [f"{t.counts.get(r.id, 0)} {r.label.lower()}" for r in scale.ratings] + [f"{t.unrated} not rated"]
        lines.append(f"{t.id} {t.title}: {', '.join(counts)}.")
    return " ".join(lines)
