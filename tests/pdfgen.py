"""Reports written straight to PDF with reportlab, as a second producer beside LibreOffice.

A PDF made this way has no bookmarks, fonts of its own (Helvetica), running headers and
page numbers drawn on every page, and headings known only by their look, so scan's
reading of a PDF is tested on more than one program's output. Fictional, like `reportgen`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from reportgen import RECS, SENTENCES


@dataclass
class PdfSpec:
    recs: Literal["numbered", "table", "recommendation-n", "bullets"] = "numbered"
    n_recs: int = 7
    contents: bool = True
    appendix: Literal["Appendix A: Terms of reference", "Annex 1: Terms of reference", "Appendices"] = "Appendix A: Terms of reference"
    body: int = 30
    pad: int = 0  # paragraphs between the Recommendations heading and the list


def build_pdf(path: Path, spec: PdfSpec = PdfSpec()) -> list[str]:
    """Write the report; the recommendations' texts, in order."""
    import random

    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.lib.units import cm
    from reportlab.platypus import ListFlowable, ListItem, PageBreak, Paragraph, SimpleDocTemplate, Table, TableStyle

    rng = random.Random(7)
    styles = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=styles["Normal"], fontName="Helvetica", fontSize=10.5, leading=14, spaceAfter=7)
    h1 = ParagraphStyle("h1", parent=body, fontName="Helvetica-Bold", fontSize=15, leading=19, spaceBefore=12, spaceAfter=8)
    h2 = ParagraphStyle("h2", parent=body, fontName="Helvetica-Bold", fontSize=12, leading=15, spaceBefore=8, spaceAfter=6)
    title = ParagraphStyle("title", parent=h1, fontSize=24, leading=30)
    recs = [RECS[i % len(RECS)].text for i in range(spec.n_recs)]

    def para(n: int) -> list:  # type: ignore[type-arg]
        return [Paragraph(" ".join(rng.choice(SENTENCES) for _ in range(rng.randint(2, 4))), body) for _ in range(n)]

    story: list = [Paragraph("Serious Case Review: Child J", title), Paragraph("Anytown Safeguarding Children Partnership", body), PageBreak()]  # type: ignore[type-arg]
    if spec.contents:
        story.append(Paragraph("Contents", h1))
        for name, page in (("1. Introduction", 3), ("2. Findings", 4), ("3. Recommendations", 7), (spec.appendix, 9)):
            story.append(Paragraph(f"{name} {'.' * (90 - 2 * len(name))} {page}", body))
        story.append(PageBreak())
    story += [Paragraph("1. Introduction", h1), *para(4)]
    story.append(Paragraph("This review used the Significant Incident Learning Process (SILP) to involve practitioners.", body))
    story += [Paragraph("2. Findings", h1), *para(spec.body)]
    story += [Paragraph("3. Recommendations", h1), *para(spec.pad)]
    if spec.recs == "numbered":
        story.append(ListFlowable([ListItem(Paragraph(r, body)) for r in recs], bulletType="1", bulletFormat="%s."))
    elif spec.recs == "bullets":
        story.append(ListFlowable([ListItem(Paragraph(r, body), value="•") for r in recs], bulletType="bullet"))
    elif spec.recs == "recommendation-n":
        for i, r in enumerate(recs, 1):
            story.append(Paragraph(f"<b>Recommendation {i}.</b> {r}", body))
            story.append(Paragraph("Why: " + rng.choice(SENTENCES), body))
    else:
        cell = ParagraphStyle("cell", parent=body, fontSize=9.5, leading=12, spaceAfter=0)
        rows = [[Paragraph("<b>No.</b>", cell), Paragraph("<b>Recommendation</b>", cell), Paragraph("<b>Lead</b>", cell)]]
        rows += [[Paragraph(str(i), cell), Paragraph(r, cell), Paragraph("Partnership", cell)] for i, r in enumerate(recs, 1)]
        table = Table(rows, colWidths=[1.5 * cm, 11 * cm, 3 * cm], repeatRows=1)
        table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
        story.append(table)
    story.append(PageBreak())
    if spec.appendix == "Appendices":
        story += [Paragraph("Appendices", h1), Paragraph("Appendix A: Terms of reference", h2)]
    else:
        story.append(Paragraph(spec.appendix, h1))
    story += para(8)
    story += [Paragraph("Appendix B: The panel" if not spec.appendix.startswith("Annex") else "Annex 2: The panel", h1), *para(6)]

    def furniture(canvas, doc) -> None:  # type: ignore[no-untyped-def]
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.drawString(2 * cm, A4[1] - 1.2 * cm, "OFFICIAL - Child J Serious Case Review")
        canvas.drawCentredString(A4[0] / 2, 1.2 * cm, f"Page {doc.page}")
        canvas.restoreState()

    doc = SimpleDocTemplate(str(path), pagesize=A4, leftMargin=2.2 * cm, rightMargin=2.2 * cm, topMargin=2.2 * cm, bottomMargin=2.2 * cm)
    doc.build(story, onFirstPage=furniture, onLaterPages=furniture)
    return recs
