"""What a report shows of itself, as suggested answers to the report-quality template.

A third of the template's questions are facts a program can find and cite: the length,
the appendices, the contents page, the recommendations and who they are for, the review
method, dates, personal data left in, redaction marks. `scan` finds each one in the
report read by `documents`, cites the page and quotes the text it relied on, and turns
it into a `Suggestion`: an answer (or, where the question is a judgement, only evidence)
for one question of the set. Suggestions are written into a review file marked
`suggested-by: scan` (`suggestions`), and stay suggestions until an assessor confirms them.

Which fact answers which question is declared once, in `TARGETS`; a set adapted from the
template that lacks a question, or asks it differently, simply gets no suggestion for it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Optional

from scr_audit import personal_data
from scr_audit.documents.model import Block, Document
from scr_audit.markers import MarkerSet, Question
from scr_audit.scanning import language, recommendations, statements
from scr_audit.scanning.sections import Found, Parts

SUGGESTED_BY = "scan"
SET_ID = "scr-report-quality"


@dataclass(frozen=True)
class Target:
    """The question a fact answers: its marker, number and the type it must have."""

    marker: str
    question: int
    types: tuple[str, ...]


#: Which question each fact is written to, and the question types it fits.
TARGETS: dict[str, Target] = {
    "method": Target("RQ1", 1, ("choice",)),
    "incident": Target("RQ1", 2, ("date",)),
    "decision": Target("RQ1", 3, ("date",)),
    "published": Target("RQ1", 4, ("date",)),
    "contents": Target("RQ2", 1, ("scale",)),
    "pages": Target("RQ2", 2, ("number",)),
    "appendices": Target("RQ2", 3, ("number",)),
    "plain-english": Target("RQ2", 4, ("scale", "text")),
    "method-explained": Target("RQ3", 1, ("scale", "text")),
    "anonymised": Target("RQ7", 1, ("scale",)),
    "redacted": Target("RQ7", 2, ("scale",)),
    "recommendations": Target("RQ8", 1, ("number",)),
    "addressed": Target("RQ8", 2, ("scale",)),
    "structure": Target("RQ9", 1, ("scale", "text")),
    "flaws": Target("RQ9", 5, ("scale", "text")),
}

#: What chapter 9 of the triennial analysis says of such conclusions, quoted exactly.
PREDICTED_NOTE = (
    "The triennial analysis (Sidebotham et al., 2016, chapter 9) found that \"the majority of the 40 reports "
    "indicated specifically that the child's death or harm could not have been predicted or prevented\" and that "
    "\"Nowhere does Working Together require serious case reviews to show that the child's death or harm could "
    "have been predicted or prevented\"."
)


@dataclass
class Suggestion:
    """One question's suggested answer (None: evidence only) and the evidence for it."""

    key: str  # the fact (a TARGETS key)
    marker: str
    question: int
    answer: Any
    evidence: str
    #: One line for the terminal: what was found, with its page.
    summary: str


@dataclass
class ScanResult:
    document: Document
    suggestions: list[Suggestion] = field(default_factory=list)

    @property
    def answers(self) -> list[Suggestion]:
        return [s for s in self.suggestions if s.answer is not None]

    @property
    def notes(self) -> list[Suggestion]:
        return [s for s in self.suggestions if s.answer is None]


# ------------------------------------------------------------------------- citing


def quote(text: str, limit: int = 90) -> str:
    """Text from the report as a short quotation: one line, identifiers replaced, cut at a word."""
    one = re.sub(r"\s+", " ", text).strip()
    one, _ = personal_data.redact(one)
    one = one.replace('"', "'")
    if len(one) > limit:
        cut = one[:limit].rsplit(" ", 1)[0]
        one = (cut if len(cut) > limit // 2 else one[:limit]).rstrip(" ,;:") + "..."
    return one


def page_ref(first: int, last: Optional[int] = None) -> str:
    if last is None or last == first:
        return f"p. {first}"
    return f"pp. {first}-{last}"


def cite(b: Block, limit: int = 90) -> str:
    """`p. 38: "9. RECOMMENDATIONS"`: the page and the words relied on."""
    return f'{page_ref(b.page, b.end_page)}: "{quote(b.full_text, limit)}"'


def _all_pages(doc: Document) -> str:
    return page_ref(1, doc.pages)


# --------------------------------------------------------------------------- scan


def scan(doc: Document, mset: MarkerSet) -> ScanResult:
    """Every fact scan can find in `doc`, as suggestions for the questions of `mset`."""
    parts = Parts(doc)
    result = ScanResult(doc)
    note = doc.basis_note()
    body = [(b.page, b.full_text) for i, b in enumerate(doc.blocks) if i not in parts.in_contents and not b.toc_entry]
    sents = statements.sentences((p, t) for p, t in body)
    appendix = parts.appendices()
    appendix_index = appendix[0].index if appendix else len(doc.blocks)
    summary = parts.summary()
    glossary = parts.glossary()

    found: dict[str, tuple[Any, str, str]] = {}  # key -> (answer, evidence, summary line)

    # length and appendices (RQ2 q2, q3)
    if doc.pages_exact:
        found["pages"] = (doc.pages, f"The report has {doc.pages} pages ({page_ref(1, doc.pages)}).", f"{doc.pages} pages")
    else:
        found["pages"] = (doc.pages, f"About {doc.pages} pages ({page_ref(1, doc.pages)}){note}.", f"about {doc.pages} pages (a .docx: approximate)")
    if appendix is None:
        found["appendices"] = (0, f'No appendix heading ("Appendix", "Annex", "Appendices") found in {_all_pages(doc)}{note}.', "no appendices")
    else:
        first, last_page, ender = appendix
        n = last_page - first.page + 1
        tail = "the end of the report" if ender is None else f'{cite(ender.block, 50)} follows them'
        found["appendices"] = (
            n,
            f"{cite(first.block, 60)} is the first appendix; the appendices run to p. {last_page} ({tail}): {n} page{'s' if n != 1 else ''}{note}.",
            f"{n} page{'s' if n != 1 else ''} of appendices from {cite(first.block, 40)}",
        )

    # contents, executive summary, glossary (RQ2 q1)
    extras = []
    extras.append(f"Executive summary: {cite(summary.block, 50)}." if summary else "No executive summary heading found.")
    gloss_terms: set[str] = set()
    if glossary:
        gloss_terms = _glossary_terms(parts, glossary)
        extras.append(f"Glossary: {cite(glossary.block, 50)}" + (f" ({len(gloss_terms)} terms)." if gloss_terms else "."))
    else:
        extras.append("No glossary found.")
    contents = parts.contents
    if contents is not None:
        start, end = parts.contents_span
        listed = [b for b in doc.blocks[start : end + 1] if b.toc_entry]
        numbered = sum(1 for b in listed if re.search(r"(?:\d{1,4}|\b[ivxlc]{1,7})\s*$", b.text, re.IGNORECASE))
        if not listed:
            what = " (a table of contents field: Word fills in its entries when the file is opened)"
        else:
            what = f", {len(listed)} entries" + (" with page numbers" if numbered * 2 >= len(listed) else ", without page numbers")
        found["contents"] = ("yes", f"Contents page: {cite(contents.block, 40)}{what}{note}. Whether its headings are clear is for the assessor. " + " ".join(extras), f"contents page {cite(contents.block, 30)}")
    else:
        found["contents"] = ("no", f"No contents page: no page in {_all_pages(doc)} is headed Contents or lists the headings with page numbers. " + " ".join(extras), "no contents page")

    # plain English (RQ2 q4): evidence only
    main_texts = [b.text for i, b in enumerate(doc.blocks) if i < appendix_index and i not in parts.in_contents and b.kind in ("para", "item") and not b.toc_entry]
    main_pages = [b.page for i, b in enumerate(doc.blocks) if i < appendix_index and b.kind in ("para", "item") and not b.toc_entry]
    read = language.readability(main_texts)
    unexplained, explained = language.acronyms(((p, t) for p, t in body), gloss_terms)
    lines = []
    if read is not None:
        span = page_ref(min(main_pages), max(main_pages)) if main_pages else _all_pages(doc)
        lines.append(
            f"Flesch Reading Ease {read.score:g} ({read.band}; 60 to 70 is plain English for most adults) over {read.words:,} words of running text, {span}, "
            f"{read.words_per_sentence:.0f} words a sentence."
        )
    if unexplained:
        shown = ", ".join(f"{a.text} (p. {a.page})" for a in unexplained[:15]) + (f" and {len(unexplained) - 15} more" if len(unexplained) > 15 else "")
        lines.append(f"Acronyms used that neither a glossary nor the text explains: {shown}.")
    elif explained:
        lines.append("Every acronym used is explained in a glossary or in the text.")
    if glossary:
        lines.append(f"Glossary: {cite(glossary.block, 40)}.")
    if lines:
        summary_line = (f"reading ease {read.score:g} ({read.band})" if read else "too little running text to score") + (f"; {len(unexplained)} acronyms unexplained" if unexplained else "")
        found["plain-english"] = (None, " ".join(lines) + " Whether it is plain English is for the assessor.", summary_line)

    # the review method (RQ1 q1, RQ3 q1)
    options = _choice_options(mset, TARGETS["method"])
    meth = statements.method(sents, options)
    if meth is not None:
        named = _method_sentences(meth)
        if meth.choice is not None:
            label = _option_label(mset, TARGETS["method"], meth.choice)
            found["method"] = (meth.choice, f"The report names its method: {named}.", f"{meth.choice} ({label}) {_first_cite(meth)}")
        found["method-explained"] = (None, f"The review method named: {named}. Whether the report explains the choice, and why it is proportionate to the case, is for the assessor.", f"method named {_first_cite(meth)}")
    else:
        found["method-explained"] = (None, f"No review method (Learning Together, SILP, a systems, hybrid or traditional model) is named in {_all_pages(doc)}.", "no review method named")

    # dates (RQ1 q2-4)
    stated = statements.dates(sents)
    for kind in ("incident", "decision", "published"):
        sd = stated.get(kind)
        if sd is None:
            continue
        if sd.value is not None:
            d, s = sd.sentences[0]
            found[kind] = (sd.value, f'{page_ref(s.page)}: "{quote(s.text, 110)}"{note}', f"{sd.value.isoformat()} {page_ref(s.page)}")
        else:
            several = "; ".join(f"{d.isoformat()} ({page_ref(s.page)})" for d, s in sd.sentences[:5])
            found[kind] = (None, f"The report gives more than one date for this: {several}; not answered.", "several dates: not answered")

    # personal data and redaction (RQ7 q1, q2)
    ids = statements.identifiers(body)
    if ids:
        by_kind: dict[str, list[int]] = {}
        for ident in ids:
            by_kind.setdefault(ident.kind, [])
            if ident.page not in by_kind[ident.kind]:
                by_kind[ident.kind].append(ident.page)
        listed = "; ".join(f"{personal_data.KINDS.get(k, k)} on {_pages_list(p)}" for k, p in by_kind.items())
        found["anonymised"] = (None, f"The personal-data check found what looks like {listed} (not copied here). Names cannot be checked by a program.", f"{len(ids)} possible identifiers ({listed})")
    else:
        found["anonymised"] = (
            None,
            f"The personal-data check (NHS numbers, postcodes, National Insurance numbers, dates of birth, e-mail addresses, phone numbers) found nothing in {_all_pages(doc)}. Names cannot be checked by a program.",
            "no personal identifiers found",
        )
    marks = statements.redactions(body)
    if marks:
        counts: dict[str, list[int]] = {}
        for m in marks:
            counts.setdefault(quote(m.text, 20), []).append(m.page)
        listed = "; ".join(f'"{t}" on {_pages_list(sorted(set(p)))}' + (f" ({len(p)} times)" if len(p) > 1 else "") for t, p in counts.items())
        found["redacted"] = ("yes", f"Redaction marks: {listed}.", f"{len(marks)} redaction marks ({_pages_list(sorted({m.page for m in marks}))})")
    else:
        found["redacted"] = (None, f'No redaction marks ("[redacted]", runs of X or of black squares) found in {_all_pages(doc)}; text removed without a mark cannot be seen.', "no redaction marks")

    # recommendations (RQ8 q1, q2)
    recs = recommendations.find(parts)
    if recs is None:
        found["recommendations"] = (0, f'No Recommendations heading, "Recommendation N" paragraph or recommendations table found in {_all_pages(doc)}{note}.', "no recommendations found")
    else:
        found.update(_recommendation_facts(recs, note))

    # structure and defensive conclusions (RQ9 q1, q5)
    heads = [b for i, b in enumerate(doc.blocks) if b.kind == "heading" and i not in parts.in_contents and (b.level or 9) <= _top_levels(doc)]
    if heads:
        listed = "; ".join(f"{page_ref(b.page)} {quote(b.full_text, 50)}" for b in heads[:25]) + (f"; and {len(heads) - 25} more" if len(heads) > 25 else "")
        found["structure"] = (None, f"Main headings: {listed}.{(' Executive summary: ' + cite(summary.block, 40) + '.') if summary else ' No executive summary.'}", f"{len(heads)} main headings")
    said = statements.predicted(sents)
    if said:
        listed = "; ".join(f'{page_ref(s.page)}: "{quote(s.text, 160)}"' for s in said[:5])
        found["flaws"] = (None, f"The report concludes the death or harm could not have been predicted or prevented: {listed}. {PREDICTED_NOTE}", f"'could not have been predicted/prevented' {page_ref(said[0].page)}")

    result.suggestions = _fit(mset, found)
    return result


def _recommendation_facts(recs: recommendations.Found_, note: str) -> dict[str, tuple[Any, str, str]]:
    items = recs.items
    where = f"under {cite(recs.heading, 50)}" if recs.heading is not None else "in the report"
    lines = [f"{len(items)} recommendation{'s' if len(items) != 1 else ''} {where} ({recs.how}){note}:"]
    for r in items:
        who = f"who: {quote(r.who, 40)}" if r.who else "names no one to act"
        when = f"timescale: {quote(r.when, 30)}" if r.when else "no timescale"
        lines.append(f"{r.number}. {page_ref(r.page, r.end_page)}: \"{quote(r.text, 100)}\" ({who}; {when})")
    if recs.others:
        other = "; ".join(f"{page_ref(b.page)} \"{quote(b.full_text, 40)}\" ({n})" for b, n in recs.others)
        lines.append(f"Also listed: {other}; not counted again.")
    out: dict[str, tuple[Any, str, str]] = {
        "recommendations": (len(items), "\n".join(lines), f"{len(items)} {where} ({recs.how})"),
    }
    if items:
        named = [r for r in items if r.who]
        timed = [r for r in items if r.when]
        answer = "yes" if len(named) == len(items) else "no" if not named else "partly"
        nums = lambda rs: ", ".join(str(r.number) for r in rs)  # noqa: E731
        who_line = f"{len(named)} of {len(items)} name who is to act" + (f" ({nums(named)})" if named and len(named) < len(items) else "")
        missing = [r for r in items if not r.who]
        if missing:
            who_line += f"; {nums(missing)} do{'es' if len(missing) == 1 else ''} not"
        pages = page_ref(min(r.page for r in items), max((r.end_page or r.page) for r in items))
        out["addressed"] = (
            answer,
            f"{who_line}; {len(timed)} of {len(items)} give a timescale ({pages}{note}). Whether they are clear and specific is for the assessor.",
            f"{len(named)} of {len(items)} name who acts; {len(timed)} give a timescale",
        )
    return out


def _fit(mset: MarkerSet, found: dict[str, tuple[Any, str, str]]) -> list[Suggestion]:
    """The facts as suggestions for the questions the set has, in the set's order."""
    out: list[Suggestion] = []
    for key, target in TARGETS.items():
        if key not in found:
            continue
        q = _question(mset, target)
        if q is None:
            continue
        answer, evidence, summary = found[key]
        if answer is not None and not _fits(mset, q, answer):
            answer = None
        out.append(Suggestion(key, _marker_id(mset, target), target.question, answer, evidence, summary))
    order = {(m.id, q.number): i for i, (m, q) in enumerate((m, q) for m in mset.markers for q in m.questions)}
    out.sort(key=lambda s: order.get((s.marker, s.question), 10**6))
    return out


def _marker_id(mset: MarkerSet, target: Target) -> str:
    m = mset.find_marker(target.marker)
    return m.id if m is not None else target.marker


def _question(mset: MarkerSet, target: Target) -> Optional[Question]:
    m = mset.find_marker(target.marker)
    if m is None:
        return None
    q = m.question(target.question)
    if q is None or q.type not in target.types:
        return None
    return q


def _fits(mset: MarkerSet, q: Question, answer: Any) -> bool:
    from scr_audit.checks import typed_answer_problem

    if q.type == "scale":
        return mset.answer(answer) is not None
    return typed_answer_problem(q, answer) is None


def _choice_options(mset: MarkerSet, target: Target) -> list[str]:
    q = _question(mset, target)
    return [o.id for o in (q.options or ())] if q is not None else []


def _option_label(mset: MarkerSet, target: Target, option: str) -> str:
    q = _question(mset, target)
    opt = q.option(option) if q is not None else None
    return opt.label if opt is not None else option


def _method_sentences(meth: statements.Method) -> str:
    seen: list[str] = []
    out = []
    for _, s in meth.found:
        if s.text in seen:
            continue
        seen.append(s.text)
        out.append(f'{page_ref(s.page)}: "{quote(s.text, 120)}"')
        if len(out) == 3:
            break
    return "; ".join(out)


def _first_cite(meth: statements.Method) -> str:
    return page_ref(meth.found[0][1].page)


def _pages_list(pages: list[int]) -> str:
    pages = sorted(set(pages))
    if len(pages) == 1:
        return f"p. {pages[0]}"
    shown = ", ".join(str(p) for p in pages[:10]) + (" and more" if len(pages) > 10 else "")
    return f"pp. {shown}"


def _top_levels(doc: Document) -> int:
    levels = sorted({b.level for b in doc.blocks if b.kind == "heading" and b.level is not None})
    if not levels:
        return 0
    # the two strongest levels below a title
    real = [lv for lv in levels if lv > 0]
    return real[1] if len(real) > 1 else (real[0] if real else 0)


def _glossary_terms(parts: Parts, glossary: Found) -> set[str]:
    first, last = parts.extent(glossary)
    terms: set[str] = set()
    for b in parts.blocks[first : last + 1][:400]:
        if b.kind == "row" and b.cells:
            term = b.cells[0].strip()
            if 1 < len(term) <= 12:
                terms.add(term.upper())
            continue
        m = re.match(r"^\s*([A-Za-z][A-Za-z0-9&/]{1,11})\s*(?:[-–—:=]|\t|\s{2,})\s*\S", b.full_text)
        if m:
            terms.add(m.group(1).upper())
    return terms


__all__ = ["scan", "ScanResult", "Suggestion", "TARGETS", "SUGGESTED_BY", "SET_ID", "quote", "cite"]
