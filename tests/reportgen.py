"""Serious Case Review final reports built to order, for the scan tests: fictional, in many
layouts, each with the answers scan should find.

A `Spec` says how the report is laid out (styled or unstyled headings, a contents page or
none, how the recommendations are set out, appendices, a glossary, headers and footers,
page breaks or none); `build` writes it as a .docx with python-docx and returns what is
known about it. Pages are known exactly for a .docx whose every page ends in a page break
(`breaks="every-page"`); otherwise the PDF LibreOffice makes of it is the reference, read
by pdftotext, which shares no code with scan.

All names, places, events and dates are invented; people appear only by role.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Optional

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

SENTENCES = [
    "Child H lived with their mother and two older siblings in privately rented accommodation in the north of the borough.",
    "The health visitor completed the new birth visit and recorded that the home was cluttered but warm.",
    "Mother had a history of low mood which had been known to the GP practice since her first pregnancy.",
    "The family moved address three times in eighteen months, and records did not always follow them.",
    "Children's social care received a referral from the school nurse, which was assessed as not meeting the threshold for a statutory assessment.",
    "Practitioners described Mother as warm and engaging in appointments, which shaped how risk was understood.",
    "The review found that information about the mother's partner was held by the police but was not shared with health practitioners.",
    "Missed appointments at the paediatric clinic were not followed up, and no agency held a complete picture of the child's health.",
    "The practitioners' event heard that staff felt unable to challenge decisions made at a more senior level.",
    "An early help assessment was started but not completed when the family moved to a neighbouring authority.",
    "The nursery recorded bruising on two occasions and made a referral on the second, as its procedures required.",
    "The strategy discussion took place by telephone and did not include the health visitor who knew the family best.",
    "Agencies worked hard to engage the family, and some practitioners went well beyond what their role required.",
    "The chronology shows a pattern of concerns that, seen together, indicated a child whose needs were not being met.",
    "Supervision records show that the complexity of the case was recognised but that workload pressures limited reflection.",
    "The review panel considered whether the thresholds document was understood in the same way across agencies.",
    "There was no evidence that the views of the child's father were sought at any point during the period under review.",
    "The lead reviewer met the mother, who contributed her account of the help she had and had not received.",
]
METHOD_SENTENCES = {
    "learning-together": "This review was carried out using the SCIE Learning Together model, a systems approach that looks at why practice happened as it did.",
    "silp": "The review followed the Significant Incident Learning Process (SILP), which brings practitioners together to reflect on the case.",
    "hybrid": "A hybrid approach was used, combining agency reports with a practitioners' learning event.",
    "traditional": "The review used the traditional model: each agency provided an Individual Management Review and a combined chronology was prepared.",
    None: "The panel agreed the terms of reference and the period the review would cover.",
}
EXTRA = [
    "This should include how the views of children are heard in the process.",
    "The findings of this work should be shared with practitioners across the partnership.",
    "Progress should be reported to the partnership's case review subgroup.",
    "The work should draw on the learning from other reviews in the region.",
]
PREDICTED = "The panel concluded that the death of Child H could not have been predicted and could not have been prevented by the agencies involved."


@dataclass
class Rec:
    """One recommendation, and what scan should say of it."""

    text: str
    who: bool  # names who is to act
    when: bool  # gives a timescale


RECS = [
    Rec("The Anytown Safeguarding Children Partnership should review its threshold document with all partner agencies and report progress to the Board within six months.", True, True),
    Rec("The Integrated Care Board should ensure that GP practices record who has parental responsibility for every child registered with them.", True, False),
    Rec("Children's social care should audit strategy discussions held by telephone to check that health practitioners are invited, by March 2027.", True, True),
    Rec("Practitioners should be reminded of the importance of professional curiosity about adults in the household.", False, False),
    Rec("The Board should seek assurance from the police that information about adults in a child's household is shared with health practitioners, reporting back in 12 months.", True, True),
    Rec("The health visiting service should follow up missed appointments at specialist clinics within one month of each missed appointment.", True, True),
    Rec("Learning from this review should be disseminated widely.", False, False),
    Rec("The Partnership should commission multi-agency training on working with fathers and male carers, to be delivered by the end of 2027.", True, True),
    Rec("Schools and nurseries should record and share concerns about bruising in line with the partnership's procedures.", True, False),
    Rec("The local authority should ensure that early help assessments transfer with a family that moves to another area.", True, False),
    Rec("The Board should ask all agencies to report on the use of supervision to reflect on complex cases, quarterly.", True, True),
    Rec("The NHS Trust should audit paediatric clinic records for follow-up of children not brought to appointments.", True, False),
]


@dataclass
class Spec:
    headings: Literal["styled", "bold", "caps", "numbered"] = "styled"
    numbered_headings: bool = True  # "4. Recommendations" rather than "Recommendations"
    contents: Literal["none", "leaders", "field", "plain", "titles", "table"] = "leaders"
    recs: Literal["list", "manual", "recommendation-n", "heading-n", "bullets", "table", "table-plain", "subnumbered", "letters", "plain", "per-finding", "none"] = "list"
    #: The heading the recommendations stand under.
    rec_heading: str = "Recommendations"
    #: Recommendations in two groups under sub-headings ("For the Partnership", "For health agencies").
    rec_groups: bool = False
    #: Each recommendation followed by points under it (sub-bullets, or "a)" lines).
    rec_subpoints: bool = False
    #: A sentence introducing the list ("The review makes the following recommendations:").
    rec_intro: bool = False
    #: Numbered sub-headings ("2.1 ...") inside the findings.
    subheadings: bool = False
    #: Every paragraph numbered within its chapter ("3.4 ..."), as many reports are.
    numbered_paragraphs: bool = False
    #: Sentences added to each recommendation, to make them long enough to run over a page.
    rec_extra: int = 0
    n_recs: int = 7
    #: Also list the recommendations in the executive summary (a second, earlier list).
    recs_in_summary: bool = False
    appendices: Literal["none", "appendix", "annex", "appendices"] = "appendix"
    appendix_paragraphs: int = 12
    glossary: Literal["none", "table", "lines", "appendix"] = "none"
    exec_summary: bool = True
    breaks: Literal["every-page", "sections", "none"] = "sections"
    header_footer: bool = True
    body_paragraphs: int = 30
    method: Optional[str] = "learning-together"
    predicted: bool = False
    personal: bool = False
    redacted: bool = False
    dates: bool = False
    cover: bool = True
    #: Paragraphs of text between the Recommendations heading and the list, to move the
    #: list down the page (so that it runs over a page break); 14 for True.
    split_recs: int = 0
    seed: int = 14
    acronyms_unexplained: tuple[str, ...] = ("MASH", "IRO")


@dataclass
class Built:
    """What is known about a built report."""

    path: Path
    spec: Spec
    recs: list[Rec]
    #: The page each page-broken part starts on, when every page ends in a break.
    pages: Optional[int] = None
    appendix_page: Optional[int] = None
    contents_page: Optional[int] = None
    sections: list[str] = field(default_factory=list)


class _Writer:
    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.doc = Document()
        self.rng = random.Random(spec.seed)
        self.page = 1
        self.number = 0
        self.paragraph_number = 0
        self.sections: list[str] = []
        styles = self.doc.styles
        styles["Normal"].font.size = Pt(11)
        sec = self.doc.sections[0]
        sec.page_height, sec.page_width = Cm(29.7), Cm(21.0)
        sec.left_margin = sec.right_margin = Cm(2.5)
        sec.top_margin = sec.bottom_margin = Cm(2.5)
        if spec.header_footer:
            sec.header.paragraphs[0].text = "OFFICIAL-SENSITIVE    Serious Case Review: Child H"
            fp = sec.footer.paragraphs[0]
            fp.add_run("Page ")
            _field(fp, "PAGE")
            fp.add_run(" of ")
            _field(fp, "NUMPAGES")

    # ----------------------------------------------------------------- pieces
    def page_break(self) -> None:
        self.doc.add_page_break()
        self.page += 1

    def heading(self, text: str, level: int = 1, numbered: Optional[bool] = None) -> str:
        spec = self.spec
        numbered = spec.numbered_headings if numbered is None else numbered
        if numbered and level == 1:
            self.number += 1
            self.paragraph_number = 0
            text = f"{self.number}. {text}"
        if spec.headings == "styled":
            self.doc.add_heading(text, level)
        elif spec.headings == "bold":
            p = self.doc.add_paragraph()
            r = p.add_run(text)
            r.bold = True
            r.font.size = Pt(14 if level == 1 else 12)
            p.paragraph_format.space_before = Pt(12)
        elif spec.headings == "caps":
            self.doc.add_paragraph(text.upper() if level == 1 else text.upper())
        else:  # numbered plain text, no look at all
            self.doc.add_paragraph(text)
        self.sections.append(text)
        return text

    def para(self, text: str) -> None:
        if self.spec.numbered_paragraphs and self.number:
            self.paragraph_number += 1
            text = f"{self.number}.{self.paragraph_number} {text}"
        self.doc.add_paragraph(text)

    def paragraphs(self, n: int, extra: Optional[list[str]] = None) -> None:
        extra = list(extra or [])
        for i in range(n):
            k = self.rng.randint(2, 4)
            sentences = [self.rng.choice(SENTENCES) for _ in range(k)]
            if extra and i % 3 == 1:
                sentences.insert(1, extra.pop(0))
            self.para(" ".join(sentences))
        for s in extra:
            self.para(s)

    def contents(self, entries: list[tuple[str, int]]) -> None:
        spec = self.spec
        if spec.contents == "field":
            self.doc.add_paragraph("Contents")
            p = self.doc.add_paragraph()
            _field(p, 'TOC \\o "1-3" \\h \\z \\u', cached=[f"{t}\t{n}" for t, n in entries])
            return
        self.doc.add_paragraph("Contents")
        if spec.contents == "table":
            t = self.doc.add_table(rows=0, cols=2)
            t.style = "Table Grid"
            for title, page in entries:
                cells = t.add_row().cells
                cells[0].text, cells[1].text = title, str(page)
            return
        for title, page in entries:
            if spec.contents == "titles":  # the headings listed, without page numbers
                self.doc.add_paragraph(title)
            elif spec.contents == "leaders":
                p = self.doc.add_paragraph(f"{title}\t{page}")
                p.paragraph_format.tab_stops.add_tab_stop(Cm(16), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
            else:
                self.doc.add_paragraph(f"{title} {'.' * 8} {page}")

    def recommendations(self, recs: list[Rec]) -> None:
        spec = self.spec
        if spec.rec_intro:
            if spec.numbered_paragraphs:
                self.para("The review has identified learning for every agency involved with the family.")
            else:
                self.doc.add_paragraph("The review makes the following recommendations to the partnership and its agencies:")
        if spec.rec_groups and len(recs) >= 2:
            half = len(recs) // 2
            groups = [("For the Partnership", recs[:half]), ("For health agencies", recs[half:])]
        else:
            groups = [("", recs)]
        counter = 0
        for title, group in groups:
            if title:
                self.heading(title, 2, numbered=False)
            counter = self._rec_list(group, counter)

    def _rec_list(self, recs: list[Rec], counter: int) -> int:
        style = self.spec.recs
        doc = self.doc
        if style in ("table", "table-plain"):
            cols = ("No.", "Recommendation", "Lead agency", "Timescale") if style == "table" else ("Recommendation", "Lead agency", "Timescale")
            t = doc.add_table(rows=1, cols=len(cols))
            t.style = "Table Grid"
            t.alignment = WD_TABLE_ALIGNMENT.CENTER
            for cell, text in zip(t.rows[0].cells, cols):
                cell.text = text
            for r in recs:
                counter += 1
                cells = t.add_row().cells
                values = ([str(counter)] if style == "table" else []) + [r.text, "Partnership" if r.who else "", ""]
                for cell, v in zip(cells, values):
                    cell.text = v
            return counter
        for r in recs:
            counter += 1
            if style == "list":
                doc.add_paragraph(r.text, style="List Number")
            elif style == "manual":
                doc.add_paragraph(f"{counter}. {r.text}")
            elif style == "letters":
                doc.add_paragraph(f"({chr(96 + counter)}) {r.text}")
            elif style == "recommendation-n":
                p = doc.add_paragraph()
                p.add_run(f"Recommendation {counter}: ").bold = True
                p.add_run(r.text)
                doc.add_paragraph("Rationale: " + self.rng.choice(SENTENCES))
            elif style == "heading-n":
                if self.spec.headings == "styled":
                    doc.add_heading(f"Recommendation {counter}", 3)
                else:
                    doc.add_paragraph().add_run(f"Recommendation {counter}").bold = True
                doc.add_paragraph(r.text)
            elif style == "bullets":
                doc.add_paragraph(r.text, style="List Bullet")
            elif style == "plain":
                doc.add_paragraph(r.text)
            elif style == "subnumbered":
                if self.spec.numbered_paragraphs:
                    self.para(r.text)
                else:
                    doc.add_paragraph(f"{self.number}.{counter} {r.text}")
            if self.spec.rec_subpoints:
                for k, point in enumerate(("agree an action plan with named leads", "report progress to the Board")):
                    if style in ("list", "bullets"):
                        doc.add_paragraph(point, style="List Bullet 2")
                    else:
                        p = doc.add_paragraph(f"{chr(97 + k)}) {point}")
                        p.paragraph_format.left_indent = Cm(1.5)
        return counter


def _field(paragraph, code: str, cached: Optional[list[str]] = None) -> None:  # type: ignore[no-untyped-def]
    def char(kind: str):  # type: ignore[no-untyped-def]
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        return el

    r = paragraph.add_run()
    r._r.append(char("begin"))
    r = paragraph.add_run()
    t = OxmlElement("w:instrText")
    t.set(qn("xml:space"), "preserve")
    t.text = code
    r._r.append(t)
    r = paragraph.add_run()
    r._r.append(char("separate"))
    for i, line in enumerate(cached or []):
        r = paragraph.add_run(line)
        if i < len(cached or []) - 1:
            r.add_break()
    r = paragraph.add_run()
    r._r.append(char("end"))


def build(path: Path, spec: Spec = Spec()) -> Built:
    """Write the report `spec` describes to `path` (.docx) and say what is in it."""
    w = _Writer(spec)
    doc = w.doc
    recs = [RECS[i % len(RECS)] for i in range(spec.n_recs)] if spec.recs != "none" else []
    if spec.rec_extra:
        tail = " ".join(EXTRA[: spec.rec_extra])
        recs = [Rec(f"{r.text} {tail}", r.who, r.when) for r in recs]
    every = spec.breaks == "every-page"
    contents_page = None
    sec_break = spec.breaks in ("every-page", "sections")

    if spec.cover:
        doc.add_heading("Serious Case Review: Child H", 0) if spec.headings == "styled" else doc.add_paragraph("SERIOUS CASE REVIEW: CHILD H")
        doc.add_paragraph("Anytown Safeguarding Children Partnership")
        doc.add_paragraph("Lead reviewer: an independent reviewer")
        if spec.dates:
            doc.add_paragraph("Published: 14 May 2027")
        if sec_break:
            w.page_break()
    if spec.contents != "none":
        contents_page = w.page
        entries = [("Executive summary", 3), ("Introduction", 4), ("Findings", 5), ("Recommendations", 8), ("Appendix A: Terms of reference", 10)]
        w.contents(entries)
        if sec_break:
            w.page_break()
    if spec.exec_summary:
        w.heading("Executive summary", numbered=False)
        w.paragraphs(3 if every else 5)
        if spec.recs_in_summary and recs:
            doc.add_paragraph("The review makes the following recommendations:")
            w.recommendations(recs)
        if sec_break:
            w.page_break()
    w.heading("Introduction")
    intro_extra = [METHOD_SENTENCES.get(spec.method, METHOD_SENTENCES[None])]
    if spec.dates:
        intro_extra.append("Child H was admitted to hospital with serious injuries on 3 March 2025.")
        intro_extra.append("The chair of the partnership decided to hold a serious case review on 17 April 2025.")
    if spec.personal:
        intro_extra.append("The family lived at 12 Acacia Avenue, AB1 2DX, and the child's NHS number 943 476 5919 was recorded.")
    if spec.redacted:
        intro_extra.append("A relative, [redacted], told the police that she had concerns.")
    intro_extra.append("Agencies involved included the MASH and the IRO service, alongside the CCG and the GP practice.")
    w.paragraphs(2 if every else 6, intro_extra)
    if every:
        w.page_break()
    w.heading("Findings")
    findings_extra = [PREDICTED] if spec.predicted else []
    if every:
        for part in range(2):
            w.paragraphs(3, findings_extra if part == 0 else None)
            w.page_break()
    elif spec.recs == "per-finding":
        for k, rec in enumerate(recs, 1):
            w.heading(f"Finding {k}", 2, numbered=False)
            w.paragraphs(3, findings_extra if k == 1 else None)
            w.heading("Recommendation", 3 if spec.headings == "styled" else 2, numbered=False)
            doc.add_paragraph(rec.text)
    elif spec.subheadings:
        for k, title in enumerate(("The family and the child", "Working together", "Thresholds")):
            w.heading(f"{w.number}.{k + 1} {title}", 2, numbered=False)
            w.paragraphs(max(2, spec.body_paragraphs // 3), findings_extra if k == 0 else None)
    else:
        w.paragraphs(spec.body_paragraphs, findings_extra)
    if recs and spec.recs != "per-finding":
        w.heading(spec.rec_heading)
        if spec.split_recs and not every:
            w.paragraphs(14 if spec.split_recs is True else int(spec.split_recs))
        w.recommendations(recs)
    if spec.glossary in ("table", "lines"):
        if every:
            w.page_break()
        w.heading("Glossary", numbered=False)
        _glossary(doc, spec.glossary)
    appendix_page = None
    if spec.appendices != "none":
        w.page_break()
        appendix_page = w.page
        if spec.appendices == "appendices":
            w.heading("Appendices", numbered=False)
            w.heading("Appendix A: Terms of reference", 2, numbered=False)
        elif spec.appendices == "annex":
            w.heading("Annex 1: Terms of reference", numbered=False)
        else:
            w.heading("Appendix A: Terms of reference", numbered=False)
        if every:
            w.paragraphs(3)
            w.page_break()
            w.heading("Appendix B: The review panel", numbered=False)
            w.paragraphs(2)
        else:
            w.paragraphs(spec.appendix_paragraphs)
            w.heading("Appendix B: The review panel", numbered=False)
            w.paragraphs(max(2, spec.appendix_paragraphs // 3))
        if spec.glossary == "appendix":
            w.heading("Appendix C: Glossary", numbered=False)
            _glossary(doc, "lines")
    doc.save(str(path))
    return Built(path, spec, recs, pages=w.page if every else None, appendix_page=appendix_page if every else None, contents_page=contents_page, sections=w.sections)


GLOSSARY = [("CCG", "Clinical Commissioning Group"), ("GP", "General Practitioner"), ("SCR", "Serious Case Review"), ("NHS", "National Health Service")]


def _glossary(doc, how: str) -> None:  # type: ignore[no-untyped-def]
    if how == "table":
        t = doc.add_table(rows=0, cols=2)
        t.style = "Table Grid"
        for a, b in GLOSSARY:
            cells = t.add_row().cells
            cells[0].text, cells[1].text = a, b
    else:
        for a, b in GLOSSARY:
            doc.add_paragraph(f"{a} – {b}")
