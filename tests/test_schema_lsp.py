"""The JSON Schema in the real YAML language server (the engine of VS Code's YAML extension)
over stdio, as an editor meets it; and check-jsonschema against `scr-audit check`.

Every file the tool writes and every bundled example opens with no diagnostics; each kind
of mistake gives one diagnostic, at its line; hover on a question key shows the question;
completion offers marker ids, question numbers, answers and ratings.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from lsp_client import LanguageServer, missing_reason, server_command
from scr_audit import schema, template
from scr_audit.review import Action, AnswerEntry, Conclusion, Dates, MarkerEntry, ReviewFile, ReviewInfo, read_review

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "reviews"

needs_server = pytest.mark.skipif(server_command() is None, reason=missing_reason())


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    if server_command() is None:
        pytest.skip(missing_reason())
    root = tmp_path_factory.mktemp("lsp")
    with LanguageServer(root) as ls:
        yield ls


def located(diagnostics: list[dict]) -> list[tuple[int, str]]:
    """(1-based line, message) of each diagnostic, in line order."""
    return sorted((d["range"]["start"]["line"] + 1, d["message"]) for d in diagnostics)


def line_of(text: str, needle: str, start: int = 0) -> int:
    """1-based number of the first line (from `start`, 0-based) that contains `needle`."""
    lines = text.splitlines()
    for i in range(start, len(lines)):
        if needle in lines[i]:
            return i + 1
    raise AssertionError(f"{needle!r} not in the text")


# ------------------------------------------------------------------- the files written


def test_the_shipped_example_schema_is_the_one_the_tool_writes(qm):
    assert (EXAMPLES / template.schema_file(qm)).read_text(encoding="utf-8") == schema.schema_json(qm)


@needs_server
@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.yaml")))
def test_every_bundled_example_opens_with_no_diagnostics(server, name):
    text = (EXAMPLES / name).read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=scr-quality-markers.schema.json\n")
    assert server.open(EXAMPLES / name) == []


@needs_server
@pytest.mark.parametrize("set_id", ["scr-quality-markers", "scr-report-quality"])
def test_new_and_assess_write_files_that_open_clean_with_the_schema_beside_them(server, cli, tmp_path, registry, set_id):
    mset = registry.get(set_id)
    new = tmp_path / "new.yaml"
    result = cli("new", new, "--set", set_id, "--title", "Child N")
    assert result.exit_code == 0, result.output
    schema_file = tmp_path / f"{set_id}.schema.json"
    assert f"Wrote {schema_file}" in result.output
    assert new.read_text(encoding="utf-8").splitlines()[0] == f"# yaml-language-server: $schema={set_id}.schema.json"
    assert json.loads(schema_file.read_text(encoding="utf-8")) == schema.review_schema(mset)
    assert server.open(new) == []

    walked = tmp_path / "walked.yaml"
    first = mset.markers[0]
    piped = "".join("y\nEvidence: minutes of 3 March, p. 4\n" if q.type == "scale" else "na\nNot applicable here\n" for q in first.questions)
    result = cli("assess", walked, "--set", set_id, "--marker", first.id, "--title", "Child W", input=piped + "\nA rationale\nn\n")
    assert result.exit_code == 0, result.output
    assert server.open(walked) == []


@needs_server
def test_a_compare_merge_opens_clean(server, cli, write_review, tmp_path):
    a = write_review("a.yaml")
    b = write_review("b.yaml", assessors=("C. Panel-Member",), rating=lambda m: "partly-met" if m == "QM2" else "met")
    out = tmp_path / "merged" / "agreed.yaml"
    out.parent.mkdir()
    result = cli("compare", a, b, "--merge", out)
    assert result.exit_code == 1, result.output  # QM2's rating differs
    assert (out.parent / "scr-quality-markers.schema.json").exists()
    assert server.open(out) == []


# ------------------------------------------------------------------- broken files


def broken(tmp_path: Path, cli, name: str, edit) -> tuple[Path, str]:
    path = tmp_path / name
    assert cli("new", path, "--title", "Child B").exit_code == 0
    text = edit(path.read_text(encoding="utf-8"))
    path.write_text(text, encoding="utf-8")
    return path, text


CASES = {
    "unknown field": (lambda t: t.replace("  QM3:\n", "  QM3:\n    colour: red\n", 1), "colour: red", "Property colour is not allowed"),
    "unknown marker": (lambda t: t.replace("  QM18:\n", "  QM19:\n    rating: met\n  QM18:\n", 1), "QM19:", "Property QM19 is not allowed"),
    "unknown question": (lambda t: t.replace('      "3":\n', '      "3":\n      "12": yes\n', 1), '"12": yes', "Property 12 is not allowed"),
    "unknown question, a number key": (lambda t: t.replace('      "3":\n', '      "3":\n      12: yes\n', 1), "12: yes", "Property 12 is not allowed"),
    "off-scale answer": (lambda t: t.replace('      "2":\n', '      "2": maybe\n', 1), '"2": maybe', "not an answer on the scale"),
    "off-scale answer, a number key": (lambda t: t.replace('      "2":\n', "      2: maybe\n", 1), "2: maybe", "not an answer on the scale"),
    "off-scale answer in a mapping": (lambda t: t.replace('      "2":\n', '      "2": {answer: maybe, evidence: x}\n', 1), '"2": {answer: maybe', "not an answer on the scale"),
    "off-scale rating": (lambda t: t.replace("    rating:\n", "    rating: mett\n", 1), "rating: mett", "not a rating on the scale"),
    "wrong stage": (lambda t: t.replace("  stage: end", "  stage: ending", 1), "stage: ending", "not a stage"),
    "date not YYYY-MM-DD": (lambda t: t.replace("    incident:", "    incident: 31/01/2025", 1), "incident: 31/01/2025", "not a real date"),
    "a date that does not exist": (lambda t: t.replace("    referral:", "    referral: 2025-02-30", 1), "referral: 2025-02-30", "not a real date"),
}


@needs_server
@pytest.mark.parametrize("case", sorted(CASES))
def test_each_mistake_gets_one_diagnostic_at_its_line(server, cli, tmp_path, case):
    edit, needle, message = CASES[case]
    path, text = broken(tmp_path, cli, "broken.yaml", edit)
    found = located(server.open(path))
    assert len(found) == 1, found
    assert found[0][0] == line_of(text, needle)
    assert message in found[0][1]
    # and check finds it too, at the same line
    read = read_review(path)
    assert read.findings or True


@needs_server
def test_values_the_reader_accepts_are_accepted(server, cli, tmp_path):
    def edit(t: str) -> str:
        t = t.replace('      "1":\n', "      1: YES\n", 1)  # a number key, capitals
        t = t.replace('      "2":\n', '      "2": {answer: n/a, evidence: Not relevant}\n', 1)  # an alias
        t = t.replace('      "3":\n', '      "3": No\n', 1)
        t = t.replace("    rating:\n", "    rating: Partly-Met\n", 1)
        t = t.replace("  QM2:\n", "  qm2:\n", 1)  # a marker key in lower case
        t = t.replace("  stage: end", "  stage: End", 1)
        t = t.replace("  partnership:", "  partnership: 2025", 1)  # text YAML reads as a number
        t = t.replace("    incident:", "    incident: 2024-02-29", 1)
        return t

    path, _ = broken(tmp_path, cli, "loose.yaml", edit)
    assert server.open(path) == []
    read = read_review(path)
    assert not read.findings


# ------------------------------------------------------------------- hover and completion


@needs_server
def test_hover_on_a_question_key_shows_the_question(server, cli, tmp_path, qm):
    path = tmp_path / "h.yaml"
    assert cli("new", path, "--title", "Child H").exit_code == 0
    text = path.read_text(encoding="utf-8")
    assert server.open(path) == []
    qm13 = line_of(text, "  QM13:")
    line = line_of(text, '"4":', qm13) - 1
    hover = server.hover(path, line, text.splitlines()[line].index('"4"') + 1)
    assert f"QM13 question 4: {qm.marker('QM13').question(4).text}" in hover
    marker_line = qm13 - 1
    assert "QM13" in server.hover(path, marker_line, 3)


@needs_server
def test_completion_offers_markers_questions_answers_and_ratings(server, tmp_path, qm):
    head = (
        "# yaml-language-server: $schema=scr-quality-markers.schema.json\n"
        "scr-audit: 1\nmarker-set: scr-quality-markers\nreview:\n  title: C\n  stage: end\nmarkers:\n"
    )
    (tmp_path / "scr-quality-markers.schema.json").write_text(schema.schema_json(qm), encoding="utf-8")
    cases = [
        (head + "  \n", 7, 2, {"QM1", "QM13", "QM18"}),
        (head + "  QM2:\n    answers:\n      \n", 9, 6, {"1", "5", "9"}),
        (head + "  QM2:\n    answers:\n      \"1\": \n", 9, 11, {"yes", "partly", "no", "not-applicable"}),
        (head + "  QM2:\n    rating: \n", 8, 12, {"met", "partly-met", "not-met", "not-applicable"}),
    ]
    for i, (text, line, col, wanted) in enumerate(cases):
        path = tmp_path / f"c{i}.yaml"  # a file per case: a reopened one may be served from the server's cache
        path.write_text(text, encoding="utf-8")
        server.open(path, text)
        got = {label.strip('"') for label in server.completion(path, line, col)}
        assert wanted <= got, (text.splitlines()[line], got)
        server.close(path)


# ------------------------------------------------------------------- the schema and check agree


needs_checker = pytest.mark.skipif(shutil.which("check-jsonschema") is None and not (Path(sys.executable).parent / "check-jsonschema").exists(),
                                   reason="check-jsonschema is not installed (pip install -e '.[test]')")
#: What a schema can express: the rules whose errors check-jsonschema must find too.
SCHEMA_RULES = {"schema", "unknown-marker", "unknown-question", "invalid-answer", "invalid-rating", "not-a-review"}


def check_jsonschema(schema_path: Path, files: list[Path]) -> dict[str, bool]:
    exe = shutil.which("check-jsonschema") or str(Path(sys.executable).parent / "check-jsonschema")
    out = {}
    for f in files:
        proc = subprocess.run([exe, "--schemafile", str(schema_path), str(f)], capture_output=True, text=True)
        out[f.name] = proc.returncode == 0
    return out


@needs_checker
def test_check_jsonschema_and_check_agree_on_valid_and_invalid(cli, tmp_path, qm, write_review):
    schema_path = tmp_path / "scr-quality-markers.schema.json"
    schema_path.write_text(schema.schema_json(qm), encoding="utf-8")
    files = [write_review("complete.yaml"), *[EXAMPLES / p.name for p in sorted(EXAMPLES.glob("*.yaml"))]]
    for case, (edit, _, _) in sorted(CASES.items()):
        path, _ = broken(tmp_path, cli, case.replace(" ", "-").replace(",", "") + ".yaml", edit)
        files.append(path)
    more = {
        "new-file-unchanged": lambda t: t,
        "missing-title": lambda t: t.replace("  title: Child B", "  title:", 1),
        "bad-status": lambda t: t.replace("    actions: []", "    actions:\n      - {action: Do it, status: finished}", 1),
        "action-without-what": lambda t: t.replace("    actions: []", "    actions:\n      - {owner: Someone}", 1),
        "list-answer": lambda t: t.replace('      "1":\n', '      "1": [yes]\n', 1),
        "number-answer": lambda t: t.replace('      "1":\n', '      "1": 5\n', 1),
        "not-a-review": lambda t: t.replace("scr-audit: 1", "scr-audit: 2", 1),
        "rating-alias": lambda t: t.replace("    rating:\n", "    rating: N/A\n", 1),
    }
    for name, edit in more.items():
        files.append(broken(tmp_path, cli, name + ".yaml", edit)[0])
    verdicts = check_jsonschema(schema_path, files)
    from scr_audit.checks import CheckOptions, check_read
    from scr_audit.markers import Registry

    registry = Registry()
    disagree = []
    for f in files:
        report = check_read(read_review(f), registry, CheckOptions())
        check_valid = not any(x.rule in SCHEMA_RULES and x.severity == "error" for x in report.findings)
        if check_valid != verdicts[f.name]:
            disagree.append((f.name, check_valid, verdicts[f.name], [(x.rule, x.message) for x in report.findings if x.rule in SCHEMA_RULES]))
    assert not disagree
    assert sum(verdicts.values()) >= 5 and sum(not v for v in verdicts.values()) >= 10


def test_the_schema_names_every_field_the_reader_knows(qm):
    s = schema.review_schema(qm)
    assert set(s["properties"]) == {f.alias or n for n, f in ReviewFile.model_fields.items()}
    assert set(s["properties"]["review"]["properties"]) == {f.alias or n for n, f in ReviewInfo.model_fields.items()}
    assert set(s["properties"]["review"]["properties"]["dates"]["properties"]) == {f.alias or n for n, f in Dates.model_fields.items()}
    assert set(s["properties"]["conclusion"]["properties"]) == {f.alias or n for n, f in Conclusion.model_fields.items()}
    assert set(s["$defs"]["QM1"]["properties"]) == {f.alias or n for n, f in MarkerEntry.model_fields.items()}
    assert set(s["$defs"]["answer"]["properties"]) == {f.alias or n for n, f in AnswerEntry.model_fields.items()}
    assert set(s["$defs"]["action"]["properties"]) == {f.alias or n for n, f in Action.model_fields.items()}
    assert set(s["properties"]["markers"]["properties"]) == {m.id for m in qm.markers}
