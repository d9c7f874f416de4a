"""Output formats for `summary`: CSV (for Excel), JSON and terminal tables.

CSV keeps one header row and a stable column order so a spreadsheet built on it keeps
working: the fixed columns first, then one column per rating of the sets present, in the
sets' own order.
"""

from __future__ import annotations

import csv
import io
from typing import Any, Optional

from scr_audit import __version__, jsontext
from scr_audit.renderers import RATING_STYLES, common_folder, score_dict, score_text
from scr_audit.results import Score
from scr_audit.summary import Summary, Tally

BY = ("review", "marker", "cluster")


def _figure_keys(summary: Summary) -> list[tuple[str, str]]:
    """(key, column name) of every figure and choice question of the sets present."""
    out: list[tuple[str, str]] = []
    for s in summary.sets:
        for f in s.figures:
            name = f.figure.label + (f" ({f.figure.unit})" if f.figure.unit else "")
            if (f.figure.key, name) not in out:
                out.append((f.figure.key, name))
        for c in s.choices:
            if (c.key, c.label) not in out:
                out.append((c.key, c.label))
    return out


def _number(value: Optional[float]) -> str:
    return "" if value is None else f"{value:g}"


def _rating_ids(summary: Summary) -> list[str]:
    ids: list[str] = []
    for s in summary.sets:
        for r in s.mset.header.rating_scale:
            if r.id not in ids:
                ids.append(r.id)
    return ids


def _pct(score: Optional[Score]) -> str:
    return "" if score is None or score.percent is None else f"{score.percent:.1f}"


def to_csv(summary: Summary, by: str = "review") -> str:
    ratings = _rating_ids(summary)
    buf = io.StringIO()
    w = csv.writer(buf)
    if by == "review":
        extra = _figure_keys(summary)
        w.writerow(
            ["file", "marker-set", "title", "partnership", "stage", "answered", "questions", "rated", "markers", "unrated", "score"]
            + ratings
            + ["errors", "warnings", "infos"]
            + [name for _, name in extra]
        )
        for s in summary.sets:
            for r in s.reviews:
                counts = r.score.counts if r.score else {}
                w.writerow(
                    [r.path, r.marker_set, r.title, r.partnership or "", r.stage or "", r.answered, r.questions_total, r.rated, r.markers_total, r.score.unrated if r.score else "", _pct(r.score)]
                    + [counts.get(rid, "") for rid in ratings]
                    + [r.errors, r.warnings, r.infos]
                    + [_number(r.figures[k]) if k in r.figures else (r.choices.get(k) or "") for k, _ in extra]
                )
    else:
        w.writerow(["marker-set", by, "title"] + (["cluster"] if by == "marker" else []) + ["ratings"] + ratings + ["unrated", "mean-score"])
        for s in summary.sets:
            for t in s.markers if by == "marker" else s.clusters:
                w.writerow(
                    [s.mset.id, t.id, t.title]
                    + ([t.cluster] if by == "marker" else [])
                    + [t.score.total]
                    + [t.score.counts.get(rid, "") for rid in ratings]
                    + [t.score.unrated, _pct(t.score)]
                )
    return buf.getvalue()


def _tally_dict(t: Tally) -> dict[str, Any]:
    return {"id": t.id, "title": t.title, "cluster": t.cluster, **(score_dict(t.score) or {})}


def to_json(summary: Summary) -> str:
    doc = {
        "tool": "scr-audit",
        "version": __version__,
        "sets": [
            {
                "marker-set": s.mset.id,
                "title": s.mset.title,
                "version": s.mset.version,
                "reviews": [
                    {
                        "path": r.path,
                        "title": r.title,
                        "partnership": r.partnership,
                        "stage": r.stage,
                        "answered": r.answered,
                        "questions": r.questions_total,
                        "rated": r.rated,
                        "markers": r.markers_total,
                        "score": score_dict(r.score),
                        "ratings": r.ratings,
                        "figures": r.figures,
                        "choices": r.choices,
                        "errors": r.errors,
                        "warnings": r.warnings,
                        "infos": r.infos,
                    }
                    for r in s.reviews
                ],
                "markers": [_tally_dict(t) for t in s.markers],
                "clusters": [_tally_dict(t) for t in s.clusters],
                "overall": score_dict(s.overall),
                "figures": [
                    {"key": f.figure.key, "label": f.figure.label, "unit": f.figure.unit, "reviews": f.values, "mean": f.mean, "median": f.median, "min": f.low, "max": f.high}
                    for f in s.figures
                ],
                "choices": [{"key": c.key, "label": c.label, "counts": c.counts, "unanswered": c.unanswered} for c in s.choices],
            }
            for s in summary.sets
        ],
        "skipped": [{"path": k.path, "reason": k.reason} for k in summary.skipped],
    }
    return jsontext.dumps(doc)


def tables(summary: Summary, by: Optional[str] = None) -> list[Any]:
    """Rich renderables: for each set, the reviews, markers and clusters (or just `by`)."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from scr_audit.termtext import markup as escape, visible  # control characters visible, markup escaped

    out: list[Any] = []
    for s in summary.sets:
        scale = s.mset.header.rating_scale
        heading = Text(
            visible(
                f"{s.mset.title} ({s.mset.id}, version {s.mset.version}): {len(s.reviews)} review{'s' if len(s.reviews) != 1 else ''}, "
                f"overall {score_text(s.overall)}"
            ),
            style="bold",
        )
        out.append(heading)

        def rating_columns(table: Any) -> None:
            for r in scale:
                # one word per header line, so a narrow terminal never cuts a column off
                table.add_column("\n".join(escape(w) for w in r.label.split()), justify="right", header_style=RATING_STYLES.get(r.colour, ""), no_wrap=True)

        if by in (None, "review"):
            import os

            folder = common_folder([r.path for r in s.reviews])
            t = Table(
                title=escape(f"Reviews, in {folder}{os.sep}" if folder else "Reviews"),
                title_justify="left",
                box=box.SIMPLE_HEAD,
                pad_edge=False,
                collapse_padding=True,
            )
            t.add_column("Review, stage (file)", overflow="fold")
            t.add_column("Answered", justify="right", no_wrap=True)
            t.add_column("Score", justify="right", no_wrap=True)
            t.add_column("Ratings", max_width=16)
            t.add_column("Errors", justify="right", no_wrap=True)
            t.add_column("Warnings", justify="right", no_wrap=True)
            for r in s.reviews:
                counts = r.score.counts if r.score else {}
                given = [
                    f"[{RATING_STYLES.get(x.colour, '')}]{counts[x.id]} {escape(x.label.lower())}[/]"
                    for x in scale
                    if counts.get(x.id)
                ]
                t.add_row(
                    f"{escape(r.title or '')}, {r.stage or '-'}\n[dim]{escape(os.path.relpath(r.path, folder) if folder else r.path)}[/dim]",
                    f"{r.answered}/{r.questions_total}",
                    score_text(r.score),
                    ", ".join(given) or "none rated",
                    str(r.errors),
                    str(r.warnings),
                )
            out.append(t)
        for kind, tallies in (("marker", s.markers), ("cluster", s.clusters)):
            if by not in (None, kind):
                continue
            t = Table(title=f"By {kind}: how the reviews rated each {kind}", title_justify="left", box=box.SIMPLE_HEAD)
            t.add_column("ID" if kind == "marker" else "Cluster", no_wrap=True)
            t.add_column("Title", min_width=10)
            rating_columns(t)
            t.add_column("Unrated", justify="right", no_wrap=True)
            t.add_column("Mean", justify="right", no_wrap=True)
            for tally in tallies:
                t.add_row(
                    escape(tally.id),
                    escape(tally.title),
                    *[str(tally.score.counts.get(x.id, 0)) for x in scale],
                    str(tally.score.unrated),
                    score_text(tally.score),
                )
            out.append(t)
        if by is None and s.figures:
            t = Table(title="Figures recorded (numbers, not ratings)", title_justify="left", box=box.SIMPLE_HEAD)
            t.add_column("Question", min_width=16)
            for col in ("Reviews", "Mean", "Median", "Min", "Max"):
                t.add_column(col, justify="right", no_wrap=True)
            for f in s.figures:
                unit = f" ({f.figure.unit})" if f.figure.unit else ""
                t.add_row(escape(f.figure.label + unit), str(f.values), *[_number(v if v is None else round(v, 1)) or "-" for v in (f.mean, f.median, f.low, f.high)])
            out.append(t)
        if by is None and s.choices:
            for c in s.choices:
                t = Table(title=escape(c.label), title_justify="left", box=box.SIMPLE_HEAD)
                t.add_column("Choice")
                t.add_column("Reviews", justify="right", no_wrap=True)
                for label, n in c.counts.items():
                    t.add_row(escape(label), str(n))
                t.add_row("[dim]not answered[/dim]", str(c.unanswered))
                out.append(t)
    return out
