"""Output formats for `compare`: small functions over the one `moderation.Comparison`.

Text is for the panel at the terminal: the marker-by-assessor table, the agreement
figures with what they left out, then every point to settle with each assessor's words.
JSON is for programs and is stable: keys are only ever added.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Callable

from scr_audit import __version__, jsontext
from scr_audit.agreement import BANDS_SOURCE, HIGH_CHANCE, band, shown
from scr_audit.moderation import AGREED, DIFFER, OPEN, PARTIAL, AgreementSummary, Comparison, Measure, Point, Position
from scr_audit.termtext import markup, visible
from scr_audit.validation import plural

Styler = Callable[..., str]
HIGH_CHANCE_NOTE = (
    "Nearly every value given was the same one, so chance alone would agree this often: a single "
    "difference moves this kappa a long way, and the percentage says more."
)
#: Items listed by name in a "left out" line before the rest are counted.
LIST_LIMIT = 8


def _plain(text: str, **_: Any) -> str:
    return text


def items_text(items: list[str]) -> str:
    if len(items) <= LIST_LIMIT:
        return ", ".join(items)
    return ", ".join(items[:LIST_LIMIT]) + f" and {len(items) - LIST_LIMIT} more"


def figure(measure: Measure, noun: str) -> str:
    """One measure as a sentence: the value and how to read it, or why there is none."""
    s = measure.stat
    if s.value is None:
        return f"{measure.name}: not computed: {s.reason}."
    if measure.key == "percent-agreement":
        agreed = round(s.value * s.items)
        return f"{measure.name}: {100 * s.value:.1f}% (the same on {agreed} of {plural(s.items, noun)})."
    chance = f"; observed agreement {share(s.observed)}, expected by chance {share(s.expected)}" if s.expected is not None else ""
    return f"{measure.name}: {shown(s.value)}, {band(s.value)} agreement, over {plural(s.items, noun)}{chance}."


def share(value: float | None) -> str:
    """A proportion to two decimals, or three where two would round a near miss up to 1.00."""
    if value is None:
        return "-"
    return f"{value:.3f}" if 0.995 <= value < 1 else f"{value:.2f}"


def high_chance(summary: AgreementSummary) -> bool:
    return any(m.stat.computed and m.stat.expected is not None and m.stat.expected >= HIGH_CHANCE for m in summary.measures)


def left_out_text(left_out: dict[str, list[str]]) -> str:
    return "; ".join(f"{items_text(items)} ({reason})" for reason, items in left_out.items())


def summary_lines(summary: AgreementSummary, verb: str) -> list[str]:
    noun = summary.noun
    head = summary.measures[0]
    lines = [f"Agreement on {summary.subject} ({plural(summary.total, noun)})"]
    compared = head.stat.items
    line = f"  Compared: {compared} of {plural(summary.total, noun)} {verb} by every assessor."
    if head.left_out:
        line += f" Left out: {left_out_text(head.left_out)}."
    lines.append(line)
    for m in summary.measures:
        lines.append("  " + figure(m, noun))
        extra = {r: items for r, items in m.left_out.items() if r not in head.left_out}
        if extra:
            lines.append(f"    Also left out of this figure: {left_out_text(extra)}.")
    if high_chance(summary):
        lines.append(f"  Note: {HIGH_CHANCE_NOTE}")
    return [visible(line) for line in lines]  # ids and the set's own words for its items


def _said(p: Position, missing_word: str) -> str:
    note = f" — {visible(p.note)}" if p.note else ""
    if not p.given:
        return f"{visible(p.assessor)}: {missing_word}" + note
    return f"{visible(p.assessor)}: {visible(p.label)}" + note


def _status_words(point: Point) -> str:
    if point.status == DIFFER:
        return "the assessors differ"
    return f"not {'rated' if point.question is None else 'answered'} by {visible(', '.join(point.missing))}"


def table(comp: Comparison) -> Any:
    """The marker-by-assessor table of ratings, disagreements marked."""
    from rich.table import Table

    escape = markup  # control characters visible, rich markup escaped
    item = comp.mset.header.item_name
    t = Table(title=f"Ratings by {escape(item)}", title_justify="left")
    t.add_column(escape(item) if len(item) <= 8 else "Marker", no_wrap=True)
    t.add_column("Title", overflow="fold", ratio=2)
    for name in comp.names:
        t.add_column(escape(name), overflow="fold", ratio=1)
    t.add_column("Agreement", overflow="fold", ratio=1)
    for mc in comp.markers:
        if not mc.marker.rated:
            continue
        status = mc.rating.status
        if status == DIFFER:
            mark = "[bold red]DIFFERS[/bold red]"
        elif status == PARTIAL:
            mark = f"[yellow]not rated by {escape(', '.join(mc.rating.missing))}[/yellow]"
        elif status == OPEN:
            mark = "[dim]not rated[/dim]"
        else:
            mark = "agreed"
        cells = [escape(p.label) if p.given else "[dim]-[/dim]" for p in mc.rating.positions]
        t.add_row(escape(mc.marker.id), escape(mc.marker.title), *cells, mark)
    return t


def text_report(comp: Comparison, style: Styler = _plain, *, merging: bool = False) -> list[Any]:
    """The text format, as lines and one rich table (the caller prints each in turn)."""
    mset = comp.mset
    item = visible(mset.header.item_name)
    out: list[Any] = [
        style(
            f"Moderation of \"{visible(comp.title)}\": {len(comp.assessments)} assessments against "
            f"{visible(mset.title)} (version {visible(mset.version)})",
            bold=True,
        )
    ]
    width = max(len(visible(n)) for n in comp.names)
    out += [f"  {visible(a.name).ljust(width)}  {visible(a.path)}" for a in comp.assessments]
    out += ["", table(comp), ""]
    out += summary_lines(comp.ratings, "rated")
    out.append("")
    out += summary_lines(comp.answers, "answered")
    out.append(f"  (Kappa: 1 is complete agreement, 0 no better than chance, below 0 worse; the words are from {BANDS_SOURCE}.)")

    settle = [mc for mc in comp.markers if mc.to_settle]
    if settle:
        out += ["", style("Points to settle", bold=True)]
    for mc in settle:
        out.append(style(visible(f"{mc.marker.id} {mc.marker.title} ({mc.cluster.title})"), bold=True))
        if mc.rating.status in (DIFFER, PARTIAL):
            out.append(f"  Rating: {_status_words(mc.rating)}")
            out += [f"    {_said(p, 'not rated')}" for p in mc.rating.positions]
        for point in mc.answers_to_settle:
            q = point.question
            assert q is not None
            out.append(f"  Question {q.number}: {visible(q.text)} ({_status_words(point)})")
            out += [f"    {_said(p, 'not answered')}" for p in point.positions]

    differing = [d for d in comp.details if d.status == DIFFER]
    if differing:
        out += ["", style("Review details that differ", bold=True)]
        for d in differing:
            out.append(f"  {visible(d.name)}: " + "; ".join(f"{visible(p.assessor)}: {visible(p.label)}" for p in d.positions))

    out.append("")
    total = len(comp.markers)
    differ = [visible(mc.marker.id) for mc in comp.ratings_with(DIFFER)]
    partial = [visible(mc.marker.id) for mc in comp.ratings_with(PARTIAL)]
    if differ:
        out.append(style(f"Ratings differ on {len(differ)} of {plural(total, item)}: {', '.join(differ)}.", bold=True))
    elif comp.agree_on_every_rating:
        rated = len(comp.ratings_with(AGREED))
        out.append(style(f"The assessors gave the same rating to every {item} rated by any of them ({rated} of {total}).", bold=True))
    if partial:
        out.append(f"Rated by only some assessors: {', '.join(partial)}.")
    answers_differ = comp.answers_with(DIFFER)
    answers_partial = comp.answers_with(PARTIAL)
    in_markers = len({p.marker.id for p in answers_differ})
    out.append(
        f"Answers differ on {plural(len(answers_differ), 'question')}"
        + (f" (in {plural(in_markers, item)})" if answers_differ else "")
        + f"; {plural(len(answers_partial), 'question')} answered by only some assessors."
    )
    if (differ or partial or answers_differ or answers_partial) and not merging:
        out.append("With --merge OUT.yaml, compare writes a review file with what is agreed filled in and each of these left open for the panel.")
    return out


# -------------------------------------------------------------------------------- JSON


def _value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _position(p: Position) -> dict[str, Any]:
    return {"assessor": p.assessor, "given": p.given, "value": _value(p.value), "label": p.label, "note": p.note}


def _stat(m: Measure) -> dict[str, Any]:
    s = m.stat
    out: dict[str, Any] = {
        "name": m.name,
        "value": None if s.value is None else round(s.value, 4),
        "items": s.items,
        "observed": None if s.observed is None else round(s.observed, 4),
        "expected": None if s.expected is None else round(s.expected, 4),
        "reason": s.reason,
        "left-out": m.left_out,
    }
    if m.key == "percent-agreement":
        out["percent"] = None if s.value is None else round(100 * s.value, 2)
    elif s.value is not None:
        out["band"] = band(s.value)
    return out


def _summary(summary: AgreementSummary) -> dict[str, Any]:
    return {"items": summary.total, **{m.key: _stat(m) for m in summary.measures}}


def _point(p: Point) -> dict[str, Any]:
    return {"status": p.status, "positions": [_position(x) for x in p.positions]}


#: The version of the JSON `compare --format json` writes (docs/schemas/compare.schema.json).
#: Raised only when a key changes meaning or goes; new keys keep the number.
COMPARE_JSON_FORMAT = 1


def json_report(comp: Comparison) -> str:
    mset = comp.mset
    doc = {
        "tool": "scr-audit",
        "version": __version__,
        "format": COMPARE_JSON_FORMAT,
        "marker-set": {"id": mset.id, "title": mset.title, "version": mset.version},
        "title": comp.title,
        "assessors": [{"name": a.name, "file": a.path, "assessors": list(a.review.review.assessors)} for a in comp.assessments],
        "warnings": list(comp.warnings),
        "agree-on-every-rating": comp.agree_on_every_rating,
        "ratings-differ": [mc.marker.id for mc in comp.ratings_with(DIFFER)],
        "ratings-partial": [mc.marker.id for mc in comp.ratings_with(PARTIAL)],
        "answers-differ": [p.item for p in comp.answers_with(DIFFER)],
        "answers-partial": [p.item for p in comp.answers_with(PARTIAL)],
        "agreement": {"ratings": _summary(comp.ratings), "answers": _summary(comp.answers)},
        "markers": [
            {
                "id": mc.marker.id,
                "title": mc.marker.title,
                "cluster": mc.cluster.id,
                "rating": _point(mc.rating) if mc.marker.rated else None,
                "answers": [
                    {"question": p.question.number if p.question else None, "type": p.question.type if p.question else None, **_point(p)}
                    for p in mc.answers
                ],
                "actions": [
                    {
                        "action": a.action,
                        "owner": a.owner,
                        "due": _value(a.due),
                        "status": a.status,
                        "proposed-by": list(names),
                    }
                    for a, names in mc.actions
                ],
            }
            for mc in comp.markers
        ],
        "details": [{"field": d.name, "status": d.status, "positions": [_position(p) for p in d.positions]} for d in comp.details],
    }
    return jsontext.dumps(doc)
