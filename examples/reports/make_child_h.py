"""Write the example final report, child-h-report.docx (and its PDF, with LibreOffice).

The report is fictional, written for scr-audit: the review, the partnership, the family,
the agencies' involvement and every date are invented, and people appear only by role.
It is laid out as many published reports are: a cover, a contents page, an executive
summary, numbered chapters, recommendations numbered under their own heading with who is
to act and by when (mostly), a glossary and two appendices.

    python examples/reports/make_child_h.py          # writes the .docx, and the PDF if soffice is installed
    scr-audit scan examples/reports/child-h-report.pdf -o child-h-scanned.yaml \\
        --title "Child H" --partnership "Anytown Safeguarding Children Partnership" --assessed-on 2026-11-22
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from docx import Document
from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

HERE = Path(__file__).resolve().parent

SUMMARY = [
    "Child H was fourteen months old when they were admitted to hospital with a fractured skull and bruising to the face and arms. "
    "The injuries were found to be non-accidental. Child H has since recovered and lives with a relative under a special guardianship order.",
    "Anytown Safeguarding Children Partnership decided that the case met the criteria for a serious case review, because abuse was "
    "known or suspected and the child had been seriously harmed, and because there were concerns about how agencies had worked together.",
    "The review found that the professionals who knew the family each held part of the picture: the health visitor knew of the "
    "mother's low mood, the police knew of an adult in the household with a history of violence, and the nursery had recorded bruising. "
    "No one brought these together, and the one meeting that could have done so took place by telephone without the health visitor.",
]

CHAPTERS = [
    ("Introduction", [
        "This report sets out the findings of the serious case review into the circumstances of Child H. It is written for the "
        "partnership, for the practitioners and managers who worked with the family, and for the public.",
        "Child H was admitted to hospital with serious injuries on 3 March 2025. The independent chair of the partnership decided to "
        "hold a serious case review on 17 April 2025, after a rapid review by the case review subgroup.",
        "The review was carried out using the SCIE Learning Together model, a systems approach that looks at why practice happened as "
        "it did rather than only at what happened. The model was chosen because several agencies were involved over a short period, "
        "and because the partnership wanted to understand the conditions in which practitioners made their decisions.",
        "The review looked at the eighteen months before the injuries. A review team of senior managers from each agency worked with "
        "an independent lead reviewer. Practitioners took part in two learning events, and the lead reviewer met the child's mother "
        "and grandmother, whose views are set out in chapter 4.",
    ]),
    ("The family and the help they had", [
        "Child H lived with their mother and an older sibling in privately rented accommodation in the north of the borough. The "
        "mother's partner, who is not the father of either child, moved into the household when Child H was about nine months old.",
        "The health visitor completed the new birth visit and the six to eight week review. She recorded that the mother described low "
        "mood, and the mother was referred to the GP, who prescribed medication and a course of talking therapy that she did not start.",
        "The nursery Child H attended from the age of ten months recorded a bruise to the cheek in December 2024 and a bruise to the "
        "upper arm in January 2025. On the second occasion the nursery made a referral to children's social care, as its procedures required.",
        "The referral was screened by the front door team. A strategy discussion was held by telephone between children's social care "
        "and the police. The health visitor was not invited, and the discussion did not learn of the mother's low mood or of the partner's history.",
        "The partner was known to the police for offences of violence against a previous partner. This was recorded on police systems "
        "but was not shared at the strategy discussion, because the officer taking part did not have access to the domestic abuse records.",
    ]),
    ("Findings", [
        "Finding 1: information that, together, would have shown the risk to Child H was held by three agencies, and the arrangements "
        "for sharing it at the front door depended on who happened to be available on the day.",
        "Finding 2: strategy discussions held by telephone are quicker to arrange, but in this case the speed came at the cost of the "
        "professional who knew the family best. The partnership's procedures allow a telephone discussion but do not say who must be invited.",
        "Finding 3: practitioners described the mother as warm and engaging, and this shaped how the bruising was understood. The "
        "learning events heard that staff felt unable to question an explanation that a parent gave confidently.",
        "Finding 4: the adults in the household were not all known to the professionals working with the children. No agency asked who "
        "else lived in the home after the partner moved in.",
        "Agencies worked hard to engage the family, and several practitioners went beyond what their role required. The nursery in "
        "particular recorded its concerns clearly and acted on them.",
        "The review does not find that any single decision caused the injuries. It finds that the system the practitioners worked in "
        "made it harder for them to see the whole picture, and that this can be changed.",
    ]),
    ("The family's view", [
        "The mother told the lead reviewer that she had felt judged by some professionals and supported by others. She said that the "
        "health visitor was the person she trusted most, and that she did not know a meeting about her children had taken place.",
        "The grandmother said that she had been worried about the partner and had not known who to tell. She would have welcomed being "
        "asked. The review has taken her account into the recommendations on adults in the household.",
    ]),
]

RECOMMENDATIONS = [
    "The Anytown Safeguarding Children Partnership should revise its strategy discussion procedure so that the health visitor or "
    "school nurse who knows the family is always invited, and report the change to the Board within six months.",
    "The police should ensure that officers taking part in strategy discussions can see domestic abuse records for every adult in "
    "the household, by March 2026.",
    "Children's social care should audit a sample of strategy discussions held by telephone, and report the findings to the case "
    "review subgroup within nine months.",
    "The Integrated Care Board should ensure that health visitors and GP practices record every adult living in a child's household.",
    "The Partnership should commission multi-agency training on professional curiosity, including how to question a parent's "
    "explanation of an injury, to be delivered by the end of 2026.",
    "Practitioners should be reminded to ask who else lives in the home when a household changes.",
    "The Board should seek assurance from all partner agencies, quarterly, that the learning from this review has been shared with "
    "front-line staff.",
]

GLOSSARY = [
    ("GP", "General Practitioner"),
    ("ICB", "Integrated Care Board"),
    ("SCIE", "Social Care Institute for Excellence"),
    ("SCR", "Serious Case Review"),
]

APPENDICES = [
    ("Appendix A: Terms of reference", [
        "The review was asked to consider how agencies identified and responded to the risks to Child H in the eighteen months before "
        "the injuries; how information was shared between agencies; how the views of the family were sought; and what the partnership "
        "can learn about its arrangements for strategy discussions.",
        "The review was not asked to establish how the injuries were caused, which is a matter for the criminal justice process.",
    ]),
    ("Appendix B: The review team and the lead reviewer", [
        "The review team was made up of senior managers from children's social care, the police, the health visiting service, the "
        "Integrated Care Board and early years education. The lead reviewer is independent of all the agencies involved and has "
        "completed the SCIE Learning Together training.",
        "The review team met six times between May and October 2025. Two learning events were held with practitioners.",
    ]),
]


def _field(paragraph, code: str) -> None:  # type: ignore[no-untyped-def]
    for kind, text in (("begin", None), (None, code), ("end", None)):
        run = paragraph.add_run()
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)


def build(path: Path) -> None:
    doc = Document()
    doc.styles["Normal"].font.size = Pt(11)
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = Cm(2.5)
    section.header.paragraphs[0].text = "OFFICIAL    Serious Case Review: Child H"
    footer = section.footer.paragraphs[0]
    footer.add_run("Page ")
    _field(footer, "PAGE")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES")

    doc.add_heading("Serious Case Review: Child H", 0)
    doc.add_paragraph("Anytown Safeguarding Children Partnership")
    doc.add_paragraph("Independent lead reviewer: a reviewer independent of the agencies involved")
    doc.add_paragraph("Published: 14 May 2026")
    doc.add_page_break()

    doc.add_paragraph("Contents")
    for title, page in (("Executive summary", 3), ("1. Introduction", 4), ("2. The family and the help they had", 4), ("3. Findings", 5),
                        ("4. The family's view", 6), ("5. Recommendations", 6), ("Glossary", 7), ("Appendix A: Terms of reference", 8),
                        ("Appendix B: The review team and the lead reviewer", 8)):
        p = doc.add_paragraph(f"{title}\t{page}")
        p.paragraph_format.tab_stops.add_tab_stop(Cm(16), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
    doc.add_page_break()

    doc.add_heading("Executive summary", 1)
    for text in SUMMARY:
        doc.add_paragraph(text)
    doc.add_page_break()

    for n, (title, paragraphs) in enumerate(CHAPTERS, 1):
        doc.add_heading(f"{n}. {title}", 1)
        for text in paragraphs:
            doc.add_paragraph(text)
    doc.add_heading(f"{len(CHAPTERS) + 1}. Recommendations", 1)
    doc.add_paragraph("The review makes the following recommendations to the partnership and its agencies:")
    for text in RECOMMENDATIONS:
        doc.add_paragraph(text, style="List Number")
    doc.add_page_break()

    doc.add_heading("Glossary", 1)
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for term, meaning in GLOSSARY:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = term, meaning
    doc.add_page_break()

    for title, paragraphs in APPENDICES:
        doc.add_heading(title, 1)
        for text in paragraphs:
            doc.add_paragraph(text)
    doc.core_properties.title = "Serious Case Review: Child H"
    doc.core_properties.author = "Anytown Safeguarding Children Partnership"
    doc.save(str(path))


def main() -> None:
    docx_path = HERE / "child-h-report.docx"
    build(docx_path)
    print(f"wrote {docx_path}")
    soffice = shutil.which("soffice")
    if soffice is None:
        print("LibreOffice (soffice) is not installed: the PDF was not made", file=sys.stderr)
        return
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([soffice, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless", "--convert-to", "pdf", "--outdir", str(HERE), str(docx_path)],
                       check=True, capture_output=True, timeout=300)
    print(f"wrote {HERE / 'child-h-report.pdf'}")


if __name__ == "__main__":
    main()
