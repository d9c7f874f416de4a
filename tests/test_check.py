"""`scr-audit check`: every rule, hostile input, output formats and exit codes."""

from __future__ import annotations

import json
import re
import time
from datetime import date
from pathlib import Path

import pytest

import textout
from conftest import review_text

MINIMAL = """\
scr-audit: 1
marker-set: scr-quality-markers
review:
  title: Child D
  stage: progressive
markers:
{markers}
"""


def write(tmp_path: Path, text: str | bytes, name: str = "r.yaml") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def findings(cli, path: Path, *extra: str) -> tuple[int, list[dict]]:
    result = cli("check", "--format", "json", path, *extra)
    assert "Traceback" not in result.output
    doc = json.loads(result.output)
    return result.exit_code, [f for fr in doc["files"] for f in fr["findings"]]


def rules_at(found: list[dict]) -> set[tuple[str, int | None]]:
    return {(f["rule"], f["line"]) for f in found}


def line_of(path: Path, needle: str) -> int:
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return i
    raise AssertionError(f"{needle!r} not in {path}")


# ------------------------------------------------------------------------- clean files


def test_complete_review_passes_with_exit_0(cli, write_review):
    path = write_review()
    code, found = findings(cli, path)
    assert code == 0 and found == []
    text = cli("check", path).output
    assert "Child D" in text and "107/107" in text and "18/18" in text and "100%" in text


def test_answers_in_any_case_and_na_alias_are_accepted(cli, tmp_path):
    markers = """\
  QM1:
    answers:
      1: no
      2: {answer: No, evidence: Nothing recorded.}
      3: {answer: YES}
  QM2:
    answers:
      "1": {answer: n/a, evidence: No contact with the family before the incident.}
      2: {answer: N/A, evidence: Not relevant here.}
      3: Not-Yet
      4: {answer: PARTLY, evidence: Two of three agencies.}
    rating: Partly-Met
"""
    path = write(tmp_path, MINIMAL.format(markers=markers))
    code, found = findings(cli, path)
    assert code == 0
    assert not {f["rule"] for f in found} & {"invalid-answer", "invalid-rating", "schema", "unknown-question"}
    # a bare `no` without evidence is an answer with a missing-evidence warning, not an error
    assert ("missing-evidence", line_of(path, "1: no")) in rules_at(found)


def test_answer_no_is_the_string_no_not_false(tmp_path):
    from scr_audit.review import read_review

    path = write(tmp_path, MINIMAL.format(markers="  QM1:\n    answers:\n      1: no\n      2: yes\n      3: off\n"))
    review = read_review(path).review
    answers = review.entry("QM1").answers
    assert answers[1].answer == "no" and answers[2].answer == "yes" and answers[3].answer == "off"


# ------------------------------------------------------------------------ every rule


def test_invalid_answer_names_the_fix_and_the_line(cli, tmp_path):
    path = write(tmp_path, MINIMAL.format(markers="  QM4:\n    answers:\n      2: maybe\n"))
    result = cli("check", path)
    assert result.exit_code == 1
    line = line_of(path, "2: maybe")
    f = textout.one(result.output, rule="invalid-answer")
    assert (f.file, f.line, f.column, f.severity) == (str(path), line, 10, "error")
    assert f.message == "QM4 question 2: 'maybe' is not an answer; use yes, partly, no, not-yet or not-applicable"


def test_unknown_marker_and_question_with_did_you_mean(cli, tmp_path):
    path = write(tmp_path, MINIMAL.format(markers="  QM19:\n    rating: met\n  QM1:\n    answers:\n      4: yes\n"))
    result = cli("check", path)
    assert result.exit_code == 1
    f = textout.one(result.output, rule="unknown-marker")
    assert (f.line, f.column, f.severity) == (line_of(path, "QM19"), 3, "error")
    assert f.message.startswith("unknown marker 'QM19' (did you mean 'QM9'?)")
    f = textout.one(result.output, rule="unknown-question")
    assert (f.line, f.column) == (line_of(path, "4: yes"), 7) and f.message.startswith("QM1 has no question 4")


def test_invalid_rating(cli, tmp_path):
    path = write(tmp_path, MINIMAL.format(markers="  QM1:\n    rating: mett\n"))
    code, found = findings(cli, path)
    assert code == 1
    (f,) = [f for f in found if f["rule"] == "invalid-rating"]
    assert f["line"] == line_of(path, "rating: mett") and "did you mean 'met'" in f["message"]


def test_unknown_marker_set(cli, tmp_path):
    path = write(tmp_path, MINIMAL.format(markers="").replace("scr-quality-markers", "scr-quality-marker"))
    code, found = findings(cli, path)
    assert code == 1
    assert found[0]["rule"] == "unknown-marker-set" and "did you mean 'scr-quality-markers'" in found[0]["message"]
    assert found[0]["line"] == 2


def test_schema_errors_unknown_field_wrong_type_bad_date(cli, tmp_path):
    text = MINIMAL.format(markers="  QM1:\n    rating: met\n    actions:\n      - action: Do it\n        due: 2025-02-30\n        ower: B\n")
    text = text.replace("  title: Child D\n", "  titel: Child D\n  assessors: {a: 1}\n")
    path = write(tmp_path, text)
    code, found = findings(cli, path)
    assert code == 1
    schema = [f for f in found if f["rule"] == "schema"]
    messages = " | ".join(f["message"] for f in schema)
    assert "review has no field called 'titel'; did you mean 'title'?" in messages
    assert "review has no 'title:' line; add one with the review's anonymised name" in messages
    assert "QM1 action 1 due date: there is no 30 February 2025 (February 2025 has 28 days)" in messages
    assert "QM1 action 1 has no field called 'ower'; did you mean 'owner'?" in messages
    assert "review assessors should be a list, one '- ' line per item, not a group of 'key: value' lines" in messages
    assert {f["line"] for f in schema} >= {line_of(path, "titel"), line_of(path, "due: 2025-02-30"), line_of(path, "ower")}


def test_a_schema_error_does_not_hide_the_rest_of_the_file(cli, tmp_path):
    text = MINIMAL.format(markers="  QM1:\n    actions:\n      - action: x\n        due: 2025-02-30\n  QM2:\n    answers:\n      1: maybe\n")
    code, found = findings(cli, path := write(tmp_path, text))
    assert {"schema", "invalid-answer"} <= {f["rule"] for f in found}
    assert ("invalid-answer", line_of(path, "1: maybe")) in rules_at(found)


def test_date_order(cli, write_review):
    path = write_review(dates={"incident": date(2025, 1, 10), "decision": date(2025, 2, 1), "completed": date(2025, 6, 1), "published": date(2025, 5, 1)})
    code, found = findings(cli, path)
    assert code == 1
    (f,) = [f for f in found if f["rule"] == "date-order"]
    assert f["line"] == line_of(path, "published: 2025-05-01")
    assert "published (2025-05-01) is before completed (2025-06-01)" in f["message"]


def test_unanswered_and_unrated_are_errors_at_end_and_info_before(cli, write_review):
    end = write_review(answer=lambda m, q: None if (m, q) == ("QM3", 2) else "yes", rating=lambda m: None if m == "QM5" else "met")
    code, found = findings(cli, end)
    assert code == 1
    assert {(f["rule"], f["severity"]) for f in found} == {("unanswered-question", "error"), ("unrated-marker", "error")}
    assert next(f for f in found if f["rule"] == "unanswered-question")["line"] == line_of(end, "QM3:") + 3
    progressive = write_review(stage="progressive", answer=lambda m, q: None if (m, q) == ("QM3", 2) else "yes", rating=lambda m: None if m == "QM5" else "met")
    code, found = findings(cli, progressive)
    assert code == 0
    assert {(f["rule"], f["severity"]) for f in found} == {("unanswered-question", "info"), ("unrated-marker", "info")}


def test_not_yet_at_end(cli, write_review):
    path = write_review(answer=lambda m, q: "not-yet" if (m, q) == ("QM8", 3) else "yes")
    code, found = findings(cli, path)
    assert code == 1 and [f["rule"] for f in found] == ["not-yet-at-end"]


def test_missing_evidence_for_no_partly_and_na(cli, write_review):
    answers = {("QM1", 1): "no", ("QM1", 2): "partly", ("QM1", 3): "n/a"}
    path = write_review(answer=lambda m, q: answers.get((m, q), "yes"), evidence=lambda m, q: None if (m, q) in answers else "ok", rating=lambda m: "partly-met" if m == "QM1" else "met", actions=lambda m: [{"action": "Fix referral form", "owner": "Business manager", "due": date(2027, 1, 31)}] if m == "QM1" else [])
    code, found = findings(cli, path)
    assert code == 0
    assert sorted(f["message"].split(":")[0] for f in found if f["rule"] == "missing-evidence") == ["QM1 question 1", "QM1 question 2", "QM1 question 3"]
    na = next(f for f in found if "question 3" in f["message"])
    assert "reason" in na["message"]


def test_rating_contradicts_answers(cli, write_review):
    path = write_review(answer=lambda m, q: "no" if m == "QM2" else "yes", rating=lambda m: "met")
    code, found = findings(cli, path)
    (f,) = [f for f in found if f["rule"] == "rating-contradicts-answers"]
    assert f["severity"] == "warning" and "QM2 is rated met but its answers suggest not-met" in f["message"]
    # one step apart is a judgement, not a contradiction
    path = write_review(answer=lambda m, q: "partly" if m == "QM2" else "yes", rating=lambda m: "met")
    assert not [f for f in findings(cli, path)[1] if f["rule"] == "rating-contradicts-answers"]


def test_missing_vague_and_overdue_actions(cli, write_review):
    acts = {
        "QM6": [{"action": "Review the template", "due": date(2027, 3, 1)}],
        "QM7": [{"action": "Agree sign-off", "owner": "Chair", "due": date(2020, 1, 1), "status": "open"}],
        "QM8": [{"action": "Done already", "owner": "Chair", "due": date(2020, 1, 1), "status": "done"}],
    }
    ratings = {"QM5": "not-met", "QM6": "partly-met", "QM7": "partly-met"}
    path = write_review(rating=lambda m: ratings.get(m, "met"), actions=lambda m: acts.get(m, []), answer=lambda m, q: "partly" if m in ratings else "yes")
    code, found = findings(cli, path)
    by_rule = {}
    for f in found:
        by_rule.setdefault(f["rule"], []).append(f)
    assert [f["message"].split(" ")[0] for f in by_rule["missing-action"]] == ["QM5"]
    assert "QM6 action 1 has no owner" in by_rule["vague-action"][0]["message"]
    assert [f["severity"] for f in by_rule["overdue-action"]] == ["info"]
    assert "QM7 action 1 was due 2020-01-01" in by_rule["overdue-action"][0]["message"]


def test_slow_review_unless_delay_reasons(cli, write_review):
    slow = {"decision": date(2025, 2, 14), "completed": date(2025, 9, 30)}
    code, found = findings(cli, write_review(dates=slow))
    (f,) = found
    assert f["rule"] == "slow-review" and "7.5 months" in f["message"] and "6-month" in f["message"]
    assert findings(cli, write_review(dates=slow, delay_reasons="Parallel criminal trial until June."))[1] == []
    in_time = {"decision": date(2025, 2, 14), "completed": date(2025, 8, 14)}
    assert findings(cli, write_review(dates=in_time))[1] == []


@pytest.mark.parametrize(
    "text,kind",
    [
        ("NHS number 943 476 5919 on file", "an NHS number"),
        ("family moved to SW1A 1AA in May", "a UK postcode"),
        ("NI QQ 12 34 56 C", "a National Insurance number"),
        ("Child DOB: 03/03/2019", "a date of birth"),
        ("born 3 March 2019 at home", "a date of birth"),
        ("mother's e-mail jo@example.org", "an e-mail address"),
        ("called on 07700 900123", "a UK phone number"),
        ("switchboard 020 7946 0000", "a UK phone number"),
    ],
)
def test_personal_data_is_found_and_quoted(cli, write_review, text, kind):
    path = write_review(evidence=lambda m, q: text if (m, q) == ("QM10", 2) else "ok")
    code, found = findings(cli, path)
    assert code == 0
    (f,) = found
    assert f["rule"] == "personal-data" and f["severity"] == "warning"
    assert f["line"] == line_of(path, text)
    assert f["message"].startswith("QM10 question 2 evidence: looks like " + kind)


def test_personal_data_false_alarms_stay_quiet(cli, write_review):
    texts = ["Minutes of 03/03/2025 panel", "NHS number 943 476 5918 (bad check digit)", "Section 4.2, pages 12-14", "met on 2025-01-10 with 12 staff"]
    path = write_review(evidence=lambda m, q: texts[q % len(texts)])
    assert findings(cli, path)[1] == []


def test_marker_set_version(cli, tmp_path, qm):
    path = write(tmp_path, review_text(qm).replace('marker-set-version: "2016"', 'marker-set-version: "2015"'))
    code, found = findings(cli, path)
    assert code == 0 and [(f["rule"], f["line"]) for f in found] == [("marker-set-version", 3)]


# ---------------------------------------------------------------------- hostile input

ALIAS_BOMB = "\n".join(
    ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    + [f"{c}: &{c} [{', '.join(['*' + p] * 9)}]" for p, c in zip("abcdefgh", "bcdefghi")]
) + "\n"

HOSTILE = {
    "empty file": ("", "not-a-review", None),
    "only a comment": ("# nothing here\n", "not-a-review", None),
    "top-level list": ("- scr-audit: 1\n- marker-set: x\n", "not-a-review", 1),
    "a plain value": ("hello\n", "not-a-review", 1),
    "no version": ("marker-set: scr-quality-markers\nreview: {title: x, stage: end}\n", "not-a-review", 1),
    "unsupported version": ("scr-audit: 2\nmarker-set: scr-quality-markers\n", "not-a-review", 1),
    "broken indentation": ("scr-audit: 1\nreview:\n  title: x\n stage: end\n", "yaml-syntax", 4),
    "tabs": ("scr-audit: 1\nreview:\n\ttitle: x\n", "yaml-syntax", 3),
    "duplicate keys": ("scr-audit: 1\nmarker-set: scr-quality-markers\nreview: {title: x, stage: end}\nmarkers:\n  QM1: {rating: met}\n  QM1: {rating: not-met}\n", "yaml-syntax", 6),
    "unclosed quote": ('scr-audit: 1\nreview:\n  title: "Child D\n', "yaml-syntax", 4),
    "python tag": ("scr-audit: 1\nx: !!python/object/apply:os.system ['touch /tmp/scr-audit-pwned']\n", "yaml-syntax", 2),
    "custom tag": ("scr-audit: 1\nmarker-set: !env SET\n", "yaml-syntax", 2),
    "alias bomb": ("scr-audit: 1\n" + ALIAS_BOMB, "yaml-syntax", None),
    "deep nesting": ("scr-audit: 1\nx: " + "[" * 20000 + "]" * 20000 + "\n", "yaml-syntax", 2),
    "control character": ("scr-audit: 1\nreview:\n  title: \"a\x01b\"\n", "yaml-syntax", 3),
    "two documents": ("scr-audit: 1\n---\nscr-audit: 1\n", "yaml-syntax", 2),
    "wrong types": ("scr-audit: 1\nmarker-set: scr-quality-markers\nreview: [title]\nmarkers: 3\n", "schema", 3),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_input_is_a_located_finding_not_a_traceback(cli, tmp_path, case):
    text, rule, line = HOSTILE[case]
    path = write(tmp_path, text)
    started = time.monotonic()
    result = cli("check", path)
    assert time.monotonic() - started < 20, "must not hang"
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    f = [f for f in textout.findings(result.output) if f.rule == rule][0]
    assert f.file == str(path) and f.severity == "error" and (line is None or f.line == line), result.output


def test_python_tags_are_never_constructed(cli, tmp_path):
    marker = Path("/tmp/scr-audit-pwned")
    marker.unlink(missing_ok=True)
    path = write(tmp_path, "scr-audit: 1\nx: !!python/object/apply:os.system ['touch /tmp/scr-audit-pwned']\n")
    cli("check", path)
    assert not marker.exists()


@pytest.mark.parametrize(
    "data,rule,where",
    [
        (b"scr-audit: 1\nreview:\n  title: Caf\xe9\n", "yaml-syntax", ":3:13:"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "yaml-syntax", ":3:1:"),
    ],
)
def test_non_utf8_and_binary(cli, tmp_path, data, rule, where):
    path = write(tmp_path, data)
    result = cli("check", path)
    assert result.exit_code == 1
    f = textout.one(result.output, rule=rule)
    assert f":{f.line}:{f.column}:" == where and f.severity == "error"


def test_file_over_the_size_limit_is_refused_before_parsing(cli, tmp_path):
    path = tmp_path / "big.yaml"
    with path.open("w") as fh:
        fh.write("scr-audit: 1\nnotes: |\n")
        line = "  " + "x" * 1000 + "\n"
        for _ in range(6 * 1024):
            fh.write(line)
    result = cli("check", path)
    assert result.exit_code == 1
    f = textout.one(result.output, rule="yaml-syntax")
    assert (f.line, f.column) == (1, 1) and f.message.startswith("file is 5.9 MB, over the 5 MB limit")


def test_utf8_bom_and_utf16_files_are_read(cli, tmp_path, qm):
    text = review_text(qm)
    assert cli("check", write(tmp_path, b"\xef\xbb\xbf" + text.encode("utf-8"), "bom.yaml")).exit_code == 0
    assert cli("check", write(tmp_path, text.encode("utf-16"), "u16.yaml")).exit_code == 0


def test_one_bad_file_never_stops_a_folder(cli, tmp_path, qm):
    folder = tmp_path / "reviews"
    (folder / "sub").mkdir(parents=True)
    write(folder, review_text(qm, title="Child A"), "a.yaml")
    write(folder, "scr-audit: 1\nreview: [\n", "b-broken.yaml")
    write(folder, "name: some other config\nversion: 3\n", "c-config.yml")
    write(folder / "sub", review_text(qm, title="Child D"), "d.yaml")
    write(folder, "not yaml at all", "notes.txt")
    write(folder, "scr-audit: 1\n", ".hidden.yaml")
    result = cli("check", folder)
    assert result.exit_code == 1
    out = result.output
    assert "Child A" in out and "Child D" in out
    found = textout.findings(out)
    assert [(f.file.rsplit("/", 1)[-1], f.rule) for f in found if f.severity == "error"] == [
        ("b-broken.yaml", "yaml-syntax"),
        ("c-config.yml", "not-a-review"),
    ]
    assert not any("notes.txt" in f.file or ".hidden" in f.file for f in found)
    assert "4 files checked (2 reviews)" in out
    # and it says what it left out, and why
    assert "Left out 1 file not named .yaml or .yml (notes.txt) and 1 hidden file (.hidden.yaml)." in out


# ------------------------------------------------------------------- options and output


def test_json_output_shape(cli, write_review):
    path = write_review(answer=lambda m, q: "maybe" if (m, q) == ("QM1", 1) else "yes")
    result = cli("check", "--format", "json", path)
    doc = json.loads(result.output)
    (f,) = doc["files"]
    assert f["title"] == "Child D" and f["stage"] == "end" and f["answered"] == 107 and f["rated"] == 18
    assert f["score"]["percent"] == 100.0 and f["errors"] == 1
    assert f["findings"][0] == {
        "file": str(path),
        "line": 20,
        "column": 19,
        "severity": "error",
        "rule": "invalid-answer",
        "message": "QM1 question 1: 'maybe' is not an answer; use yes, partly, no, not-yet or not-applicable",
        "marker": None,
        "question": None,
    }
    assert doc["totals"] == {"files": 1, "reviews": 1, "errors": 1, "warnings": 0, "infos": 0}
    assert doc["format"] == 1 and doc["left-out"] == []


def test_fail_on_and_ignore(cli, write_review):
    path = write_review(answer=lambda m, q: "no" if (m, q) == ("QM1", 1) else "yes", evidence=lambda m, q: None if (m, q) == ("QM1", 1) else "ok")
    assert cli("check", path).exit_code == 0
    assert cli("check", "--fail-on", "warning", path).exit_code == 1
    assert cli("check", "--fail-on", "warning", "--ignore", "missing-evidence", path).exit_code == 0
    bad = cli("check", "--ignore", "no-such-rule", path)
    assert bad.exit_code == 2 and "there is no rule called 'no-such-rule'" in bad.output


def test_missing_path_is_exit_2(cli, tmp_path):
    result = cli("check", tmp_path / "nope.yaml")
    assert result.exit_code == 2 and "no such file or folder" in result.output


def test_folder_without_yaml_is_exit_2(cli, tmp_path):
    result = cli("check", tmp_path)
    assert result.exit_code == 2 and "Nothing to check: no .yaml or .yml files in" in result.output


def test_closing_table_of_files(cli, write_review):
    cli_out = cli("check", write_review(title="Child K", stage="progressive", answer=lambda m, q: "yes" if m == "QM1" else None, rating=lambda m: "met" if m == "QM1" else None)).output
    row = next(line for line in cli_out.splitlines() if "Child K" in line)
    assert "progressive" in row and "3/107" in row and "1/18" in row and "100%" in row


def test_jobs_gives_the_same_findings_as_one_process(cli, tmp_path, qm):
    for i in range(40):
        bad = {("QM1", 1): "maybe"} if i % 3 == 0 else {}
        write(tmp_path, review_text(qm, title=f"Child {i}", answer=lambda m, q, b=bad: b.get((m, q), "yes")), f"r{i:02}.yaml")
    write(tmp_path, "scr-audit: [\n", "zz-broken.yaml")
    one = cli("check", "--format", "json", "--jobs", "1", tmp_path)
    many = cli("check", "--format", "json", "--jobs", "2", tmp_path)
    assert one.exit_code == many.exit_code == 1
    assert json.loads(one.output) == json.loads(many.output)


def test_personal_data_in_a_long_note_points_at_its_own_line(cli, tmp_path):
    text = MINIMAL.format(
        markers="  QM1:\n    answers:\n      1:\n        answer: yes\n        evidence: >-\n"
        "          The referral was clear and timely.\n"
        "          The form gave NHS 943 476 5919 and the\n"
        "          family's address at SW1A 1AA.\n"
    )
    path = write(tmp_path, text)
    _, found = findings(cli, path)
    located = {(f["line"], f["column"]) for f in found if f["rule"] == "personal-data"}
    assert located == {(line_of(path, "943 476"), 29), (line_of(path, "SW1A"), 31)}


def test_as_of_date_decides_what_is_overdue(cli, write_review):
    acts = {"QM5": [{"action": "Agree the plan", "owner": "Chair", "due": date(2027, 1, 31), "status": "open"}]}
    path = write_review(rating=lambda m: "partly-met" if m == "QM5" else "met", answer=lambda m, q: "partly" if m == "QM5" else "yes", actions=lambda m: acts.get(m, []))
    assert findings(cli, path, "--as-of", "2026-11-22")[1] == []
    _, found = findings(cli, path, "--as-of", "2027-02-01")
    assert [f["rule"] for f in found] == ["overdue-action"]
    bad = cli("check", path, "--as-of", "2027-02-30")
    assert bad.exit_code == 2 and "there is no 30 February 2027" in bad.output


# ------------------------------------------------------------- conclusion and suggestions


def test_missing_conclusion_warns_at_the_end_only(cli, write_review):
    code, found = findings(cli, write_review(conclusion=None))
    assert code == 0 and [(f["rule"], f["severity"]) for f in found] == [("missing-conclusion", "warning")]
    code, found = findings(cli, write_review(conclusion=None, stage="progressive"))
    assert "missing-conclusion" not in {f["rule"] for f in found}
    code, found = findings(cli, write_review(conclusion="  "))
    assert "missing-conclusion" in {f["rule"] for f in found}


def test_a_suggestion_is_not_an_answer_until_confirmed(cli, write_review):
    def answer(m: str, q: int) -> str:
        return "yes"

    def evidence(m: str, q: int) -> str:
        return "Scanned: p. 3." if (m, q) == ("QM1", 1) else "Minutes of the panel."

    path = write_review(answer=answer, evidence=evidence)
    text = path.read_text(encoding="utf-8").replace('evidence: "Scanned: p. 3."}', 'evidence: "Scanned: p. 3.", suggested-by: scan}')
    path.write_text(text, encoding="utf-8")
    code, found = findings(cli, path)
    assert code == 0
    assert [(f["rule"], f["severity"]) for f in found] == [("unconfirmed-suggestion", "warning")]
    report = json.loads(cli("check", "--format", "json", path).output)["files"][0]
    assert report["answered"] == report["questions"] - 1  # not counted as the assessor's answer
    path2 = write_review(answer=answer, evidence=evidence, stage="progressive")
    path2.write_text(path2.read_text(encoding="utf-8").replace('"Scanned: p. 3."}', '"Scanned: p. 3.", suggested-by: scan}'), encoding="utf-8")
    code, found = findings(cli, path2)
    assert {(f["rule"], f["severity"]) for f in found if f["rule"] == "unconfirmed-suggestion"} == {("unconfirmed-suggestion", "info")}
    assert "unanswered-question" not in {f["rule"] for f in found}
