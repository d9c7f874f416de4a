"""`scr-audit scan REPORT`: the report-quality template's facts, found in the report itself."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, Optional

import click

from scr_audit.cli import App, main
from scr_audit.cli.output import DATE, TEXT, echo, is_tty, style, width
from scr_audit.stages import STAGES

if TYPE_CHECKING:
    from scr_audit.markers import MarkerSet
    from scr_audit.scan import ScanResult, Suggestion


@main.command("scan", short_help="Find the report-quality template's facts in a final report (PDF or .docx).")
@click.argument("report", type=click.Path(dir_okay=False))
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None, metavar="REVIEW.yaml", help="Write a new scr-report-quality review file with the suggestions.")
@click.option("--into", "into", type=click.Path(dir_okay=False), default=None, metavar="REVIEW.yaml", help="Fill an existing review file: only questions no assessor has answered.")
@click.option("--force", is_flag=True, help="With -o: replace an existing file.")
@click.option("--title", type=TEXT, default=None, help="With -o: the review's anonymised name (default: the file's name).")
@click.option("--stage", type=click.Choice(STAGES, case_sensitive=False), default="end", show_default=True, help="With -o: when the assessment is made.")
@click.option("--partnership", type=TEXT, default=None, help="With -o: the safeguarding board or partnership.")
@click.option("--lead-reviewer", "lead_reviewers", type=TEXT, multiple=True, metavar="NAME", help="With -o. Repeatable.")
@click.option("--assessor", "assessors", type=TEXT, multiple=True, metavar="NAME", help="With -o. Repeatable.")
@click.option("--assessed-on", type=DATE, default=None, help="With -o: date of the assessment (default: today).")
@click.pass_obj
def scan_cmd(
    app: App,
    report: str,
    output: Optional[str],
    into: Optional[str],
    force: bool,
    title: Optional[str],
    stage: str,
    partnership: Optional[str],
    lead_reviewers: tuple[str, ...],
    assessors: tuple[str, ...],
    assessed_on: Optional[date],
) -> None:
    """Read a review's final report (PDF or Word .docx) and suggest the answers it shows.

    Finds the length, the appendices, the contents page, the recommendations (and whether
    each names who acts and by when), the review method, stated dates, personal data and
    redaction marks, and prints each with the page it is on. With -o it writes a new
    scr-report-quality review file, with --into it fills an existing one; every answer is
    marked suggested-by: scan until an assessor confirms it (with scr-audit assess).
    Without either it only prints. Exit 0 when the report was read, 2 when it could not be.
    """
    from pathlib import Path

    from scr_audit.documents import read_document
    from scr_audit.outputs import check_output
    from scr_audit.scan import SET_ID, scan

    if output and into:
        raise click.UsageError("choose one of -o (a new review file) and --into (an existing one)")
    new_only = [name for name, given in (("--title", title), ("--partnership", partnership), ("--lead-reviewer", lead_reviewers), ("--assessor", assessors), ("--assessed-on", assessed_on)) if given]
    if into and new_only:
        raise click.UsageError(f"{', '.join(new_only)} describe{'s' if len(new_only) == 1 else ''} a new file (-o); --into keeps the file's own")
    if force and not output:
        raise click.UsageError("--force replaces the file -o names; --into never replaces a file, it fills it in")
    if output:
        check_output(output, inputs=[report], force=force, suffixes=(".yaml", ".yml"), what="a review file")
    if into:
        _check_into(into, report)
    mset = app.registry.get(SET_ID)
    doc = read_document(Path(report))
    result = scan(doc, mset)
    if output:
        from scr_audit.suggestions import Filled

        filled: Optional[Filled] = _write_new(Path(output), mset, result, title=title, stage=stage.lower(), partnership=partnership,
                                              lead_reviewers=lead_reviewers, assessors=assessors, assessed_on=assessed_on or date.today(), force=force)
    elif into:
        filled = _fill(Path(into), app, result)
    else:
        filled = None
    schema_note = None
    if output:
        from scr_audit import template

        schema_note = template.write_schema_beside(Path(output), mset)  # as `new` does, for editors
    _print(report, mset, result, filled)
    if output or into:
        _print_written(output or into or "", result, filled, new=bool(output), titled=title is not None)
    if schema_note:
        echo(schema_note + ".")


def _check_into(into: str, report: str) -> None:
    from pathlib import Path

    from scr_audit.errors import WriteRefusedError
    from scr_audit.outputs import same_file

    path = Path(into)
    if path.suffix.lower() not in (".yaml", ".yml"):
        raise WriteRefusedError(f"{into}: a review file's name ends in .yaml or .yml; give --into the review file to fill")
    if same_file(path, Path(report)):
        raise WriteRefusedError(f"{into} is the report being scanned; give --into the review file to fill")
    if not path.exists():
        from scr_audit.shell import command

        raise WriteRefusedError(f"{into} does not exist; to make it a new review file, run:\n  {command('scan', report, '-o', into)}")
    if not path.is_file():
        raise WriteRefusedError(f"{into} is not a regular file; give --into the review file to fill")


def _write_new(path: Any, mset: "MarkerSet", result: "ScanResult", *, force: bool, **meta: Any) -> Any:
    """A new review file, as `new` writes it, with the suggestions in: written once, whole."""
    from scr_audit import template
    from scr_audit.editing import ReviewEditor
    from scr_audit.errors import WriteRefusedError
    from scr_audit.review import read_review
    from scr_audit.suggestions import fill, reads_back
    from scr_audit.yamlio import atomic_write

    title = meta.pop("title") or path.stem
    text = template.render(mset, title=title, **meta)
    blank = read_review(path, text=text)
    assert blank.review is not None
    editor = ReviewEditor(text, [m.id for m in mset.markers])
    filled = fill(editor, blank.review, result.suggestions)
    out = editor.text()
    back = read_review(path, text=out)
    if back.findings or back.review is None or not reads_back(back.review, filled.written) or editor.lost_comments(out):
        raise WriteRefusedError(f"{path}: the suggestions did not read back as written, so nothing was written; this is a bug in scr-audit, please report it")
    atomic_write(path, out, overwrite=force)
    return filled


def _fill(path: Any, app: App, result: "ScanResult") -> Any:
    """Fill an existing file, holding its lock: refused at once while a walkthrough holds it."""
    from scr_audit.suggestions import fill_file

    with _held(path):
        return fill_file(path, app.registry, result.suggestions)


class _held:
    """The file's lock for the length of the write, where scr-audit has locks."""

    def __init__(self, path: Any) -> None:
        self.path = path
        self._cm: Any = None

    def __enter__(self) -> None:
        try:
            from scr_audit import locks  # type: ignore[attr-defined]
        except ImportError:
            return None
        self._cm = locks.hold(self.path, "scan --into")
        self._cm.__enter__()
        return None

    def __exit__(self, *exc: object) -> None:
        if self._cm is not None:
            self._cm.__exit__(*exc)


# ----------------------------------------------------------------------------- printing


def _print(report: str, mset: "MarkerSet", result: "ScanResult", filled: Any) -> None:
    from scr_audit.termtext import visible

    doc = result.document
    kind = "PDF" if doc.kind == "pdf" else "Word .docx"
    pages = f"{doc.pages} pages" if doc.pages_exact else f"about {doc.pages} pages{doc.basis_note()}"
    echo(f"Scanned {visible(report)}: a {kind} of {pages}.")
    if doc.empty_pages:
        echo(style(f"  {len(doc.empty_pages)} page(s) have no text (scanned images?): {', '.join(map(str, doc.empty_pages[:20]))}; nothing on them was read.", fg="yellow"))
    kept = {(s.marker, s.question): what for s, what in (filled.kept if filled else [])}
    for s in result.suggestions:
        q = mset.marker(s.marker).question(s.question)
        text = q.text if q is not None else ""
        echo("")
        echo(style(f"{s.marker} q{s.question} {visible(text)}", bold=True))
        if (s.marker, s.question) in kept:
            echo(style(f"  kept: the file already holds {kept[(s.marker, s.question)]}; not changed", fg="cyan"))
        if s.answer is not None:
            echo(f"  suggested answer: {visible(_shown(mset, s))}")
        else:
            echo("  evidence only: the answer is for the assessor")
        for line in s.evidence.splitlines():
            echo(_wrap(visible(line), "    "))


def _shown(mset: "MarkerSet", s: "Suggestion") -> str:
    from scr_audit.display import long_date

    q = mset.marker(s.marker).question(s.question)
    if q is None:
        return str(s.answer)
    if q.type == "number":
        unit = (q.unit[:-1] if s.answer == 1 and q.unit.endswith("s") else q.unit) if q.unit else ""
        return f"{s.answer}{' ' + unit if unit else ''}"
    if q.type == "date":
        return f"{long_date(s.answer)} ({s.answer.isoformat()})"
    if q.type == "choice":
        opt = q.option(s.answer)
        return f"{s.answer} ({opt.label})" if opt else str(s.answer)
    opt = mset.answer(s.answer)
    return opt.label if opt else str(s.answer)


def _wrap(text: str, indent: str) -> str:
    import textwrap

    if not is_tty():
        return indent + text
    return textwrap.fill(text, width=width(), initial_indent=indent, subsequent_indent=indent + "  ", break_long_words=False, break_on_hyphens=False)


def _print_written(path: str, result: "ScanResult", filled: Any, *, new: bool, titled: bool) -> None:
    from pathlib import Path

    from scr_audit.termtext import visible
    from scr_audit.validation import plural

    written = filled.written if filled else []
    answers = sum(1 for s in written if s.answer is not None)
    notes = len(written) - answers
    echo("")
    what = f"{plural(answers, 'suggested answer')} and {plural(notes, 'note')} of evidence"
    verb = "Wrote" if new else "Filled"
    echo(f"{verb} {visible(path)}: {what}, each marked 'suggested-by: scan': not an assessor's answer until confirmed.")
    if filled and filled.kept:
        echo(f"Left as recorded: {', '.join(f'{s.marker} q{s.question}' for s, _ in filled.kept)} (an assessor had already recorded them).")
    if new and not titled:
        echo(f"The review's title is {Path(path).stem!r} (from the file name); change it with --title or in the file.")
    from scr_audit.shell import command

    echo("Next: check each suggestion against the report and confirm it (or delete its 'suggested-by: scan' line "
         "in an editor), then answer the rest:")
    echo(f"  {command('assess', path)}")
