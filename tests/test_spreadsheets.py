"""Spreadsheets safe to open: no text the tool writes into a CSV or a workbook is ever a formula.

Read back as a user's spreadsheet would: the csv module, openpyxl, and LibreOffice Calc
(each conversion in its own profile, through readers.convert). A first Calc test shows
that the danger is real on this machine (a raw `=1+1` in a CSV becomes a formula), so
the others could fail.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from pathlib import Path

import pytest

from business_folder import AS_OF, HOSTILE_ACTION, HOSTILE_OWNER, HOSTILE_PARTNERSHIP, HOSTILE_TITLE, MINUS_ACTION, make_folder
from readers import convert, needs_calc
from scr_audit.spreadsheets import CELL_LIMIT, Column, Properties, Shaded, Sheet, csv_text, csv_value, formula_like, workbook_bytes

openpyxl = pytest.importorskip("openpyxl", reason="openpyxl (the test extra) reads the workbook back")

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
HOSTILE = (HOSTILE_TITLE, HOSTILE_PARTNERSHIP, HOSTILE_OWNER, HOSTILE_ACTION, MINUS_ACTION)


@pytest.fixture
def bm(tmp_path: Path, qm) -> Path:
    return make_folder(tmp_path, qm)


def _fields(text: str) -> list[str]:
    return [f for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))) for f in row]


def _assert_safe_csv(text: str) -> list[str]:
    fields = _fields(text)
    bad = [f for f in fields if f.startswith(TRIGGERS)]
    assert not bad, f"fields a spreadsheet would read as formulas: {bad}"
    return fields


# -------------------------------------------------------------------------- the function


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t"])
def test_a_text_that_starts_like_a_formula_gets_an_apostrophe(start):
    assert csv_value(start + "1+1") == "'" + start + "1+1"
    assert formula_like(start + "x")


def test_a_carriage_return_is_shown_not_kept():
    assert csv_value("\r=1+1") == "\\r=1+1"  # a control character, shown as on a terminal
    assert csv_value("a\x1b[31mred") == "a\\x1b[31mred"


def test_numbers_stay_numbers_and_other_values_are_plain():
    assert csv_value(-3) == -3 and csv_value(2.5) == 2.5 and csv_value(7.0) == 7
    assert csv_value(None) == "" and csv_value(date(2025, 2, 14)) == "2025-02-14" and csv_value(float("nan")) == ""
    assert csv_value("Child D") == "Child D" and csv_value("a = b") == "a = b" and csv_value("'quoted") == "'quoted"
    text = csv_text([["h1", "h2", "h3"], ["=1+1", 12, "line one\nline two"]])
    assert text == '"h1","h2","h3"\r\n"\'=1+1",12,"line one\nline two"\r\n'
    assert list(csv.reader(io.StringIO(text)))[1] == ["'=1+1", "12", "line one\nline two"]


def test_a_separator_inside_a_text_never_starts_a_cell():
    # a locale whose spreadsheet splits on ';' would otherwise see '=1+1' as a cell of its own
    line = csv_text([["a;=1+1"]]).strip()
    assert line == '"a;=1+1"'


def test_workbook_cells_are_typed_and_never_formulas(tmp_path):
    sheet = Sheet(
        "Test",
        [Column("Text"), Column("Number", "number"), Column("Share", "percent"), Column("Day", "date"), Column("Shaded"), Column("Long", wrap=True)],
        [["=1+1", -2.5, 50.0, date(2025, 2, 14), Shaded("@Met", "C6EFCE"), "x" * (CELL_LIMIT + 10)], ["plain\x07bell", 3, None, None, Shaded("Met", None), "\ufffe"]],
    )
    data = workbook_bytes([sheet], Properties("t", "s", "c", datetime(2026, 1, 1, 9, 0)))
    path = tmp_path / "t.xlsx"
    path.write_bytes(data)
    ws = openpyxl.load_workbook(path)["Test"]
    a2, b2, c2, d2, e2, f2 = ws[2]
    assert (a2.value, a2.data_type, a2.quotePrefix) == ("=1+1", "s", True)
    assert (b2.value, b2.data_type) == (-2.5, "n")
    assert c2.value == 0.5 and "%" in c2.number_format
    assert d2.is_date and d2.value == datetime(2025, 2, 14)
    assert e2.value == "@Met" and e2.quotePrefix and e2.fill.fgColor.rgb.endswith("C6EFCE")
    assert len(f2.value) == CELL_LIMIT and f2.value.endswith("characters]")
    a3, b3, _, _, _, f3 = ws[3]
    assert a3.value == "plain\\x07bell" and not a3.quotePrefix and b3.data_type == "n"
    assert f3.value == "\\ufffe"
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:F3"


# ---------------------------------------------------------------- every CSV the tool writes


@pytest.mark.parametrize("by", ["review", "marker", "cluster", "matrix"])
def test_no_summary_csv_field_starts_like_a_formula(cli, bm, by):
    result = cli("summary", "--csv", "--by", by, "--as-of", AS_OF, bm)
    fields = _assert_safe_csv(result.stdout)
    if by in ("review", "matrix"):
        assert "'" + HOSTILE_TITLE in fields and "'" + HOSTILE_PARTNERSHIP in fields


def test_no_actions_csv_field_starts_like_a_formula(cli, bm, tmp_path):
    out = tmp_path / "actions.csv"
    result = cli("actions", bm, "-o", out, "--excel", "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    fields = _assert_safe_csv(out.read_text(encoding="utf-8-sig"))
    for text in (HOSTILE_TITLE, HOSTILE_PARTNERSHIP, HOSTILE_OWNER, HOSTILE_ACTION, MINUS_ACTION):
        assert "'" + text in fields


def test_no_workbook_cell_is_a_formula(cli, bm, tmp_path):
    for command in ("summary", "actions"):
        out = tmp_path / f"{command}.xlsx"
        assert cli(command, bm, "-o", out, "--as-of", AS_OF).exit_code in (0, 1)
        book = openpyxl.load_workbook(out)
        seen = set()
        for ws in book:
            for row in ws.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                    if isinstance(cell.value, str) and cell.value.startswith(TRIGGERS):
                        assert cell.data_type == "s" and cell.quotePrefix, (ws.title, cell.coordinate)
                        seen.add(cell.value)
        assert {HOSTILE_OWNER, HOSTILE_ACTION} <= seen
        if command == "summary":
            assert {HOSTILE_TITLE, HOSTILE_PARTNERSHIP} <= seen


# ------------------------------------------------------------------------ LibreOffice Calc


def _formula_cells(xlsx: Path) -> list[str]:
    book = openpyxl.load_workbook(xlsx)
    return [f"{ws.title}!{c.coordinate}={c.value}" for ws in book for row in ws.iter_rows() for c in row if c.data_type == "f"]


@needs_calc
def test_calc_evaluates_a_raw_formula_so_these_tests_can_fail(tmp_path):
    raw = tmp_path / "raw.csv"
    raw.write_text('title\n=1+1\n"=HYPERLINK(""http://x"",""click"")"\n', encoding="utf-8")
    assert len(_formula_cells(convert(raw, tmp_path, "xlsx"))) == 2


@needs_calc
def test_calc_opens_the_csv_files_with_no_formula(cli, bm, tmp_path):
    outputs = []
    for command, args in (("summary", ("--by", "review")), ("summary", ("--by", "matrix")), ("actions", ())):
        out = tmp_path / f"{command}-{len(outputs)}.csv"
        assert cli(command, bm, *args, "--format", "csv", "-o", out, "--as-of", AS_OF).exit_code in (0, 1)
        outputs.append(out)
    for out in outputs:
        opened = convert(out, tmp_path, "xlsx")
        assert _formula_cells(opened) == []
        values = [c.value for ws in openpyxl.load_workbook(opened) for row in ws.iter_rows() for c in row]
        texts = [v for v in values if isinstance(v, str)]
        assert any(HOSTILE_TITLE in t for t in texts)  # shown as text, with its apostrophe
        assert any(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values)  # numbers stay numbers


@needs_calc
def test_calc_opens_the_workbooks_with_no_formula(cli, bm, tmp_path):
    for command in ("summary", "actions"):
        out = tmp_path / f"{command}.xlsx"
        assert cli(command, bm, "-o", out, "--as-of", AS_OF).exit_code in (0, 1)
        # Calc reads it and writes it again: a cell it took for a formula would be saved as one
        (tmp_path / command).mkdir()
        resaved = convert(out, tmp_path / command, "ods")
        assert resaved.stat().st_size > 1000
        again = convert(resaved, tmp_path / command, "xlsx")
        assert _formula_cells(again) == []
        book = openpyxl.load_workbook(again)
        expected = ["Reviews", "Markers", "Matrix", "Actions", "Files", "About"] if command == "summary" else ["Actions", "Files"]
        assert book.sheetnames == expected
        texts = {c.value for ws in book for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
        assert HOSTILE_ACTION in texts and HOSTILE_OWNER in texts
        dates = [c.value for row in book["Actions"].iter_rows(min_row=2) for c in row if isinstance(c.value, datetime)]
        assert dates and all(d.year in (2026, 2027) for d in dates)


@needs_calc
def test_calc_shows_the_matrix_shading(cli, bm, tmp_path, qm):
    out = tmp_path / "board.xlsx"
    cli("summary", bm, "-o", out, "--as-of", AS_OF)
    html = convert(out, tmp_path, "html").read_text(encoding="utf-8", errors="replace")
    assert "Partly met" in html and "HYPERLINK" in html
    for rating in ("met", "partly-met", "not-met"):  # each in the set's own colour
        assert "#" + qm.rating_by_id(rating).fill.lower() in html.lower(), rating
