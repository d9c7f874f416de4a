"""Reading a review's final report (a PDF or a Word .docx) into pages of text with headings.

What a file is comes from its first bytes, not its name: a report saved with the wrong
suffix is named for what it really is, so the user can rename it, rather than read as
something it is not. Every way a file can fail to be a readable report (empty, truncated,
encrypted, a scanned image with no text, an old .doc, something else altogether) ends in a
DocumentError whose message says what is wrong and what to do; never a traceback.
"""

from __future__ import annotations

import os
from pathlib import Path

from scr_audit.documents.model import Block, Document
from scr_audit.errors import DocumentError

__all__ = ["Block", "Document", "DocumentError", "read_document", "MAX_BYTES"]

#: Larger than any report (the longest in the triennial analysis ran to 188 pages); a file
#: this big is not one, and reading it would only use up memory.
MAX_BYTES = 200 * 1024 * 1024

_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003 .doc (and old Excel, PowerPoint)


def read_document(path: Path | str) -> Document:
    """The report at `path` read into blocks; DocumentError if it cannot be read."""
    p = Path(path)
    shown = str(path)
    from scr_audit.filekinds import os_error_words, special_kind

    try:
        info = os.stat(p)
    except FileNotFoundError:
        raise DocumentError(f"{shown}: no such file") from None
    except OSError as exc:
        raise DocumentError(f"{shown}: cannot be read ({os_error_words(exc)})") from None
    size = info.st_size
    if p.is_dir():
        raise DocumentError(f"{shown} is a folder; give the report's PDF or .docx file")
    kind_on_disk = special_kind(info.st_mode)
    if kind_on_disk is not None:  # a pipe could block, a device never end: never opened
        raise DocumentError(f"{shown} is {kind_on_disk}, not a file; give the report's PDF or .docx file")
    if size == 0:
        raise DocumentError(f"{shown} is empty (0 bytes); give the report's PDF or .docx file")
    if size > MAX_BYTES:
        raise DocumentError(f"{shown} is {size // (1024 * 1024)} MB, too large to be a report (the limit is {MAX_BYTES // (1024 * 1024)} MB)")
    try:
        with open(p, "rb") as fh:
            head = fh.read(1024)
    except OSError as exc:
        raise DocumentError(f"{shown}: cannot be read ({exc.strerror or exc})") from None
    kind = sniff(head)
    suffix = p.suffix.lower()
    if kind == "pdf":
        if suffix not in (".pdf", ""):
            raise _mislabelled(shown, "a PDF", ".pdf")
        from scr_audit.documents.pdf import read_pdf

        return read_pdf(p, shown)
    if kind == "zip":
        from scr_audit.documents.docx import read_docx

        return read_docx(p, shown, suffix)
    if kind == "doc":
        raise DocumentError(
            f"{shown} is an old-style Word 97-2003 file (.doc), which scr-audit cannot read; "
            "open it in Word or LibreOffice and save it as .docx or PDF, then scan that"
        )
    if suffix == ".pdf":
        raise DocumentError(f"{shown} is not a PDF (it does not start as one does); it may be damaged, or another kind of file renamed")
    if suffix == ".docx":
        raise DocumentError(f"{shown} is not a Word .docx file (it is not the zip package a .docx is); it may be damaged, or another kind of file renamed")
    raise DocumentError(f"{shown} is neither a PDF nor a Word .docx file; scan reads reports in those two forms")


def sniff(head: bytes) -> str | None:
    """'pdf', 'zip', 'doc' or None, from a file's first bytes."""
    # a PDF header may follow a little junk (some generators write a byte-order mark first)
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(_ZIP):
        return "zip"
    if head.startswith(_OLE):
        return "doc"
    return None


def _mislabelled(shown: str, what: str, suffix: str) -> DocumentError:
    name = Path(shown)
    return DocumentError(
        f"{shown} is {what}, though its name ends in {name.suffix or 'nothing'}; "
        f"rename it to {name.with_suffix(suffix).name} and scan that"
    )
