"""The real programs users open our files with, for the tests: LibreOffice and poppler.

Every conversion runs LibreOffice in a profile of its own, so tests (and several test runs
on one machine) never share its lock. A test that needs a program the machine lacks is
skipped with the reason, through the markers below, never passed.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

SOFFICE = shutil.which("soffice")
PDFTOTEXT = shutil.which("pdftotext")


def _has_calc() -> bool:
    """Whether the LibreOffice installed has Calc (libreoffice-calc), not just Writer."""
    if SOFFICE is None:
        return False
    program = Path(SOFFICE).resolve().parent
    return any((program / name).exists() for name in ("libsclo.so", "libsclo.dylib", "sclo.dll"))


CALC = _has_calc()

needs_calc = pytest.mark.skipif(not CALC, reason="LibreOffice Calc is not installed (libreoffice-calc-nogui): cannot open the spreadsheet as a user would")
needs_soffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed: cannot open the file as a user would")
needs_pdftotext = pytest.mark.skipif(PDFTOTEXT is None, reason="poppler's pdftotext is not installed: cannot read the PDF back")


def convert(path: Path, tmp_path: Path, to: str = "pdf", *, infilter: str | None = None) -> Path:
    """`path` converted by LibreOffice (`to`: pdf, csv, xlsx, html...), in its own profile."""
    assert SOFFICE is not None
    outdir = tmp_path / f"converted-{to.split(':')[0]}"
    outdir.mkdir(exist_ok=True)
    profile = tmp_path / "lo-profile"
    args = [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless"]
    if infilter:
        args.append(f"--infilter={infilter}")
    result = subprocess.run(
        args + ["--convert-to", to, "--outdir", str(outdir), str(path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    out = outdir / (path.stem + "." + to.split(":")[0])
    assert out.is_file(), f"LibreOffice did not convert {path.name} to {to}: {result.stdout} {result.stderr}"
    return out


def convert_all(paths: list[Path], tmp_path: Path, to: str = "pdf") -> list[Path]:
    """Several files converted by one LibreOffice run (its start-up is most of the cost), in
    a profile of its own, like `convert`."""
    assert SOFFICE is not None
    outdir = tmp_path / f"converted-{to.split(':')[0]}"
    outdir.mkdir(exist_ok=True)
    profile = tmp_path / "lo-profile"
    result = subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", to, "--outdir", str(outdir), *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    outs = [outdir / (p.stem + "." + to.split(":")[0]) for p in paths]
    missing = [o.name for o in outs if not o.is_file()]
    assert not missing, f"LibreOffice did not convert {missing}: {result.stdout} {result.stderr}"
    return outs


def to_pdf(path: Path, tmp_path: Path) -> Path:
    pdf = convert(path, tmp_path, "pdf")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 10_000
    return pdf


def pdf_pages(pdf: Path) -> list[str]:
    """The PDF's text, page by page, as pdftotext reads it (layout kept)."""
    assert PDFTOTEXT is not None
    text = subprocess.run([PDFTOTEXT, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True, timeout=120).stdout
    pages = text.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    return pages
