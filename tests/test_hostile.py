"""The hostile-input corpus, part 1: what a file can hold.

One section per class of the issue (answers shared through aliases, conflicting
duplicates, escape injection, writes the reader would refuse, outputs, patterns over free
text, internal errors, wrong messages), each with the cases the issue names and
variations of our own. Every case is generated here and asserts through `hostile.clean`:
no traceback, no "bug in scr-audit", the exit code, no raw control character on the
terminal, and the message that says what is true. Part 2 (`test_hostile_fs.py`) holds
what the file system and the process can do: special files, links, deep trees,
permissions, full disks, broken pipes, bytes that are not UTF-8.
"""

from __future__ import annotations

import json
import random
import re
from datetime import date
from pathlib import Path

import pytest

from conftest import review_text
from hostile import HOSTILE_TEXT, HOSTILE_YAML, RAW_CONTROL, clean, copy_set, replace_in, strict_json
from scr_audit import personal_data, termtext, yamlio
from scr_audit.errors import WriteRefusedError, YamlLoadError

EV1 = '{answer: yes, evidence: "Evidence for QM1 question 1: minutes of the panel meeting."}'
EV2 = '{answer: yes, evidence: "Evidence for QM1 question 2: minutes of the panel meeting."}'


def findings(cli, path, *extra):
    result = cli("check", "--format", "json", *extra, path)
    doc = strict_json(result.stdout)
    return result, [f for r in doc["files"] for f in r["findings"]]


def line_of(path: Path, needle: str) -> int:
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return i
    raise AssertionError(f"{needle!r} not in {path}")


# ------------------------------------------------------------- anchors and aliases


def test_an_answer_shared_through_an_alias_is_reported_at_the_alias(cli, write_review):
    path = write_review()
    replace_in(path, f"      1: {EV1}", f"      1: &same {EV1}")
    replace_in(path, f"      2: {EV2}", "      2: *same")
    result, found = findings(cli, path)
    clean(result, 0, json_out=True)  # a warning: the values read correctly, the risk is in editing
    alias = [f for f in found if f["rule"] == "yaml-alias"]
    assert len(alias) == 1
    assert alias[0]["severity"] == "warning"
    assert alias[0]["line"] == line_of(path, "2: *same")
    assert "QM1 question 2" in alias[0]["message"] and "(*same)" in alias[0]["message"]
    assert "QM1 question 1" in alias[0]["message"] and "an edit to one is an edit to both" in alias[0]["message"]
    text = clean(cli("check", path), 0)
    assert "yaml-alias" in text


def test_aliases_of_a_note_a_marker_and_a_list_item_are_each_reported(cli, write_review):
    path = write_review(actions=lambda m: [{"action": "Agree a protocol", "owner": "Chair", "due": "2027-01-31"}] if m in ("QM1", "QM2") else [])
    replace_in(path, '"Evidence for QM1 question 3: minutes of the panel meeting."', '&note "Evidence for QM1 question 3"')
    replace_in(path, '"Evidence for QM2 question 1: minutes of the panel meeting."', "*note")
    text = path.read_text(encoding="utf-8")
    text = text.replace("  QM18:\n", "  QM18: &whole\n", 1) + "  QM19: *whole\n"
    path.write_text(text, encoding="utf-8")
    result, found = findings(cli, path)
    clean(result, 1, json_out=True)  # QM19 is an unknown marker: an error of its own
    alias = [f for f in found if f["rule"] == "yaml-alias"]
    assert len(alias) == 2
    assert any("QM2 question 1" in f["message"] and "(*note)" in f["message"] for f in alias)
    assert any("QM19" in f["message"] and "(*whole)" in f["message"] for f in alias)


def test_yamlio_says_which_values_share_an_anchor():
    text = (
        "markers:\n"
        "  QM1:\n"
        "    answers:\n"
        "      1: &a {answer: yes, evidence: x}\n"
        "      2: *a\n"
        "      3: {answer: no, evidence: &n y}\n"
        "      4: {answer: no, evidence: *n}\n"
        "    actions:\n"
        "      - &act {action: a}\n"
        "      - *act\n"
    )
    doc = yamlio.parse(text, "f.yaml")
    assert [(a.path, a.target, a.anchor, a.line) for a in doc.aliases] == [
        (("markers", "QM1", "answers", 2), ("markers", "QM1", "answers", 1), "a", 4),
        (("markers", "QM1", "answers", 4, "evidence"), ("markers", "QM1", "answers", 3, "evidence"), "n", 6),
        (("markers", "QM1", "actions", 1), ("markers", "QM1", "actions", 0), "act", 9),
    ]
    assert doc.uses_aliases
    # changing question 2's answer changes question 1's (and the other way round)
    assert doc.shares(("markers", "QM1", "answers", 2, "answer")) == (("markers", "QM1", "answers", 1, "answer"),)
    assert doc.shares(("markers", "QM1", "answers", 1)) == (("markers", "QM1", "answers", 2),)
    assert doc.shares(("markers", "QM1", "answers", 3, "evidence")) == (("markers", "QM1", "answers", 4, "evidence"),)
    assert doc.shares(("markers", "QM1", "answers", 3, "answer")) == ()
    assert doc.shares(("markers", "QM1", "actions", 0, "owner")) == (("markers", "QM1", "actions", 1, "owner"),)
    plain = yamlio.parse("a: {b: 1}\nc: 'x & y * z'\n", "g.yaml")
    assert plain.aliases == () and not plain.uses_aliases and plain.shares(("a", "b")) == ()


def test_an_alias_bomb_is_refused_and_says_so(cli, tmp_path):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]" for i in range(1, 9)]
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    text = clean(cli("check", path), 1)
    assert "yaml-syntax" in text and "alias bomb" in text


# ---------------------------------------------------------- conflicting duplicates


@pytest.mark.parametrize("second", ['"1"', "01", '" 1 "', "'1'", "0x1", "+1"])
def test_a_question_given_twice_under_keys_that_name_it_is_an_error_at_the_second(cli, write_review, tmp_path, second):
    path = write_review()
    replace_in(path, f"      2: {EV2}", f"      {second}: no\n      2: {EV2}")
    result, found = findings(cli, path)
    clean(result, 1, json_out=True)
    dupes = [f for f in found if f["severity"] == "error" and ("twice" in f["message"] or "duplicate key" in f["message"])]
    assert len(dupes) == 1, found
    assert dupes[0]["line"] == line_of(path, f"{second}: no")
    assert "1" in dupes[0]["message"] and "line" in dupes[0]["message"]
    # export refuses the file with the same finding rather than picking one answer
    out = tmp_path / "record.docx"
    text = clean(cli("export", path, "-o", out), 2)
    assert dupes[0]["message"][:40] in text
    assert not out.exists()


@pytest.mark.parametrize("second", ["qm1", "Qm1", '" QM1 "'])
def test_a_marker_given_twice_in_another_case_is_an_error_at_the_second(cli, write_review, tmp_path, second):
    path = write_review()
    path.write_text(path.read_text(encoding="utf-8").replace("markers:\n", "markers:\n", 1) + f"  {second}:\n    rating: not-met\n", encoding="utf-8")
    # the file ends with the conclusion; the marker after it lands under `conclusion:`, so put it in markers
    text = path.read_text(encoding="utf-8").replace(f"  {second}:\n    rating: not-met\n", "")
    text = text.replace("  QM2:\n", f"  {second}:\n    rating: not-met\n  QM2:\n", 1)
    path.write_text(text, encoding="utf-8")
    result, found = findings(cli, path)
    clean(result, 1, json_out=True)
    dupes = [f for f in found if "is given twice" in f["message"]]
    assert len(dupes) == 1
    assert dupes[0]["rule"] == "schema" and dupes[0]["line"] == line_of(path, f"{second}:")
    assert "'QM1'" in dupes[0]["message"] and "any case" in dupes[0]["message"]
    # every command takes the first, and says the file has an error: none silently takes the second
    summary = strict_json(cli("summary", "--json", path).stdout)
    assert summary["sets"][0]["reviews"][0]["ratings"]["QM1"] == "met"
    assert clean(cli("export", path, "-o", tmp_path / "r.docx"), 2)


def test_one_beside_true_is_not_a_duplicate_key_true(cli, write_review):
    path = write_review()
    replace_in(path, f"      2: {EV2}", f"      true: no\n      2: {EV2}")
    result, found = findings(cli, path)
    text = clean(result, 1, json_out=True)
    assert "duplicate key True" not in text
    unknown = [f for f in found if f["rule"] == "unknown-question"]
    assert len(unknown) == 1 and "has no question true" in unknown[0]["message"]


def test_keys_that_yaml_reads_as_other_types_stay_apart(cli, write_review):
    path = write_review()
    replace_in(path, f"      2: {EV2}", f"      1.0: no\n      null: no\n      2025-01-01: no\n      2: {EV2}")
    result, found = findings(cli, path)
    clean(result, 1, json_out=True)
    unknown = sorted(f["message"] for f in found if f["rule"] == "unknown-question")
    assert unknown == [
        "QM1 has no question 1.0; its questions are numbered 1 to 3",
        "QM1 has no question 2025-01-01; its questions are numbered 1 to 3",
        "QM1 has no question null; its questions are numbered 1 to 3",
    ]


@pytest.mark.parametrize("key", ['"²"', '"١"', '"1²"', "'½'", '"𝟙"'])
def test_a_question_key_of_other_digits_is_an_unknown_question_not_a_crash(cli, write_review, tmp_path, key):
    path = write_review()
    replace_in(path, f"      2: {EV2}", f"      {key}: no\n      2: {EV2}")
    result, found = findings(cli, path)
    clean(result, 1, json_out=True)
    assert [f["rule"] for f in found if f["severity"] == "error"] == ["unknown-question"]
    clean(cli("summary", path), 0)
    clean(cli("export", path, "-o", tmp_path / "r.docx"), 1)  # written, with the error listed in it


# ------------------------------------------------------------ terminal escape injection


def test_a_hostile_title_is_shown_never_obeyed_by_every_command(cli, write_review, tmp_path):
    a = write_review("a.yaml", title="x")
    b = write_review("b.yaml", title="x", rating=lambda m: "partly-met" if m == "QM1" else "met", assessors=("C. Other",))
    for path in (a, b):
        replace_in(path, 'title: "x"', f"title: {HOSTILE_YAML}")
    for args, code in (
        (("check", a), 0),
        (("check", "--format", "json", a), 0),
        (("summary", a, b), 0),
        (("summary", "--csv", a, b), 0),
        (("summary", "--json", a, b), 0),
        (("compare", a, b), 1),
        (("compare", "--format", "json", a, b), 1),
        (("export", a, "-o", tmp_path / "a.docx"), 0),
        (("compare", a, b, "--merge", tmp_path / "agreed.yaml"), 1),
    ):
        text = clean(cli(*args), code, json_out="json" in args or "--json" in args)
        if "json" not in args and "--json" not in args and args[0] != "export":
            assert "\\x1b]0;PWNED\\x07" in text, args  # shown as written, escaped
    assert "PWNED" in clean(cli("export", a, "-o", tmp_path / "b.docx"), 0)  # the "Wrote ... audit record of" line
    merged = tmp_path / "agreed.yaml"
    assert "\\x1b]0;PWNED" in clean(cli("check", merged), 1)  # the merged file holds the title, and reads back


def test_a_users_marker_set_with_escapes_in_its_words_is_shown_escaped(cli, tmp_path, qm):
    our = copy_set(tmp_path)
    replace_in(our / "QM1.yaml", "title: Referral", f"title: {HOSTILE_YAML}")
    replace_in(our / "set.yaml", "title: Serious Case Review Quality Markers", f"title: {HOSTILE_YAML}")
    replace_in(our / "set.yaml", "    title: Setting up the review", f"    title: {HOSTILE_YAML}")
    text = (our / "QM2.yaml").read_text(encoding="utf-8")
    text = re.sub(r"^statement: .*$", lambda m: 'statement: "\\e[2J\\e[H cleared the screen \\e]8;;http://x\\e\\\\link\\e]8;;\\e\\\\"', text, count=1, flags=re.M)
    (our / "QM2.yaml").write_text(text, encoding="utf-8")
    sets = our.parent
    for args in (
        ("markers", "list", "--set", "our-set"),
        ("markers", "list", "--all"),
        ("markers", "show", "QM1", "--set", "our-set", "--full"),
        ("markers", "show", "QM2", "--set", "our-set"),
    ):
        text = clean(cli("--markers", sets, *args), 0)
        assert "\\x1b" in text, args
    clean(cli("markers", "validate", our), 0)
    review = tmp_path / "r.yaml"
    review.write_text(review_text(qm).replace("marker-set: scr-quality-markers", "marker-set: our-set"), encoding="utf-8")
    clean(cli("--markers", sets, "check", review), 0)
    assert "\\x1b" in clean(cli("--markers", sets, "summary", review), 0)
    assert "\\x1b" in clean(cli("--markers", sets, "new", tmp_path / "n.yaml", "--set", "our-set", "--title", "T"), 0)
    result = cli("--markers", sets, "schema", "--set", "our-set")
    clean(result, 0, json_out=True)


def test_the_walkthrough_shows_a_hostile_set_and_title_escaped(cli, tmp_path, qm):
    our = copy_set(tmp_path)
    replace_in(our / "QM1.yaml", "title: Referral", f"title: {HOSTILE_YAML}")
    replace_in(our / "QM1.yaml", "  - number: 1\n    text: ", f"  - number: 1\n    help: {HOSTILE_YAML}\n    text: ")
    path = tmp_path / "r.yaml"
    result = cli("--markers", our.parent, "assess", path, "--set", "our-set", "--title", "Child \x1b[31mQ", "--stage", "end", input="?\ny\n\x1b]0;typed\x07\nq\n")
    text = clean(result, 0)
    assert "\\x1b]0;PWNED" in text and "\\x1b[31m" in text


def test_rich_markup_in_a_title_is_printed_as_written(cli, write_review):
    path = write_review(title="[bold]Child[/bold]")
    text = clean(cli("check", path), 0)
    assert "[bold]Child[/bold]" in text
    text = clean(cli("summary", path), 0)
    assert "[bold]Child[/bold]" in text


def test_an_error_message_quoting_a_file_shows_its_escapes(cli, write_review, tmp_path):
    path = write_review()
    replace_in(path, "marker-set: scr-quality-markers", 'marker-set: "\\e]0;x\\a\\e[5m"')
    text = clean(cli("export", path, "-o", tmp_path / "r.docx"), 2)
    assert "\\x1b]0;x\\x07" in text
    text = clean(cli("markers", "show", "\x1b[31mQM1", "--set", "scr-quality-markers"), 2)
    assert "\\x1b[31mQM1" in text
    text = clean(cli("check", "--ignore", "\x1b]0;rule\x07", path), 2)  # click's own usage error
    assert "\\x1b]0;rule" in text


def test_the_styled_line_builders_escape_what_came_from_the_file():
    import click

    from scr_audit.renderers import file_block, finding_line
    from scr_audit.results import FileReport, Finding

    f = Finding("\x1b]0;name\x07.yaml", 1, 2, "error", "schema", "bad \x1b[31mred\x1b[0m value \u202e")
    line = finding_line(f, click.style)
    escapes = re.findall(r"\x1b\[[0-9;]*m", line)
    assert escapes and all(e in click.style("x", fg="red", bold=True) + click.style("x", dim=True) + "\x1b[0m" for e in escapes)
    assert "\\x1b]0;name\\x07" in line and "\\x1b[31mred\\x1b[0m" in line and "\\u202e" in line
    assert "\x07" not in line and "\x1b]" not in line
    block = file_block(FileReport("\x1b[2J.yaml", findings=[f]), click.style)
    assert "\\x1b[2J" in block[0]
    # the last line of defence passes only colour sequences
    assert termtext.visible_styled("\x1b[1mok\x1b[0m \x1b]0;t\x07 \x1b[2J") == "\x1b[1mok\x1b[0m \\x1b]0;t\\x07 \\x1b[2J"
    assert termtext.visible("a\udcffb\ud800") == "a\\xffb\\ud800"


# -------------------------------------------------- writes the reader would refuse


def test_new_with_a_huge_marker_set_refuses_before_writing(cli, tmp_path):
    our = copy_set(tmp_path)
    long_text = "A question of a user's own set, long enough to make the review file large. " * 40
    questions = "".join(f"  - number: {n}\n    text: {json.dumps(long_text)}\n" for n in range(1, 1201))
    for name in ("QM1.yaml", "QM2.yaml"):  # each file of the set within the limit, the review file not
        head = (our / name).read_text(encoding="utf-8").split("questions:\n", 1)[0]
        (our / name).write_text(head + "questions:\n" + questions, encoding="utf-8")
    clean(cli("markers", "validate", our), 0)  # each file of the set is within the limit
    target = tmp_path / "big.yaml"
    text = clean(cli("--markers", our.parent, "new", target, "--set", "our-set"), 2)
    assert "nothing was written" in text and "over the 5 MB" in text
    assert not target.exists()
    assert not list(tmp_path.glob(".big.yaml.*"))  # no temporary file left behind


def test_the_writer_refuses_yaml_it_could_not_read_back(tmp_path):
    target = tmp_path / "r.yaml"
    target.write_text("scr-audit: 1\n", encoding="utf-8")
    before = target.read_bytes()
    for content, reason in (
        ("note: " + "x" * (yamlio.MAX_BYTES + 10) + "\n", "over the 5 MB"),
        ("a: !!python/object:os.system echo\n", "tag"),
        ("a: 1\na: 2\n", "duplicate key"),
        ("a: [unclosed\n", "not valid YAML"),
        ("a: \udcff\n", "cannot be saved as UTF-8"),
    ):
        with pytest.raises(WriteRefusedError, match=re.escape(reason)):
            yamlio.atomic_write(target, content, overwrite=True)
        assert target.read_bytes() == before
    with pytest.raises(WriteRefusedError, match="over the 5 MB"):
        yamlio.check_readable("x: " + "y" * yamlio.MAX_BYTES, "r.yaml")
    yamlio.check_readable("x: 1\n", "r.yaml")
    # not YAML: written as given
    yamlio.atomic_write(tmp_path / "r.csv", "a,b\n" * 10)
    assert not list(tmp_path.glob(".r.yaml.*"))


def test_a_note_too_long_to_read_back_is_refused_and_the_file_is_intact(cli, tmp_path):
    path = tmp_path / "r.yaml"
    clean(cli("new", path, "--title", "Child Q"), 0)
    before = path.read_bytes()
    result = cli("assess", path, input="y\n" + "x" * (yamlio.MAX_BYTES + 100) + "\nq\n")
    text = result.stdout_bytes.decode("utf-8") + result.stderr_bytes.decode("utf-8")
    assert "Traceback" not in text and "bug in scr-audit" not in text
    assert "over the 5 MB" in text and "nothing was written" in text
    # the file holds what was saved before the note (the answer), and still opens
    after = path.read_bytes()
    assert len(after) < len(before) + 100 and b"xxxxxxxxxx" not in after
    from scr_audit.review import answer_for, read_review

    saved = read_review(path)
    assert not saved.findings and answer_for(saved.review.entry("QM1"), 1)[1].answer == "yes"
    clean(cli("check", path), 1)


# ------------------------------------------------------------------------ outputs


def test_summary_never_writes_over_one_of_its_inputs(cli, write_review, tmp_path):
    path = write_review()
    before = path.read_bytes()
    for fmt in ("--csv", "--json"):
        for name in (path, tmp_path / "." / path.name, tmp_path / "sub" / ".." / path.name):
            (tmp_path / "sub").mkdir(exist_ok=True)
            text = clean(cli("summary", fmt, "-o", name, "--force", path), 2)
            assert "one of the files being read" in text
    link = tmp_path / "link.csv"
    link.symlink_to(path)
    assert "one of the files being read" in clean(cli("summary", "--csv", "-o", link, "--force", tmp_path), 2)
    hard = tmp_path / "hard.csv"
    hard.hardlink_to(path)
    assert "one of the files being read" in clean(cli("summary", "--csv", "-o", hard, "--force", path), 2)
    assert path.read_bytes() == before


@pytest.mark.parametrize("command", ["summary", "schema", "export", "compare-o", "compare-merge"])
def test_no_output_is_a_folder_a_device_or_a_name_that_does_not_fit(cli, write_review, tmp_path, command):
    a = write_review("a.yaml")
    b = write_review("b.yaml")
    other = tmp_path / "other.yaml"
    other.write_text("keep: me\n", encoding="utf-8")

    fits = {"summary": ".csv", "schema": ".json", "export": ".docx", "compare-o": ".docx", "compare-merge": ".yaml"}[command]

    def attempt(target):
        if command == "summary":
            return cli("summary", "--csv", "-o", target, "--force", a)
        if command == "schema":
            return cli("schema", "-o", target, "--force")
        if command == "export":
            return cli("export", a, "-o", target, "--force")
        if command == "compare-o":
            return cli("compare", a, b, "-o", target, "--force")
        return cli("compare", a, b, "--merge", target)

    folder = tmp_path / "folder.docx"
    folder.mkdir()
    assert re.search("is a (folder|directory)", clean(attempt(folder), 2))
    dangling = tmp_path / "dangling.yaml"
    dangling.symlink_to(tmp_path / "nowhere.yaml")
    assert "does not exist" in clean(attempt(dangling), 2)
    if Path("/dev/null").exists():
        assert "not a regular file" in clean(attempt("/dev/null"), 2)
    if command != "compare-merge":  # a review-file name for a CSV, a schema or a record
        assert "is written as" in clean(attempt(other), 2)
        assert other.read_text(encoding="utf-8") == "keep: me\n"
    assert "does not exist" in clean(attempt(tmp_path / "no" / "such" / f"out{fits}"), 2)


def _typed_review(rq, path, marker, number, value):
    text = review_text(rq, answer=lambda m, q: value if (m, q) == (marker, number) else None, evidence=lambda m, q: None, rating=lambda m: None)
    path.write_text(text, encoding="utf-8")
    return path


def test_numbers_that_are_not_finite_never_reach_json(cli, tmp_path, registry):
    rq = registry.get("scr-report-quality")
    m, q = next((m, q) for m in rq.markers for q in m.questions if q.type == "number")
    for value in (".nan", ".inf", "-.Inf", "1e999", "9" * 400):
        files = [_typed_review(rq, tmp_path / name, m.id, q.number, value) for name in ("a.yaml", "b.yaml")]
        result, found = findings(cli, files[0])
        clean(result, 1, json_out=True)
        bad = [f for f in found if f["rule"] == "invalid-answer"]
        assert len(bad) == 1 and "not a finite number" in bad[0]["message"], (value, found)
        clean(cli("summary", "--json", *files), 0, json_out=True)
        text = clean(cli("compare", "--format", "json", *files), 2)  # an invalid answer stops a comparison
        assert "not a finite number" in text


def test_a_number_too_large_to_be_a_figure_is_an_invalid_answer(cli, tmp_path, registry):
    rq = registry.get("scr-report-quality")
    m, q = next((m, q) for m in rq.markers for q in m.questions if q.type == "number")
    path = _typed_review(rq, tmp_path / "r.yaml", m.id, q.number, "1e300")
    result, found = findings(cli, path)
    clean(result, 1, json_out=True)
    assert any("too large to be a figure" in f["message"] for f in found)
    clean(cli("summary", "--json", path, path), 0, json_out=True)


def test_json_is_strict_utf8_whatever_the_text_holds(cli, write_review):
    path = write_review(title="x")
    replace_in(path, 'title: "x"', 'title: "Child \\x85 NEL \\u2028 LS \\u202e RLO \\x7f DEL \\u061c ALM"')
    for args in (("check", "--format", "json"), ("summary", "--json")):
        result = cli(*args, path)
        clean(result, 0, json_out=True)
        doc = strict_json(result.stdout)
        titles = [r["title"] for r in doc["files"]] if "files" in doc else [r["title"] for s in doc["sets"] for r in s["reviews"]]
        assert titles == ["Child \u0085 NEL \u2028 LS \u202e RLO \x7f DEL \u061c ALM"]  # the same text, escaped in the JSON


# ----------------------------------------------------------- patterns over free text


def test_the_email_matcher_finds_what_the_pattern_it_replaces_found():
    old = re.compile(r"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b")
    rng = random.Random(15)
    alphabet = "ab1._-@ .é\n%+Z_"
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 30)))
        assert personal_data._emails(text) == [(m.start(), m.end()) for m in old.finditer(text)], text
    assert [m.text for m in personal_data.find("write to a.person@example.org or b@c.co.uk.")] == ["a.person@example.org", "b@c.co.uk"]


@pytest.mark.parametrize(
    "note",
    [
        "a." * 2000 + "@",
        "a@" + "a-" * 2000,
        "born" + " " * 4000 + "x",
        "date of birth" + " " * 4000 + ":",
        "DOB: " * 1000,
        "@" * 4000,
        "a@b." * 1000,
    ],
)
def test_adversarial_notes_are_checked_and_exported(cli, write_review, tmp_path, note):
    # the time bound for these is in benchmarks/bench.py (1 MB each); here, that they work
    path = write_review(evidence=lambda m, q: note if (m, q) == ("QM1", 1) else "Minutes of the panel meeting.")
    clean(cli("check", path), 0)
    clean(cli("export", path, "-o", tmp_path / "r.docx", "--redact"), 0)


def test_dates_of_birth_are_still_found_with_ordinary_spacing():
    for text, expected in (
        ("DOB: 12/03/2010", "12/03/2010"),
        ("born on  3rd of March 2011", "3rd of March 2011"),
        ("date of birth\n 2010-03-12", "2010-03-12"),
        ("Birth date - March 3, 2011", "March 3, 2011"),
    ):
        assert [m.text for m in personal_data.find(text) if m.kind == "date-of-birth"] == [expected], text


# ---------------------------------------------------------- dates, numbers, versions


@pytest.mark.parametrize(
    "dates",
    [
        {"decision": date(9999, 12, 1), "completed": date(9999, 12, 30), "published": date(9999, 12, 31)},
        {"incident": date(9999, 12, 30), "referral": date(9999, 12, 31)},
        {"decision": date(9999, 7, 1)},
        {"decision": date(1, 1, 1), "completed": date(9999, 12, 31)},
    ],
)
def test_dates_near_the_end_of_the_calendar_never_overflow(cli, write_review, tmp_path, dates):
    path = write_review(dates=dates, delay_reasons=None)
    result, found = findings(cli, path)
    overflow = dates.get("decision", date(1, 1, 1)) > date(9999, 6, 30)
    clean(result, 1 if overflow else 0, json_out=True)
    if overflow:
        bad = [f for f in found if f["severity"] == "error"]
        assert len(bad) == 1 and "too late a date to measure the 6-month expectation" in bad[0]["message"]
    clean(cli("summary", "--json", path), 0, json_out=True)
    out = tmp_path / "r.docx"
    clean(cli("export", path, "-o", out), 2 if overflow else 0)
    if not overflow:
        from docx import Document

        text = "\n".join(c.text for t in Document(str(out)).tables for row in t.rows for c in row.cells)
        assert "day" in text


def test_date_and_time_answers_and_dates_are_findings(cli, tmp_path, registry):
    rq = registry.get("scr-report-quality")
    m, q = next((m, q) for m in rq.markers for q in m.questions if q.type == "date")
    path = _typed_review(rq, tmp_path / "r.yaml", m.id, q.number, "2025-01-01T10:00:00+01:00")
    replace_in(path, "    decision: 2025-02-14", "    decision: 2025-02-14 10:30:00")
    result, found = findings(cli, path)
    clean(result, 1, json_out=True)
    assert any("is a date and time; write the date alone" in f["message"] for f in found), found
    assert any(f["rule"] == "schema" and "decision" in f["message"] for f in found), found
    clean(cli("summary", "--json", path), 0, json_out=True)


@pytest.mark.parametrize(
    "version, words",
    [
        ('"1"', "written as text ('1'); write it as a number, without quotes"),
        ("1.0", "written as 1.0; write it as the whole number"),
        ("true", "unsupported file format version true; this version of scr-audit reads format version 1"),
        ("2", "unsupported file format version 2; this version of scr-audit reads format version 1"),
        ("", "is empty"),
        ("[1]", "should be a number, not a list"),
    ],
)
def test_the_format_version_message_says_what_is_wrong(cli, write_review, version, words):
    path = write_review()
    replace_in(path, "scr-audit: 1\n", f"scr-audit: {version}\n")
    result, found = findings(cli, path)
    clean(result, 1, json_out=True)
    assert [f["rule"] for f in found] == ["not-a-review"]
    assert words in found[0]["message"]
    assert "reads version 1\"" not in found[0]["message"]


@pytest.mark.parametrize(
    "text, words",
    [
        ("title: !!str Child D", "the tag '!!str' is not allowed"),
        ("title: ! Child D", "the tag '!' is not allowed"),
        ("title: !custom Child D", "the tag '!custom' is not allowed"),
        ("title: &t !!str Child D", "the tag '!!str' is not allowed"),
        ("title: !!python/object/apply:os.system [echo]", "is not allowed"),
        ("title: !!binary aGVsbG8=", "the tag '!!binary' is not allowed"),
    ],
)
def test_every_written_tag_is_refused_as_the_readme_says(cli, write_review, text, words):
    path = write_review()
    replace_in(path, '  title: "Child D"', f"  {text}")
    result, found = findings(cli, path)
    clean(result, 1, json_out=True)
    assert [f["rule"] for f in found] == ["yaml-syntax"] and words in found[0]["message"]
    assert found[0]["line"] == line_of(path, text)


def test_text_with_an_exclamation_mark_is_not_a_tag(cli, write_review):
    path = write_review(evidence=lambda m, q: "Good work! See 'p. 4!' and \"x !y\"")
    clean(cli("check", path), 0)


@pytest.mark.parametrize(
    "encoding, words",
    [
        ("utf-32", "this is UTF-32 text; save it as UTF-8"),
        ("utf-32-be", "UTF-32 text without a byte-order mark"),
        ("utf-16-le", "UTF-16 text without a byte-order mark"),
        ("utf-16-be", "UTF-16 text without a byte-order mark"),
        ("latin-1", "not UTF-8 text (byte 0xC9)"),
    ],
)
def test_files_in_other_encodings_are_named_for_what_they_are(cli, write_review, encoding, words):
    path = write_review(title="Child É é")
    path.write_bytes(path.read_text(encoding="utf-8").encode(encoding))
    result, found = findings(cli, path)
    clean(result, 1, json_out=True)
    assert [f["rule"] for f in found] == ["yaml-syntax"]
    assert words in found[0]["message"], found[0]["message"]
    assert "control character" not in found[0]["message"]


def test_too_many_values_are_refused_before_they_are_built(cli, tmp_path):
    path = tmp_path / "flat.yaml"
    path.write_text("[" + ",".join(["a"] * 450_000) + "]\n", encoding="utf-8")
    text = clean(cli("check", path), 1)
    assert "more than 400,000 keys and values" in text
    assert "alias" not in text  # no alias in it, so it does not say so


def test_a_set_whose_timeliness_overflows_the_calendar_is_not_valid(cli, tmp_path):
    our = copy_set(tmp_path)
    for months in ("120000", "99999999999999999999", ".inf", "nan"):
        text = (our / "set.yaml").read_text(encoding="utf-8")
        (our / "set.yaml").write_text(re.sub(r"(timeliness:\n  from: decision\n  to: completed\n  months: )\S+", rf"\g<1>{months}", text), encoding="utf-8")
        out = clean(cli("markers", "validate", our), 2)
        assert "months" in out and "not a valid marker set" in out
    for bad in ("score: .nan", "score: nan", "score: inf"):
        text = (our / "set.yaml").read_text(encoding="utf-8")
        text = re.sub(r"(timeliness:\n  from: decision\n  to: completed\n  months: )\S+", r"\g<1>6", text)
        (our / "set.yaml").write_text(text.replace("score: 1", bad, 1), encoding="utf-8")
        assert "not a valid marker set" in clean(cli("markers", "validate", our), 2)
        (our / "set.yaml").write_text(text, encoding="utf-8")
    clean(cli("markers", "validate", our), 0)


def test_a_longest_timeliness_expectation_still_cannot_overflow(cli, tmp_path, qm):
    our = copy_set(tmp_path)
    replace_in(our / "set.yaml", "  months: 6\n", "  months: 1200\n")
    for decision, code in ((date(8000, 1, 1), 0), (date(9950, 1, 1), 1)):
        review = tmp_path / "r.yaml"
        dates = {"decision": decision, "completed": date(9999, 12, 31)}
        review.write_text(review_text(qm, dates=dates).replace("marker-set: scr-quality-markers", "marker-set: our-set"), encoding="utf-8")
        result = cli("--markers", our.parent, "check", "--format", "json", review)
        clean(result, code, json_out=True)


# ------------------------------------------------------------------- cost and limits


def test_jobs_never_exceed_the_files_or_the_cores(cli, write_review, monkeypatch):
    import scr_audit.batch as batch

    monkeypatch.setattr(batch, "default_jobs", lambda: 2)
    assert batch.effective_jobs(100_000, 20) == 2
    assert batch.effective_jobs(100_000, 1) == 1
    assert batch.effective_jobs(None, 5) == 2
    assert batch.effective_jobs(0, 5) == 1
    paths = [write_review(f"r{i}.yaml") for i in range(batch.PARALLEL_THRESHOLD + 2)]
    text = clean(cli("check", "-q", "--jobs", "100000", *paths), 0)
    assert f"{len(paths)} files checked" in text


def test_a_record_of_thousands_of_actions_lists_the_first_and_says_how_many_more(cli, write_review, tmp_path):
    from docx import Document

    many = [{"action": f"Action {i}", "owner": "Chair", "due": "2027-01-31"} for i in range(1100)]
    path = write_review(rating=lambda m: "partly-met" if m == "QM1" else "met", actions=lambda m: many if m == "QM1" else [])
    out = tmp_path / "r.docx"
    clean(cli("export", path, "-o", out), 0)
    paragraphs = [p.text for p in Document(str(out)).paragraphs]
    assert "The first 100 of 1,100 actions of this marker are listed; the action plan lists them." in paragraphs
    assert any(p.startswith("The first 1,000 of 1,100 actions are listed;") for p in paragraphs)


def test_actions_shows_hostile_text_escaped_and_its_json_stays_strict(cli, write_review, tmp_path):
    hostile = [{"action": "x", "owner": "o", "due": "2020-01-31"}]
    path = write_review(rating=lambda m: "partly-met" if m == "QM1" else "met", actions=lambda m: hostile if m == "QM1" else [])
    replace_in(path, 'action: "x"', f"action: {HOSTILE_YAML}")
    replace_in(path, 'owner: "o"', 'owner: "\\e]0;owner\\a\\x7f\\x85"')
    assert "\\x1b]0;PWNED\\x07" in clean(cli("actions", path), 0)
    result = cli("actions", "--format", "json", path)
    clean(result, 0, json_out=True)
    doc = strict_json(result.stdout)
    assert doc["actions"][0]["action"].startswith("\x1b]0;PWNED\x07")  # the text itself, escaped only in the JSON
    assert RAW_CONTROL.search(result.stdout) is None
    clean(cli("actions", "--format", "csv", path), 0)


def test_a_note_with_del_and_c1_controls_is_saved_so_that_it_reads_back(cli, tmp_path):
    path = tmp_path / "r.yaml"
    clean(cli("new", path, "--title", "Child Q"), 0)
    result = cli("assess", path, "--marker", "QM1", input="y\nminutes\x7f of \x9b the panel\nq\n")
    clean(result, 0)
    from scr_audit.review import answer_for, read_review

    saved = read_review(path)
    assert not saved.findings
    note = answer_for(saved.review.entry("QM1"), 1)[1].evidence
    assert note.startswith("minutes") and note.endswith("the panel")  # the walkthrough drops typed controls


@pytest.mark.parametrize("text", ["a\x7fb", "x\x9by", "p\x85q", "tab\there", "e\x1b[31m", "l\u2028s", "p\u2029s", "b\ufeffom", "'q' \"d\" \\ #", "é ü 日本 👍"])
def test_what_the_writers_quote_reads_back_as_the_same_text(text):
    from scr_audit import template
    from scr_audit.walkthrough import targeted

    for written in (template.scalar(text), targeted.scalar(text)):
        assert yamlio.parse(f"k: {written}\n", "t.yaml").data["k"] == text, written
