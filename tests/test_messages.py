"""Every message in plain words: no library jargon, no backticks, no rule id inside a sentence.

A corpus of broken review files and marker sets goes through `check`, `assess` (piped),
`summary` and `markers validate`, as a newcomer would meet them; every line printed is
searched for the phrases pydantic, ruamel.yaml and click use, for backticks, and for a
rule name anywhere but at the end of a finding, in brackets.
"""

from __future__ import annotations

import re
import shutil
import typing
from datetime import date
from pathlib import Path

import pytest

from conftest import BUNDLED, review_text
from scr_audit.rules import RULES
from scr_audit.validation import field_issues, impossible_date, review_subject, set_subject, yaml_problem

#: Words the libraries underneath use, which a reviewer should never have to read.
LIBRARY_PHRASES = [
    "Input should", "input should", "Field required", "String should", "List should", "Dictionary should",
    "validation error", "Value error,", "Assertion failed", "Extra inputs", "Unexpected keyword argument",
    "Missing required argument", "type=", "input_value", "input_type", "errors.pydantic.dev", "should be a valid",
    "pydantic", "ruamel", "Traceback", "NoneType", "_type", "literal_error", "model_type", "dataclass",
    "mapping values are not allowed", "could not find expected", "did not find expected", "while parsing",
    "while scanning", "found character", "block mapping", "block end", "<block", "cannot start any token",
    "expected <", "found unexpected", "found undefined", "in the range x", "x>=", "x<=", "is not in the range",
    "a mapping", "should be a mapping", "markers.QM", "actions.0", "answers.1", "review.dates", "[type",
    "Datetimes provided", "input is too short", "outside expected range", "Object has no attribute",
]


def offences(text: str) -> list[str]:
    """What is wrong with one command's output, line by line."""
    found = []
    # a rule that shares its name with a field of the file (marker-set-version) may be named as the field
    names = sorted(set(RULES) - {"marker-set-version"}, key=len, reverse=True)
    rule_word = re.compile(r"(?<![\w\[-])(" + "|".join(re.escape(r) for r in names) + r")(?![\w\]-])")
    for line in text.splitlines():
        for phrase in LIBRARY_PHRASES:
            if phrase in line:
                found.append(f"library phrase {phrase!r}: {line}")
        if "`" in line:
            found.append(f"backtick: {line}")
        for m in rule_word.finditer(line):
            word = m.group(1)
            if word == "schema" and re.search(r"(JSON|the) [Ss]chema", line):
                continue
            found.append(f"rule id {word!r} inside a sentence: {line}")
    return found


# ------------------------------------------------------------- every pydantic error type

CONTEXT = {
    "attribute": "a", "error": "it is not right", "method_name": "m", "class_name": "C", "gt": 1, "ge": 1, "lt": 9,
    "le": 9, "multiple_of": 2, "field_type": "List", "min_length": 1, "max_length": 2, "actual_length": 0,
    "pattern": "^a$", "expected": "'a' or 'b'", "encoding": "utf-8", "encoding_error": "bad", "tz_expected": 0,
    "tz_actual": 1, "class": "C", "discriminator": "d", "expected_schemes": "http", "expected_version": 4,
    "max_digits": 1, "decimal_places": 1, "whole_digits": 1, "expected_tags": "'a'", "tag": "t",
}


def every_error_type() -> list[str]:
    from pydantic_core import core_schema

    return list(typing.get_args(core_schema.ErrorType))


@pytest.mark.parametrize("kind", every_error_type())
@pytest.mark.parametrize("value", ["maybe", 3, None, ["x"], {"a": 1}, "2025-02-30"])
def test_every_pydantic_error_type_becomes_a_plain_sentence(kind, value):
    from pydantic_core import ValidationError

    error = ValidationError.from_exception_data(
        "ReviewFile", [{"type": kind, "loc": ("markers", "QM1", "actions", 0, "owner"), "input": value, "ctx": CONTEXT}]
    )
    (issue,) = field_issues(error, {}, subject=review_subject, hints={"owner": "Who will make sure it is done"})
    assert issue.message.startswith("QM1 action 1"), issue.message
    assert offences(issue.message) == [], issue.message
    assert error.errors()[0]["msg"] not in issue.message


def test_the_messages_people_met_are_now_plain(tmp_path, cli):
    text = """\
scr-audit: 1
marker-set: scr-quality-markers
review:
  title: ""
  stage: end
  dates: {decision: 2025-02-30}
markers:
  QM1:
    actions:
      - owner: LSCB
  QM2:
    answers: {1: yes}
    rating: 1
"""
    path = tmp_path / "r.yaml"
    path.write_text(text, encoding="utf-8")
    out = cli("check", "--format", "json", path).output
    import json

    messages = [f["message"] for f in json.loads(out)["files"][0]["findings"] if f["rule"] == "schema"]
    assert "review title is empty; after 'title:' write the review's anonymised name, e.g. 'Child D'" in messages
    assert "the decision date: there is no 30 February 2025 (February 2025 has 28 days); check the day and the month" in messages
    assert "QM1 action 1 has no 'action:' line; add one with what will be done" in messages


@pytest.mark.parametrize(
    "text, words",
    [
        ("2025-02-30", "there is no 30 February 2025"),
        ("2024-02-30", "there is no 30 February 2024"),
        ("2023-02-29", "there is no 29 February 2023"),
        ("2025-04-31", "there is no 31 April 2025"),
        ("2025-13-01", "there is no month 13"),
        ("2025-00-10", "there is no month 0"),
        ("2025-01-00", "there is no day 0"),
    ],
)
def test_impossible_dates_are_named(text, words):
    assert impossible_date(text).startswith(words)


def test_real_dates_are_not_called_impossible():
    assert impossible_date("2024-02-29") is None and impossible_date("2025-12-31") is None
    assert impossible_date("next week") is None and impossible_date(date(2025, 1, 1)) is None


def test_an_unknown_yaml_complaint_still_gets_plain_words():
    message = yaml_problem("while frobnicating a widget found a gizmo")
    assert offences(message) == [] and "not valid YAML" in message


def test_set_locations_are_named_in_words():
    assert set_subject(("questions", 1, "text")) == "question 2 text"
    assert set_subject(("answer-scale", 0, "score")) == "answer-scale item 1 score"


# ------------------------------------------------------------------- the broken files

MINIMAL = "scr-audit: 1\nmarker-set: scr-quality-markers\nreview:\n  title: Child D\n  stage: {stage}\n{rest}"

BROKEN_REVIEWS = {
    "empty": "",
    "comment only": "# nothing\n",
    "list": "- a\n- b\n",
    "plain value": "hello\n",
    "no version": "marker-set: scr-quality-markers\n",
    "version 2": "scr-audit: 2\n",
    "version text": "scr-audit: one\n",
    "bad indentation": "scr-audit: 1\nreview:\n  title: x\n stage: end\n",
    "tab": "scr-audit: 1\nreview:\n\ttitle: x\n",
    "duplicate key": "scr-audit: 1\nscr-audit: 1\n",
    "unclosed quote": 'scr-audit: 1\nreview:\n  title: "Child D\n',
    "colon in text": "scr-audit: 1\nreview:\n  title: Child: D\n",
    "at sign": "scr-audit: 1\nreview:\n  title: @child\n",
    "backtick": "scr-audit: 1\nreview:\n  title: `x`\n",
    "alias": "scr-audit: 1\nreview:\n  title: *child\n",
    "anchor": "scr-audit: 1\nreview:\n  title: &\n",
    "unclosed flow": "scr-audit: 1\nreview: {title: x, stage: end\n",
    "unclosed list": "scr-audit: 1\nmarkers: [a, b\n",
    "bad escape": 'scr-audit: 1\nreview: "a\\qb"\n',
    "text after quote": 'scr-audit: 1\nreview: "a" b\n',
    "two documents": "scr-audit: 1\n---\nscr-audit: 1\n",
    "yaml directive": "%YAML 2.0\n---\nscr-audit: 1\n",
    "python tag": "scr-audit: 1\nx: !!python/object/apply:os.system ['true']\n",
    "custom tag": "scr-audit: 1\nmarker-set: !env SET\n",
    "merge key": "scr-audit: 1\nbase: &b {a: 1}\nreview:\n  <<: *b\n",
    "control character": 'scr-audit: 1\nreview:\n  title: "a\x01b"\n',
    "list item misplaced": "scr-audit: 1\nreview:\n  title: x\n  - y\n",
    "nul byte": "scr-audit: 1\x00\n",
    "empty title": MINIMAL.format(stage="end", rest="").replace("Child D", '""'),
    "missing title": "scr-audit: 1\nmarker-set: scr-quality-markers\nreview:\n  stage: end\n",
    "missing review": "scr-audit: 1\nmarker-set: scr-quality-markers\n",
    "missing marker-set": "scr-audit: 1\nreview: {title: x, stage: end}\n",
    "review a list": "scr-audit: 1\nmarker-set: scr-quality-markers\nreview: [title]\n",
    "review a word": "scr-audit: 1\nmarker-set: scr-quality-markers\nreview: yes\n",
    "bad stage": MINIMAL.format(stage="ending", rest=""),
    "stage a number": MINIMAL.format(stage="3", rest=""),
    "bad assessment": MINIMAL.format(stage="end", rest="  assessment: mine\n"),
    "unknown review field": MINIMAL.format(stage="end", rest="  titel: x\n"),
    "unknown top field": MINIMAL.format(stage="end", rest="notes: x\n"),
    "underscore field": MINIMAL.format(stage="end", rest="  delay_reasons: x\n"),
    "assessors a mapping": MINIMAL.format(stage="end", rest="  assessors: {a: 1}\n"),
    "assessors with a list": MINIMAL.format(stage="end", rest="  assessors: [[a]]\n"),
    "impossible date": MINIMAL.format(stage="end", rest="  dates:\n    decision: 2025-02-30\n"),
    "month 13": MINIMAL.format(stage="end", rest="  dates:\n    decision: 2025-13-01\n"),
    "date as words": MINIMAL.format(stage="end", rest="  dates:\n    decision: next week\n"),
    "date with time": MINIMAL.format(stage="end", rest="  assessed-on: 2025-01-01 10:00\n"),
    "date as number": MINIMAL.format(stage="end", rest="  assessed-on: 20250101\n"),
    "dates a list": MINIMAL.format(stage="end", rest="  dates: [2025-01-01]\n"),
    "unknown date": MINIMAL.format(stage="end", rest="  dates:\n    started: 2025-01-01\n"),
    "dates out of order": MINIMAL.format(stage="end", rest="  dates:\n    decision: 2025-03-01\n    referral: 2025-04-01\n"),
    "markers a list": MINIMAL.format(stage="end", rest="markers: [QM1]\n"),
    "marker a word": MINIMAL.format(stage="end", rest="markers:\n  QM1: yes\n"),
    "unknown marker": MINIMAL.format(stage="end", rest="markers:\n  QM19: {rating: met}\n"),
    "unknown marker field": MINIMAL.format(stage="end", rest="markers:\n  QM1:\n    ratng: met\n"),
    "answers a list": MINIMAL.format(stage="end", rest="markers:\n  QM1:\n    answers: [yes, no]\n"),
    "answer a list": MINIMAL.format(stage="end", rest="markers:\n  QM1:\n    answers:\n      1: [yes]\n"),
    "answer value a mapping": MINIMAL.format(stage="end", rest="markers:\n  QM1:\n    answers:\n      1: {answer: {a: b}}\n"),
    "unknown answer field": MINIMAL.format(stage="end", rest="markers:\n  QM1:\n    answers:\n      1: {answer: yes, evidance: x}\n"),
    "bad answer": MINIMAL.format(stage="end", rest="markers:\n  QM1:\n    answers:\n      1: maybe\n"),
    "answer true": MINIMAL.format(stage="end", rest="markers:\n  QM1:\n    answers:\n      1: true\n"),
    "unknown question": MINIMAL.format(stage="end", rest="markers:\n  QM1:\n    answers:\n      9: yes\n"),
    "question word": MINIMAL.format(stage="end", rest="markers:\n  QM1:\n    answers:\n      first: yes\n"),
    "bad rating": MINIMAL.format(stage="end", rest="markers:\n  QM1:\n    rating: mett\n"),
    "rating a list": MINIMAL.format(stage="end", rest="markers:\n  QM1:\n    rating: [met]\n"),
    "not yet at end": MINIMAL.format(stage="end", rest="markers:\n  QM1:\n    answers:\n      1: not-yet\n"),
    "actions a mapping": MINIMAL.format(stage="end", rest="markers:\n  QM1:\n    actions: {action: x}\n"),
    "action a word": MINIMAL.format(stage="end", rest="markers:\n  QM1:\n    actions: [fix it]\n"),
    "action missing": MINIMAL.format(stage="end", rest="markers:\n  QM1:\n    actions:\n      - owner: BM\n"),
    "action empty": MINIMAL.format(stage="end", rest="markers:\n  QM1:\n    actions:\n      - action: ''\n"),
    "action bad status": MINIMAL.format(stage="end", rest="markers:\n  QM1:\n    actions:\n      - {action: x, status: finished}\n"),
    "action bad due": MINIMAL.format(stage="end", rest="markers:\n  QM1:\n    actions:\n      - {action: x, due: 2025-02-29}\n"),
    "conclusion a list": MINIMAL.format(stage="end", rest="conclusion: [a]\n"),
    "conclusion unknown": MINIMAL.format(stage="end", rest="conclusion:\n  sumary: x\n"),
    "strengths a mapping": MINIMAL.format(stage="end", rest="conclusion:\n  strengths: {a: b}\n"),
    "unknown set": "scr-audit: 1\nmarker-set: scr-quality-marker\nreview: {title: x, stage: end}\n",
    "set a list": "scr-audit: 1\nmarker-set: [a]\nreview: {title: x, stage: end}\n",
    "personal data": MINIMAL.format(stage="end", rest="  delay-reasons: Call 020 7946 0018 or jo@example.org\n"),
}


def file_name(case: str) -> str:
    """Case 7's file (named by number: a name such as 'personal-data.yaml' would look like a rule id)."""
    return f"case {sorted(BROKEN_REVIEWS).index(case):02d}.yaml"


@pytest.fixture
def corpus(tmp_path: Path, qm) -> Path:
    folder = tmp_path / "broken reviews"
    folder.mkdir()
    for name, text in BROKEN_REVIEWS.items():
        (folder / file_name(name)).write_bytes(text.encode("utf-8"))
    (folder / "complete.yaml").write_text(review_text(qm), encoding="utf-8")
    return folder


def test_check_of_the_broken_files_speaks_plainly(cli, corpus):
    result = cli("check", corpus)
    assert result.exit_code == 1
    assert offences(result.output) == []
    for path in sorted(corpus.iterdir()):
        one = cli("check", path)
        assert offences(one.output) == [], path.name


def test_summary_of_the_broken_files_speaks_plainly(cli, corpus):
    result = cli("summary", corpus)
    assert result.exit_code == 1
    assert offences(result.output + result.stderr) == []
    assert "skipped" in result.stderr


#: The walkthrough's own layout of a finding and of its count of the rest: the issue-13
#: developer owns those lines and is rewording them; the messages inside are checked here.
WALKTHROUGH_FINDING = re.compile(r"^\s+(?:\S.*:\d+:\d+|line \d+): (?:error|warning|info) [a-z-]+: (?P<message>.*)$")
WALKTHROUGH_COUNT = re.compile(r"^\s+Not listed here: ")


@pytest.mark.parametrize("name", sorted(BROKEN_REVIEWS))
def test_assess_of_a_broken_file_speaks_plainly(cli, corpus, name):
    path = corpus / file_name(name)
    result = cli("assess", path, input="q\n")
    assert "Traceback" not in result.output
    lines = []
    for line in (result.output + (result.stderr or "")).splitlines():
        m = WALKTHROUGH_FINDING.match(line)
        if WALKTHROUGH_COUNT.match(line):
            continue
        lines.append(m.group("message") if m else line)
    assert offences("\n".join(lines)) == [], result.output


BROKEN_SETS = {
    "unknown key": ("QM1.yaml", "id: QM1\n", "id: QM1\nsummery: x\n"),
    "number zero": ("QM1.yaml", "number: 1\n", "number: 0\n"),
    "number word": ("QM1.yaml", "number: 1\n", "number: one\n"),
    "bad id": ("QM1.yaml", "id: QM1\n", "id: 1 QM\n"),
    "no questions": ("QM3.yaml", "questions:", "questions: []\nold-questions:"),
    "question a number": ("QM4.yaml", "questions:\n", "questions:\n  - 7\n"),
    "choice without options": ("QM4.yaml", "questions:\n", "questions:\n  - {number: 1, text: x, type: choice}\n"),
    "bad type": ("QM4.yaml", "questions:\n", "questions:\n  - {number: 1, text: x, type: essay}\n"),
    "empty statement": ("QM2.yaml", "statement: ", "statement: ''\nold-statement: "),
    "unknown cluster": ("QM7.yaml", "cluster: running", "cluster: runing"),
    "duplicate id": ("QM5.yaml", "id: QM5", "id: QM4"),
    "broken yaml": ("QM3.yaml", "title: Advising board members", "title: [Advising board members"),
    "a list": ("QM6.yaml", None, "- a list\n"),
    "bad score": ("set.yaml", "score: 1", "score: 2"),
    "bad colour": ("set.yaml", "colour: green", "colour: teal"),
    "bad fill": ("set.yaml", "fill: ", "fill: zz"),
    "missing source": ("set.yaml", "source:", "sauce:"),
    "duplicate rating": ("set.yaml", "  - id: partly-met", "  - id: met"),
}


@pytest.mark.parametrize("kind", sorted(BROKEN_SETS))
def test_markers_validate_of_a_broken_set_speaks_plainly(cli, tmp_path, kind):
    name, old, new = BROKEN_SETS[kind]
    directory = tmp_path / "our set"
    shutil.copytree(BUNDLED / "scr-quality-markers", directory)
    path = directory / name
    text = path.read_text(encoding="utf-8")
    if old is None:
        text = new
    else:
        assert old in text, (kind, old)
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    result = cli("markers", "validate", directory)
    assert result.exit_code == 2, result.output
    assert re.search(re.escape(name) + r":\d+(:\d+)?: ", result.output), result.output
    assert offences(result.output) == [], result.output


def test_help_of_every_command_has_no_backticks(cli):
    from scr_audit.cli import main

    ctx_names = main.list_commands(None)  # type: ignore[arg-type]
    texts = [cli("--help").output]
    for name in ctx_names:
        if name == "assess":  # the walkthrough's own help: the issue-13 developer is rewording it
            continue
        texts.append(cli(name, "--help").output)
        sub = main.get_command(None, name)  # type: ignore[arg-type]
        for inner in getattr(sub, "commands", {}):
            texts.append(cli(name, inner, "--help").output)
    for text in texts:
        assert "`" not in text, text
