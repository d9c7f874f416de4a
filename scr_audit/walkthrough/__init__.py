"""The walkthrough: one sitting of answering a review's questions, saving as it goes.

A lead reviewer answers up to 107 questions over several sittings, so the sitting is built
around never losing what they typed: every confirmed answer, note, rating, rationale and
action is on disk at once, a second sitting on the same file is refused, and an edit made
to the file meanwhile is merged rather than overwritten. It knows nothing of the Quality
Markers themselves: labels, scales, aliases and the name of an item come from the set.

The parts, each small enough to read at once:

- `terminal`: the interface a sitting talks through (ask a line, say a paragraph, page);
- `prompts`: what typed keys mean (the same at every prompt), shortcuts, quoting commands;
- `navigation`: the order of the steps, what is due next, where back goes;
- `questions`, `ratings`, `closing`: a question and its evidence; a marker's rating,
  rationale and actions; the conclusion and the closing summary;
- `session`: what the steps share (the file, saving and what a save says, notes, guidance);
- `sitting`: the loop, and how a sitting ends;
- `store`, `changes`, `targeted`: the file: its lock, merging outside edits, saves that
  change only the text that changes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional

from scr_audit.markers import Marker, MarkerSet
from scr_audit.stages import STAGES
from scr_audit.validation import or_list
from scr_audit.walkthrough.prompts import clean
from scr_audit.walkthrough.sitting import Outcome, Walkthrough
from scr_audit.walkthrough.store import REFUSED_RULES, ReviewStore

if TYPE_CHECKING:
    from scr_audit.walkthrough.terminal import Terminal


def __getattr__(name: str) -> Any:  # Terminal (a Protocol, slow to build) only when asked for
    if name == "Terminal":
        from scr_audit.walkthrough.terminal import Terminal

        return Terminal
    raise AttributeError(name)

__all__ = ["Outcome", "REFUSED_RULES", "ReviewStore", "Terminal", "Walkthrough", "ask_new_review", "select_markers"]


def select_markers(mset: MarkerSet, marker_ids: tuple[str, ...] = (), cluster_ids: tuple[str, ...] = ()) -> list[Marker]:
    """The markers of this sitting, in the set's order: all of them unless some are named."""
    if not marker_ids and not cluster_ids:
        return list(mset.markers)
    wanted = {mset.marker(m).id for m in marker_ids}
    for c in cluster_ids:
        wanted |= {m.id for m in mset.markers_in(mset.cluster(c).id)}
    return [m for m in mset.markers if m.id in wanted]


def ask_new_review(term: "Terminal", default_title: str, title: Optional[str], stage: Optional[str]) -> tuple[str, str]:
    """Title and stage for a new file, asking for whichever was not given."""
    while title is None:
        raw = clean(term.ask(f"Title of the review, its anonymised name (Enter: {default_title}): ", "note")).strip()
        title = raw or default_title
    while stage is None:
        raw = clean(term.ask(f"Stage: {or_list(list(STAGES))} (Enter: end): ")).strip().lower()
        if not raw:
            stage = "end"
        elif raw in STAGES:
            stage = raw
        else:
            matches = [s for s in STAGES if s.startswith(raw)]
            if len(matches) == 1:
                stage = matches[0]
            else:
                term.say(f"{raw!r} is not a stage; type {or_list(list(STAGES))}.", "warn")
    return title, stage
