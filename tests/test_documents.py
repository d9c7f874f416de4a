"""Reading reports: PDF (pypdfium2) and Word (python-docx) into pages of headings,
paragraphs, list items and table rows, and every way a file can fail to be a report.

Reports are built in the tests with python-docx; the PDFs are LibreOffice's conversions of
them (skipped with the reason where LibreOffice is missing), and pdftotext, which shares
no code with scr-audit, says what is on each page.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml import OxmlElement
from readers import SOFFICE, convert, convert_all, needs_pdftotext, needs_soffice, pdf_pages
from reportgen import Spec, build

from scr_audit.documents import DocumentError, read_document
from scr_audit.documents.layout import label_of, toc_match


def headings(doc):  # type: ignore[no-untyped-def]
    return [(b.page, b.level, b.full_text) for b in doc.blocks if b.kind == "heading"]


# ---------------------------------------------------------------------------- .docx


def test_docx_headings_from_styles_with_levels(tmp_path):
    d = docx.Document()
    d.add_heading("Serious Case Review: Child H", 0)
    d.add_heading("1. Introduction", 1)
    d.add_paragraph("Text of the introduction, which runs on for a sentence or two.")
    d.add_heading("1.1 Scope", 2)
    d.add_paragraph("Text of the scope.")
    d.add_heading("2. Recommendations", 1)
    path = tmp_path / "r.docx"
    d.save(path)
    doc = read_document(path)
    assert doc.kind == "docx" and doc.page_basis == "estimated" and doc.pages == 1
    assert headings(doc) == [(1, 0, "Serious Case Review: Child H"), (1, 1, "1. Introduction"), (1, 2, "1.1 Scope"), (1, 1, "2. Recommendations")]


def test_docx_headings_without_styles_bold_larger_or_capitals(tmp_path):
    d = docx.Document()
    for text, how in (("Introduction", "bold"), ("The family", "big"), ("RECOMMENDATIONS", "caps")):
        p = d.add_paragraph()
        r = p.add_run(text)
        if how == "bold":
            r.bold = True
        elif how == "big":
            r.font.size = docx.shared.Pt(16)
        d.add_paragraph("An ordinary paragraph of body text that says something about the case, at some length, so it reads as prose.")
    path = tmp_path / "r.docx"
    d.save(path)
    found = [t for _, _, t in headings(read_document(path))]
    assert found == ["Introduction", "The family", "RECOMMENDATIONS"]


def test_docx_list_numbers_as_word_draws_them(tmp_path):
    d = docx.Document()
    d.add_heading("Recommendations", 1)
    for i in range(3):
        d.add_paragraph(f"The Board should act on point {i + 1}.", style="List Number")
        d.add_paragraph("a point under it", style="List Bullet 2")
    path = tmp_path / "r.docx"
    d.save(path)
    items = [(b.label, b.depth, b.text) for b in read_document(path).blocks if b.kind == "item"]
    top = [i for i in items if i[1] == min(x[1] for x in items)]
    assert [(label, text) for label, _, text in top] == [("1.", "The Board should act on point 1."), ("2.", "The Board should act on point 2."), ("3.", "The Board should act on point 3.")]
    assert all(depth > top[0][1] for label, depth, text in items if text == "a point under it")


def test_docx_pages_from_explicit_breaks_are_exact(tmp_path):
    built = build(tmp_path / "r.docx", Spec(breaks="every-page"))
    doc = read_document(built.path)
    assert doc.page_basis == "explicit" and doc.pages == built.pages
    appendix = next(b for b in doc.blocks if b.text.startswith("Appendix A") and not b.toc_entry)
    assert appendix.page == built.appendix_page


def test_docx_rendered_page_breaks_are_used_and_said_so(tmp_path):
    d = docx.Document()
    for page in range(1, 6):
        p = d.add_paragraph()
        if page > 1:  # where Word broke the page when it last laid the document out
            p.add_run()._r.append(OxmlElement("w:lastRenderedPageBreak"))
        p.add_run(f"Text at the top of page {page}.")
        d.add_paragraph("More text " * 30)
    path = tmp_path / "r.docx"
    d.save(path)
    doc = read_document(path)
    assert doc.page_basis == "rendered" and doc.pages == 5 and doc.pages_exact
    assert [b.page for b in doc.blocks if b.text.startswith("Text at the top")] == [1, 2, 3, 4, 5]
    assert "as Word last laid" in doc.basis_note()


def test_docx_headers_footers_and_page_lines_are_not_text(tmp_path):
    built = build(tmp_path / "r.docx", Spec())
    d = docx.Document(str(built.path))
    d.add_paragraph("Page 3 of 9")
    d.save(str(built.path))
    texts = [b.text for b in read_document(built.path).blocks]
    assert not any("OFFICIAL-SENSITIVE" in t or re.fullmatch(r"Page \d+ of \d+", t) for t in texts)


def test_docx_contents_entries_are_set_apart(tmp_path):
    built = build(tmp_path / "r.docx", Spec(contents="leaders"))
    doc = read_document(built.path)
    entries = [b.text for b in doc.blocks if b.toc_entry]
    assert len(entries) == 5 and entries[0].startswith("Executive summary")
    assert all(b.kind != "heading" for b in doc.blocks if b.toc_entry)


def test_docx_table_rows_with_cells(tmp_path):
    built = build(tmp_path / "r.docx", Spec(recs="table", n_recs=3))
    rows = [b for b in read_document(built.path).blocks if b.kind == "row" and b.table == 0]
    assert rows[0].cells == ("No.", "Recommendation", "Lead agency", "Timescale")
    assert [r.cells[0] for r in rows[1:]] == ["1", "2", "3"] and rows[1].cells[1] == built.recs[0].text


# ------------------------------------------------------------------------------ PDF


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory):  # type: ignore[no-untyped-def]
    if SOFFICE is None:
        pytest.skip("LibreOffice (soffice) is not installed: cannot make the PDFs a user would have")
    tmp = tmp_path_factory.mktemp("pdfs")
    specs = {
        "styled": Spec(),
        "bold": Spec(headings="bold", recs="table", n_recs=12, split_recs=True),
    }
    # the list moved down the page a paragraph at a time: in some of these a recommendation
    # runs over the page break (pdftotext says which)
    for pad in range(8, 15):
        specs[f"split{pad}"] = Spec(recs="manual", n_recs=9, split_recs=pad, body_paragraphs=12, rec_extra=4)
    built = {name: build(tmp / f"{name}.docx", spec) for name, spec in specs.items()}
    converted = convert_all([b.path for b in built.values()], tmp)
    return {name: (b, pdf) for (name, b), pdf in zip(built.items(), converted)}


def _split_item(built, pdf):  # type: ignore[no-untyped-def]
    """(number, page) of a recommendation pdftotext sees begin on one page and end on the next."""
    pages = [re.sub(r"\s+", " ", p) for p in pdf_pages(pdf)]
    for n, rec in enumerate(built.recs, 1):
        head, tail = " ".join(rec.text.split()[:5]), " ".join(rec.text.split()[-3:])
        for i in range(len(pages) - 1):
            if f"{n}. {head}" in pages[i] and tail not in pages[i] and tail in pages[i + 1]:
                return n, i + 1
    return None


@needs_soffice
@needs_pdftotext
def test_pdf_pages_exact_and_furniture_set_aside(pdfs):
    _, pdf = pdfs["styled"]
    doc = read_document(pdf)
    assert doc.kind == "pdf" and doc.page_basis == "pdf" and doc.pages == len(pdf_pages(pdf))
    texts = [b.text for b in doc.blocks]
    assert not any("OFFICIAL-SENSITIVE" in t or re.search(r"Page \d+ of \d+", t) for t in texts)
    # headings are on the page pdftotext finds them on
    pages = pdf_pages(pdf)
    for page, _, text in headings(doc):
        assert text.split()[0] in pages[page - 1]


@needs_soffice
def test_pdf_heading_levels_and_contents(pdfs):
    built, pdf = pdfs["styled"]
    doc = read_document(pdf)
    found = {t: level for _, level, t in headings(doc)}
    assert found["1. Introduction"] == found["3. Recommendations"] == found["Appendix A: Terms of reference"]
    assert sum(1 for b in doc.blocks if b.toc_entry) == 5


@needs_soffice
def test_pdf_ruled_table_rows_joined_across_the_page_break(pdfs):
    built, pdf = pdfs["bold"]
    rows = [b for b in read_document(pdf).blocks if b.kind == "row" and b.table == 0]
    assert [r.cells[1] for r in rows[1:]] == [r.text for r in built.recs]
    assert len({r.page for r in rows}) == 2  # the table runs over a page break


@needs_soffice
@needs_pdftotext
def test_pdf_paragraph_cut_by_page_break_is_one_item(pdfs):
    split = [(b, pdf, found) for name, (b, pdf) in pdfs.items() if name.startswith("split") and (found := _split_item(b, pdf))]
    assert split, "no layout ran a recommendation over a page break"
    for built, pdf, (number, page) in split:
        items = [b for b in read_document(pdf).blocks if b.kind == "item" and b.label and b.label[0].isdigit()]
        assert [b.text.split(" ", 1)[1] for b in items] == [r.text for r in built.recs]
        assert (items[number - 1].page, items[number - 1].end_page) == (page, page + 1)


# -------------------------------------------------------------- files that are not reports


def _scanned_pdf(path: Path, pages: int = 2) -> Path:
    """A PDF of page images, as a scanner makes: no text layer at all (written by hand, so
    it depends on no PDF library)."""
    import zlib

    width, height = 150, 210
    rows = []
    for y in range(height):
        bar = 20 <= y < 190 and y % 7 < 3  # lines of "text", as dark bars
        rows.append(bytes(0 if bar and 15 <= x < 120 + (y * 13) % 20 else 255 for x in range(width)))
    image = zlib.compress(b"".join(rows))
    objects: list[bytes] = []
    kids = " ".join(f"{3 + 3 * i} 0 R" for i in range(pages))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode())
    for i in range(pages):
        _page, content, img = 3 + 3 * i, 4 + 3 * i, 5 + 3 * i
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im{i} {img} 0 R >> >> /Contents {content} 0 R >>".encode())
        stream = f"q 595 0 0 842 0 0 cm /Im{i} Do Q".encode()
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        objects.append(
            b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n"
            % (width, height, len(image)) + image + b"\nendstream"
        )
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path


def test_scanned_pdf_is_refused_with_the_reason(tmp_path):
    path = _scanned_pdf(tmp_path / "scanned.pdf")
    with pytest.raises(DocumentError, match="no text in this PDF: it looks like a scanned image, which scr-audit cannot read"):
        read_document(path)


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("empty.pdf", b"", "is empty"),
        ("cut.pdf", b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pa", "damaged or cut short"),
        ("text.pdf", b"This is a plain text file that someone named .pdf\n", "is not a PDF"),
        ("old.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "old-style Word 97-2003"),
        ("cut.docx", b"PK\x03\x04\x14\x00\x00\x00\x08\x00", "damaged or cut short"),
        ("notes.txt", b"hello", "neither a PDF nor a Word .docx"),
    ],
)
def test_files_that_are_not_readable_reports(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(DocumentError, match=message):
        read_document(path)


def test_mislabelled_files_are_named_for_what_they_are(tmp_path):
    built = build(tmp_path / "r.docx", Spec(breaks="every-page"))
    as_pdf = tmp_path / "report.pdf"
    as_pdf.write_bytes(built.path.read_bytes())
    with pytest.raises(DocumentError, match=r"is a Word \.docx file, though its name ends in \.pdf; rename it to report\.docx"):
        read_document(as_pdf)
    scanned = _scanned_pdf(tmp_path / "s.pdf")
    as_docx = tmp_path / "report.docx"
    as_docx.write_bytes(scanned.read_bytes())
    with pytest.raises(DocumentError, match=r"is a PDF, though its name ends in \.docx; rename it to report\.pdf"):
        read_document(as_docx)
    workbook = tmp_path / "book.docx"
    with zipfile.ZipFile(workbook, "w") as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(DocumentError, match="is an Excel workbook"):
        read_document(workbook)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(DocumentError, match="no such file"):
        read_document(tmp_path / "nowhere.pdf")
    with pytest.raises(DocumentError, match="is a folder"):
        read_document(tmp_path)


@needs_soffice
def test_encrypted_pdf_is_refused_with_the_reason(tmp_path):
    built = build(tmp_path / "r.docx", Spec(breaks="every-page"))
    options = '{"EncryptFile":{"type":"boolean","value":"true"},"DocumentOpenPassword":{"type":"string","value":"secret"}}'
    pdf = convert(built.path, tmp_path, f"pdf:writer_pdf_Export:{options}")
    with pytest.raises(DocumentError, match="is encrypted"):
        read_document(pdf)


def test_a_damaged_docx_part_is_reported(tmp_path):
    built = build(tmp_path / "r.docx", Spec(breaks="every-page"))
    broken = tmp_path / "broken.docx"
    with zipfile.ZipFile(built.path) as src, zipfile.ZipFile(broken, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/document.xml":
                data = data[: len(data) // 2]  # XML cut off half way
            dst.writestr(item, data)
    with pytest.raises(DocumentError, match="damaged"):
        read_document(broken)


# ------------------------------------------------------------------------ small parts


@pytest.mark.parametrize(
    "text, label",
    [("1. The Board should", "1."), ("9.2 The Board", "9.2"), ("a) the first", "a)"), ("(iv) fourth", "(iv)"), ("• bullet", "•"), ("R3: The Board", "R3:"),
     ("2019 was a year", None), ("17 April 2025, after", None), ("The Board", None), ("3 Findings", "3")],
)
def test_list_labels(text, label):
    assert label_of(text) == label


def test_contents_entries_with_leaders():
    assert toc_match("Introduction ........ 3").group("page") == "3"  # type: ignore[union-attr]
    assert toc_match("Appendix A: Terms of reference\t24").group("title") == "Appendix A: Terms of reference"  # type: ignore[union-attr]
    assert toc_match("The Board met on 3 occasions in 2024.") is None



def test_damaged_and_oversized_docx_are_refused(tmp_path, monkeypatch):
    from scr_audit.documents import docx as docx_reader

    built = build(tmp_path / "r.docx", Spec(breaks="every-page"))
    data = bytearray(built.path.read_bytes())
    with zipfile.ZipFile(built.path) as zf:
        info = zf.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    for k in range(start + 50, start + 250):  # the compressed text garbled in the middle
        data[k] ^= 0x5A
    damaged = tmp_path / "damaged.docx"
    damaged.write_bytes(bytes(data))
    with pytest.raises(DocumentError, match="damaged"):
        read_document(damaged)
    monkeypatch.setattr(docx_reader, "MAX_UNPACKED", 10_000)
    with pytest.raises(DocumentError, match="unpacks to .* far more than any report"):
        read_document(built.path)
