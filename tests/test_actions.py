"""`scr-audit actions`: every improvement action across the review files, overdue first.

Driven through click's runner over the generated business manager's folder; the files
written are read back with the csv module, json and openpyxl.
"""

from __future__ import annotations

import re
import csv
import io
import json
from datetime import datetime
from pathlib import Path

import pytest

from business_folder import (
    AGREED_ACTION,
    AS_OF,
    DONE_ACTION,
    HOSTILE_ACTION,
    HOSTILE_OWNER,
    MINUS_ACTION,
    NO_DUE_ACTION,
    PATEL_ACTION,
    SHARED_ACTION,
    make_folder,
)
from conftest import review_text

openpyxl = pytest.importorskip("openpyxl", reason="openpyxl (the test extra) reads the workbook back")

#: The folder's actions not done, in the order `actions` must list them at AS_OF (2027-03-01).
EXPECTED = [
    (AGREED_ACTION["action"], 91),  # due 2026-11-30
    (HOSTILE_ACTION, 60),  # due 2026-12-31
    (SHARED_ACTION["action"], 29),  # due 2027-01-31
    (MINUS_ACTION, 28),  # due 2027-02-01
    (PATEL_ACTION["action"], None),  # due 2027-06-30
    (NO_DUE_ACTION["action"], None),  # no due date
]


@pytest.fixture
def bm(tmp_path: Path, qm) -> Path:
    return make_folder(tmp_path, qm)


def _json(cli, *args):
    result = cli("actions", "--format", "json", "--as-of", AS_OF, *args)
    return result, json.loads(result.stdout)


def test_every_action_overdue_first_each_once(cli, bm):
    result, doc = _json(cli, bm)
    assert result.exit_code == 0, result.output
    assert [(a["action"], a["days-overdue"]) for a in doc["actions"]] == EXPECTED
    shared = doc["actions"][2]
    assert shared["review"] == "Child D" and shared["marker"] == "QM1" and shared["marker-title"] == "Referral"
    assert shared["owner"] == "LSCB business manager" and shared["due"] == "2027-01-31" and shared["status"] == "open"
    assert len(shared["files"]) == 3  # the three panel members each wrote it: listed once
    agreed = doc["actions"][0]
    assert agreed["path"].endswith("child-e-agreed.yaml") and len(agreed["files"]) == 3  # the agreed file named first
    assert doc["format"] == 1 and doc["as-of"] == "2027-03-01"
    assert doc["counted"] == {"files": 9, "files-used": 8, "reviews": 4, "skipped": 1, "left-out": 0, "actions": 6, "overdue": 4, "not-listed": 1}
    assert [k["path"].endswith("broken.yaml") for k in doc["skipped"]] == [True]
    assert "skipped" in result.stderr and re.search(r"broken\.yaml:\d+:\d+: not valid YAML.*\[yaml-syntax\]", result.stderr)


def test_csv_has_each_actions_text_owner_and_due(cli, bm, tmp_path):
    out = tmp_path / "actions.csv"
    result = cli("actions", bm, "-o", out, "--as-of", AS_OF)
    assert result.exit_code == 0
    assert "Wrote" in result.stderr and "6 actions listed, 4 overdue at 2027-03-01; from 8 files, 4 reviews" in result.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert list(rows[0]) == ["Review", "Partnership", "Stage", "Marker set", "Marker", "Marker title", "No.", "Action", "Owner", "Due", "Status", "Days overdue", "File", "Also in"]
    # free text that began like a formula carries the apostrophe; the rest is as written
    assert [r["Action"].lstrip("'") for r in rows] == [text for text, _ in EXPECTED]
    assert [r["Days overdue"] for r in rows] == ["91", "60", "29", "28", "", ""]
    hostile = rows[1]
    assert hostile["Owner"] == "'" + HOSTILE_OWNER and hostile["Due"] == "2026-12-31" and hostile["Marker"] == "QM4"
    assert rows[-1]["Due"] == "" and rows[-1]["Stage"] == "progressive"


def test_workbook_has_real_dates(cli, bm, tmp_path):
    out = tmp_path / "actions.xlsx"
    assert cli("actions", bm, "-o", out, "--as-of", AS_OF).exit_code == 0
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Actions", "Files"]
    ws = book["Actions"]
    header = [c.value for c in ws[1]]
    rows = [dict(zip(header, r)) for r in ws.iter_rows(min_row=2)]
    assert [r["Action"].value for r in rows] == [text for text, _ in EXPECTED]
    assert rows[0]["Due"].is_date and rows[0]["Due"].value == datetime(2026, 11, 30)
    assert rows[0]["Days overdue"].value == 91 and rows[0]["Days overdue"].data_type == "n"
    assert rows[-1]["Due"].value is None
    assert ws.freeze_panes == "B2" and ws.auto_filter.ref == f"A1:N{len(rows) + 1}"
    assert book.properties.title.startswith("Improvement actions (6 actions, 4 overdue")


def test_filters(cli, bm):
    def listed(*args):
        return [a["action"] for a in _json(cli, bm, *args)[1]["actions"]]

    assert listed("--owner", "SUBGROUP chair") == [AGREED_ACTION["action"], NO_DUE_ACTION["action"]]
    assert listed("--owner", "nobody") == []
    assert listed("--status", "done") == [DONE_ACTION["action"]]
    assert listed("--status", "in-progress") == [PATEL_ACTION["action"]]
    assert len(listed("--status", "open", "--status", "in-progress", "--status", "done")) == 7
    assert listed("--overdue") == [text for text, days in EXPECTED if days]
    assert listed("--due-before", "2027-01-31") == [AGREED_ACTION["action"], HOSTILE_ACTION]
    assert listed("--stage", "progressive") == [NO_DUE_ACTION["action"]]
    assert listed("--overdue", "--owner", "business manager") == [HOSTILE_ACTION, SHARED_ACTION["action"]]


def test_fail_on_overdue_for_a_scheduled_job(cli, bm):
    assert cli("actions", bm, "--as-of", AS_OF).exit_code == 0
    assert cli("actions", bm, "--as-of", AS_OF, "--fail-on-overdue").exit_code == 1
    assert cli("actions", bm, "--as-of", "2026-01-01", "--fail-on-overdue").exit_code == 0  # nothing due yet
    assert cli("actions", bm, "--as-of", AS_OF, "--fail-on-overdue", "--status", "in-progress").exit_code == 0


def test_terminal_table_reads_at_80_columns(cli, bm, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    result = cli("actions", bm, "--as-of", AS_OF)
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80, "\n".join(line for line in lines if len(line) > 80)
    text = " ".join(result.stdout.split())
    assert "Improvement actions, overdue first (as at 2027-03-01)" in text
    first = next(i for i, line in enumerate(lines) if "2026-11-30" in line)
    assert lines[first].split()[:4] == ["2026-11-30", "91", "Case", "Review"] and "Agree a family liaison" in lines[first]
    assert lines[first + 1].split()[:3] == ["open", "Subgroup", "chair"] and "Child E (end) · QM3" in lines[first + 2]
    last = next(i for i, line in enumerate(lines) if line.startswith(" no due date"))
    assert lines[last + 1].startswith(" open") and any(line.startswith(" in progress") for line in lines)
    assert "6 actions listed, 4 overdue at 2027-03-01; from 8 files, 4 reviews (each counted once); 1 other action not listed by the filters (add --status done to list done ones); 1 file skipped." in text


def test_table_shows_control_characters_never_obeys_them(cli, tmp_path, qm):
    (tmp_path / "r.yaml").write_text(
        review_text(qm, title="Child \x1b[2J", actions=lambda m: [{"action": "Clear \x1b]0;title\x07 it", "owner": "Chair\x1b[31m", "due": "2027-01-01"}] if m == "QM1" else []),
        encoding="utf-8",
    )
    out = cli("actions", tmp_path, "--as-of", AS_OF).stdout
    assert "\x1b" not in out and "\x07" not in out
    assert "\\x1b[2J" in out and "\\x1b]0;title\\x07" in out and "Chair\\x1b[31m" in out


def test_a_file_with_errors_still_gives_its_actions(cli, tmp_path, qm):
    text = review_text(qm, title="Child M", actions=lambda m: [{"action": "Fix the date", "owner": "Chair", "due": "2027-02-30"}, {"action": "Odd status", "owner": "Chair", "due": "2027-01-01", "status": "pending"}] if m == "QM1" else [])
    text = text.replace("markers:\n", "markers:\n  QM19:\n    actions:\n      - action: Under a mistyped marker\n        due: 2027-01-15\n", 1)
    (tmp_path / "m.yaml").write_text(text, encoding="utf-8")
    result, doc = _json(cli, tmp_path)
    assert result.exit_code == 0
    listed = {a["action"]: a for a in doc["actions"]}
    assert set(listed) == {"Fix the date", "Odd status", "Under a mistyped marker"}
    assert listed["Fix the date"]["due"] is None  # 30 February is not a date: the action stays, undated
    assert listed["Odd status"]["status"] == "open"  # a status that cannot be read counts as not done
    assert listed["Under a mistyped marker"]["marker"] == "QM19" and listed["Under a mistyped marker"]["marker-title"] == "(not a marker of this set)"
    assert "m.yaml: 3 error(s); its actions are listed as far as they can be read" in result.stderr


def test_cannot_do_its_job_is_exit_2(cli, tmp_path, bm):
    (tmp_path / "only").mkdir()
    (tmp_path / "only" / "broken.yaml").write_text("scr-audit: 1\nreview: [\n", encoding="utf-8")
    result = cli("actions", tmp_path / "only")
    assert result.exit_code == 2 and "Nothing to list: none of the 1 file(s) could be used as a review." in result.stderr
    assert cli("actions", tmp_path / "missing").exit_code == 2
    assert cli("actions", bm, "--status", "maybe").exit_code == 2
    assert cli("actions", bm, "--due-before", "2027-02-30").exit_code == 2


def test_o_is_checked_before_any_work(cli, bm, tmp_path):
    wrong = tmp_path / "a.xlsx"
    result = cli("actions", bm, "--format", "csv", "-o", wrong)
    assert result.exit_code == 2 and "CSV is written as .csv" in result.stderr and not wrong.exists()
    assert cli("actions", bm, "--format", "xlsx", "-o", tmp_path / "a.csv").exit_code == 2
    out = tmp_path / "a.csv"
    out.write_text("keep me", encoding="utf-8")
    result = cli("actions", bm, "-o", out)
    assert result.exit_code == 2 and "already exists" in result.stderr and out.read_text(encoding="utf-8") == "keep me"
    assert cli("actions", bm, "-o", out, "--force").exit_code == 0 and out.read_text(encoding="utf-8").startswith('"Review"')
    target = bm / "child-f.yaml"
    before = target.read_bytes()
    assert cli("actions", target, "--format", "table", "-o", target).exit_code == 2 and target.read_bytes() == before


def test_actions_are_listed_in_the_commands_help(cli):
    listed = [line.split()[0] for line in cli("--help").stdout.splitlines() if line.startswith("  ") and line.split()]
    assert listed.index("summary") + 1 == listed.index("actions") < listed.index("export")


def test_actions_on_all_cores_match_one_process(cli, tmp_path, qm):
    for i in range(30):
        (tmp_path / f"r{i:02}.yaml").write_text(
            review_text(qm, title=f"Child {i % 12}", rating=lambda m: "partly-met" if m == "QM2" else "met", actions=lambda m, i=i: [{"action": f"Act {i % 5}", "owner": "Chair", "due": f"2027-01-{1 + i % 28:02}"}] if m == "QM2" else []),
            encoding="utf-8",
        )
    one = json.loads(cli("actions", "--format", "json", "--jobs", "1", "--as-of", AS_OF, tmp_path).stdout)
    many = json.loads(cli("actions", "--format", "json", "--jobs", "2", "--as-of", AS_OF, tmp_path).stdout)
    assert one == many
    # 12 reviews (titles repeat), each review's identical actions once
    assert one["counted"]["reviews"] == 12 and one["counted"]["files-used"] == 30
    keys = [(a["review"], a["action"], a["due"]) for a in one["actions"]]
    assert len(keys) == len(set(keys))
