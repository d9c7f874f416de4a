"""Start-up work never changes a result: the plain reader and the marker-set cache.

`check` reads a well-formed review without pydantic (review_plain) and takes the bundled
marker sets from a cache. Both must give exactly what the models and the YAML give, for
every file: these tests compare the two paths over many variants of a review file, and
break, corrupt and lock the cache.
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from conftest import EXAMPLES, ROOT, review_text
from scr_audit import marker_cache
from scr_audit.markers import MODELS, Registry, bundled_dir, load_marker_set
from scr_audit.review import ReviewFile
from scr_audit.review_plain import plain_review
from scr_audit.yamlio import parse

# ------------------------------------------------------------------ the plain reader


def typed(value: Any) -> Any:
    """A value with every type spelled out, so 1 and 1.0 and '1' and True all differ."""
    if isinstance(value, dict):
        return ("dict", [(typed(k), typed(v)) for k, v in value.items()])
    if isinstance(value, (list, tuple)):
        return ("list", [typed(v) for v in value])
    return (type(value).__name__, value)


FIELDS = {
    "ReviewFile": ("scr_audit", "marker_set", "marker_set_version", "review", "markers", "conclusion"),
    "ReviewInfo": ("title", "partnership", "stage", "assessment", "lead_reviewers", "assessors", "assessed_on", "dates", "delay_reasons"),
    "Dates": ("incident", "referral", "decision", "completed", "published"),
    "MarkerEntry": ("answers", "rating", "rationale", "actions"),
    "AnswerEntry": ("answer", "evidence", "suggested_by"),
    "Action": ("action", "owner", "due", "status"),
    "Conclusion": ("summary", "strengths", "concerns", "board_asked_to"),
}
PLAIN = {"PlainReview": "ReviewFile", "PlainInfo": "ReviewInfo", "PlainDates": "Dates", "PlainEntry": "MarkerEntry",
         "PlainAnswer": "AnswerEntry", "PlainAction": "Action", "PlainConclusion": "Conclusion"}


def dump(obj: Any) -> Any:
    """Either kind of review object as nested plain values, named by the model it stands for."""
    kind = type(obj).__name__
    kind = PLAIN.get(kind, kind)
    if kind in FIELDS:
        return (kind, [(name, dump(getattr(obj, name))) for name in FIELDS[kind]])
    if isinstance(obj, dict):
        return ("dict", [(typed(k), dump(v)) for k, v in obj.items()])
    if isinstance(obj, list):
        return ("list", [dump(v) for v in obj])
    return typed(obj)


def models_read(data: Any) -> Any:
    from pydantic import ValidationError

    try:
        return ReviewFile.model_validate(data)
    except ValidationError:
        return None


def test_the_models_and_the_plain_reader_name_the_same_fields():
    from scr_audit import review

    for name, fields in FIELDS.items():
        assert tuple(getattr(review, name).model_fields) == fields, name
    for plain, model in PLAIN.items():
        import scr_audit.review_plain as rp

        assert tuple(n for n in getattr(rp, plain).__slots__ if not n.startswith("_")) == FIELDS[model], plain


SUBSTITUTES: list[Any] = [
    None, "", "  ", "Yes", " partly ", "n/a", "not-yet", "end", "END ", "individual", "Agreed", "open", "In-Progress", "done",
    0, 1, 2, -3, 1.0, 2.5, float("nan"), True, False, date(2025, 2, 3), datetime(2025, 2, 3, 10, 30), datetime(2025, 2, 3),
    "2025-02-30", "2025-01-31", [], ["a"], ["a", 3, None], [["x"]], {}, {"a": 1}, {"answer": "yes"},
    {"answer": "no", "evidence": "e"}, {"answer": "yes", "suggested-by": "scan"}, {"answer": "yes", "suggested_by": "scan"},
    {"answer": ["yes"]}, {"action": "Do it"}, {"action": "Do it", "owner": "x", "due": date(2026, 1, 1), "status": "done"},
    {"action": ""}, {"owner": "x"}, "\ud800 lone surrogate", 10**30,
]


def variants(data: Any, path: tuple = ()) -> Any:
    """The file with one value at a time replaced by each substitute (and one key at a time dropped or renamed)."""
    if isinstance(data, dict):
        for key in list(data):
            for sub in SUBSTITUTES:
                changed = copy.deepcopy(data)
                changed[key] = sub
                yield path + (key,), changed
            dropped = {k: v for k, v in data.items() if k != key}
            yield path + (key, "dropped"), dropped
            if isinstance(key, str):
                renamed = {(k.replace("-", "_") if k == key else k): v for k, v in data.items()}
                yield path + (key, "renamed"), renamed
            for where, inner in variants(data[key], path + (key,)):
                changed = copy.deepcopy(data)
                changed[key] = inner
                yield where, changed
    elif isinstance(data, list):
        for i, item in enumerate(data):
            for where, inner in variants(item, path + (i,)):
                changed = copy.deepcopy(data)
                changed[i] = inner
                yield where, changed


SMALL = """\
scr-audit: 1
marker-set: scr-quality-markers
marker-set-version: "2016"
review:
  title: Child D
  partnership: Anytown
  stage: progressive
  assessment: individual
  lead-reviewers: [A. Reviewer]
  assessors: B. Panel-Member
  assessed-on: 2026-11-01
  dates: {incident: 2025-01-10, decision: 2025-02-14}
  delay-reasons: A trial.
markers:
  QM1:
    answers:
      1: yes
      "2": {answer: no, evidence: None recorded.}
      3: {answer: yes, evidence: x, suggested-by: scan}
      4:
    rating: met
    rationale: Clear.
    actions:
      - {action: Fix it, owner: BM, due: 2027-01-31, status: open}
  QM2:
conclusion:
  summary: Fine.
  strengths: [One]
  concerns: Two
  board-asked-to: []
"""


def test_the_plain_reader_gives_exactly_what_the_models_give_or_leaves_the_file_to_them():
    data = parse(SMALL, "small.yaml").data
    assert plain_review(data) is not None
    cases = list(variants(data))
    assert len(cases) > 1500
    read_plainly = 0
    for where, changed in cases:
        plain = plain_review(changed)
        if plain is None:
            continue  # left to the models, which report or accept it themselves
        read_plainly += 1
        model = models_read(changed)
        assert model is not None, f"the plain reader accepted what the models refuse, at {where}"
        assert dump(plain) == dump(model), f"the plain reader read {where} differently"
        for entry_key, entry in model.markers.items():
            other = plain.markers[entry_key]
            if entry is None:
                continue
            assert entry.is_rated == other.is_rated
            for qkey, ans in entry.answers.items():
                mine = other.answers[qkey]
                if ans is not None:
                    assert (ans.has_value, ans.is_answered, ans.has_evidence, ans.is_suggestion) == (
                        mine.has_value, mine.is_answered, mine.has_evidence, mine.is_suggestion)
        assert model.conclusion.has_summary == plain.conclusion.has_summary
        assert model.entry("qm1") is not None or plain.entry("qm1") is None
    assert read_plainly > 500, "the plain path should take most well-formed variants"


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.yaml")))
def test_examples_are_read_plainly_and_check_the_same_either_way(name, registry):
    from scr_audit.checks import CheckOptions, check_read
    from scr_audit.review import read_review
    from scr_audit.review_plain import read_for_check

    fast = read_for_check(EXAMPLES / name)
    slow = read_review(EXAMPLES / name)
    assert type(fast.review).__name__ == "PlainReview"
    assert dump(fast.review) == dump(slow.review)
    options = CheckOptions(today=date(2026, 12, 1))
    a, b = check_read(fast, registry, options), check_read(slow, registry, options)
    assert a == b


def test_a_check_of_one_clean_file_never_imports_pydantic(tmp_path, qm):
    path = tmp_path / "r.yaml"
    path.write_text(review_text(qm), encoding="utf-8")
    code = (
        "import sys\n"
        "from scr_audit.cli import main\n"
        f"sys.argv = ['scr-audit', 'check', {str(path)!r}]\n"
        "try:\n    main()\nexcept SystemExit as e:\n    code = e.code\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('pydantic', 'rich', 'docx', 'multiprocessing'))\n"
        "print('HEAVY', heavy, code)\n"
    )
    for _ in range(2):  # the first run fills the cache, the second uses it
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True).stdout
    assert "HEAVY [] 0" in out, out


def test_markers_show_never_imports_pydantic():
    code = (
        "import sys\nfrom scr_audit.cli import main\nsys.argv = ['scr-audit', 'markers', 'show', 'QM1']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('HEAVY', sorted(m for m in sys.modules if m.split('.')[0] in ('pydantic', 'rich', 'docx')))\n"
    )
    for _ in range(2):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True).stdout
    assert "HEAVY []" in out and "Referral" in out, out


# ------------------------------------------------------------------- assess's start-up

#: What `assess` of a well-formed file imports neither before its first prompt nor for a save.
HEAVY = ("pydantic", "pydantic_core", "rich", "docx", "matplotlib", "openpyxl", "multiprocessing")

SITTING = """\
import sys
from scr_audit import locks
from scr_audit.cli import main
from scr_audit.cli import assess_cmd

path = sys.argv[1]
heavy = lambda: sorted(m for m in sys.modules if m.split(".")[0] in {heavy!r})
first = []
ask = assess_cmd.ClickTerminal.ask


def asked(self, prompt, history="answer"):
    if not first:
        first.append((heavy(), locks.holder(path) is not None))
    return ask(self, prompt, history)


assess_cmd.ClickTerminal.ask = asked
sys.argv = ["scr-audit", "assess", path, "--marker", "QM2"]
try:
    main()
except SystemExit as e:
    code = e.code
print("FIRST", first[0][0], "LOCKED", first[0][1], "END", heavy(), "EXIT", code)
"""


def sitting(path: Path, script: str) -> str:
    code = SITTING.format(heavy=HEAVY)
    return subprocess.run([sys.executable, "-c", code, str(path)], input=script, capture_output=True, text=True, cwd=ROOT,
                          check=True).stdout


def test_assess_of_a_well_formed_file_never_imports_pydantic_before_its_first_prompt_nor_to_save(cli, tmp_path):
    path = tmp_path / "child-d.yaml"
    assert cli("new", path, "--title", "Child D", "--stage", "end").exit_code == 0  # and the schema beside it
    out = sitting(path, "y\nMinutes of the decision meeting.\nq\n")
    assert "FIRST [] LOCKED True END [] EXIT 0" in out, out
    assert '"1": {answer: yes, evidence: Minutes of the decision meeting.}' in path.read_text(encoding="utf-8")


QM2_SCRIPT = "".join(
    line + "\n"
    for line in (
        "y", "Minutes of the referral meeting.", "n", "", "", "p", "Checks with one neighbouring LSCB only.", "s",
        "na", "No delay: decided within a week.", "Y", "", "yes", "Chair's record of decision.", "n/a", "Not relevant.",
        "YES", "Input invited by e-mail to all members.",
        "", "Strong on process; one question still open.",  # the suggested rating, a rationale
        "", "Agree a checklist for decision records.", "", "LSCB business manager", "2027-01-31", "",  # one action
    )
)


def test_a_file_the_plain_reader_leaves_to_the_models_is_walked_and_saved_exactly_alike(cli, tmp_path):
    """The same sitting on a file read plainly and on one only the models read (a field
    written lead_reviewers, which they accept) writes the same answers, rating and action."""
    from scr_audit.review_plain import read_text

    plain, models = tmp_path / "plain" / "child-d.yaml", tmp_path / "models" / "child-d.yaml"
    for path in (plain, models):
        path.parent.mkdir()
        assert cli("new", path, "--title", "Child D", "--stage", "end").exit_code == 0
    models.write_text(models.read_text(encoding="utf-8").replace("  lead-reviewers:", "  lead_reviewers:"), encoding="utf-8")
    assert type(read_text(plain, plain.read_text(encoding="utf-8")).review).__name__ == "PlainReview"
    assert type(read_text(models, models.read_text(encoding="utf-8")).review).__name__ == "ReviewFile"
    outputs = []
    for path in (plain, models):
        result = cli("assess", path, "--marker", "QM2", input=QM2_SCRIPT)
        assert result.exit_code == 0, result.output
        outputs.append(result.output.replace(str(path.parent), "FOLDER"))
    assert outputs[0] == outputs[1]
    after = models.read_text(encoding="utf-8")
    assert "  lead_reviewers:" in after
    assert plain.read_text(encoding="utf-8") == after.replace("  lead_reviewers:", "  lead-reviewers:")
    assert "status: open" in after and "rating: partly-met" in after and "Checks with one neighbouring LSCB only." in after
    assert "Everything confirmed is in" in outputs[0] or "Saved" in outputs[0]


def test_a_file_with_errors_still_gets_its_message_from_assess(cli, tmp_path):
    path = tmp_path / "child-d.yaml"
    assert cli("new", path, "--title", "Child D", "--stage", "end").exit_code == 0
    path.write_text(path.read_text(encoding="utf-8").replace("  stage: end", "  stage: finished"), encoding="utf-8")
    before = path.read_text(encoding="utf-8")
    result = cli("assess", path, input="y\n")
    assert result.exit_code == 2, result.output
    assert "stage" in result.output and "[schema]" in result.output
    assert path.read_text(encoding="utf-8") == before


# ------------------------------------------------------------------------ the cache


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(marker_cache.ENV, str(folder))
    return folder


SETS = ["scr-quality-markers", "scr-report-quality"]


@pytest.mark.parametrize("set_id", SETS)
def test_a_cached_set_is_equal_to_the_set_read_from_its_yaml(cache, set_id):
    fresh = load_marker_set(bundled_dir() / set_id)
    first = Registry().get(set_id)  # fills the cache
    assert (cache / f"marker-set-{set_id}.json").is_file()
    cached = marker_cache.load(bundled_dir() / set_id, set_id)
    assert cached is not None and cached is not first
    assert cached.header == fresh.header and cached.markers == fresh.markers
    assert [type(m) for m in cached.markers] == [MODELS["Marker"]] * len(fresh.markers)
    assert Registry().get(set_id).markers == fresh.markers


def test_check_gives_the_same_output_with_and_without_the_cache(cli, monkeypatch, tmp_path):
    outputs = []
    for setting in ("", str(tmp_path / "c"), str(tmp_path / "c")):  # none, filling, used
        monkeypatch.setenv(marker_cache.ENV, setting)
        outputs.append(cli("check", "--format", "json", "--as-of", "2026-12-01", EXAMPLES).output)
    assert outputs[0] == outputs[1] == outputs[2]
    assert not (tmp_path / "c").exists() or list((tmp_path / "c").iterdir())


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b"not json at all {",
        b"\xff\xfe\x00garbage",
        b'{"format": 1, "key": "0000", "header": {}, "markers": []}',
        b'{"format": 1, "key": "KEY", "header": {"@": "Popen", "args": ["touch", "/tmp/scr-audit-cache-pwned"]}, "markers": []}',
        b'{"format": 1, "key": "KEY", "header": {"@": "SetHeader", "id": "x"}, "markers": []}',
        b'{"format": 1, "key": "KEY", "header": [], "markers": {}}',
        b"[1, 2, 3]",
        b'{"format": 99}',
        b"[" * 100000,
    ],
)
def test_a_damaged_cache_is_ignored_and_replaced(cache, damage):
    pwned = Path("/tmp/scr-audit-cache-pwned")
    pwned.unlink(missing_ok=True)
    set_id = "scr-quality-markers"
    directory = bundled_dir() / set_id
    cache.mkdir()
    path = cache / f"marker-set-{set_id}.json"
    path.write_bytes(damage.replace(b"KEY", marker_cache.key(directory).encode()))
    assert marker_cache.load(directory, set_id) is None
    loaded = Registry().get(set_id)
    assert loaded.markers == load_marker_set(directory).markers
    assert not pwned.exists()
    assert marker_cache.load(directory, set_id) is not None, "rewritten after the damage"


def test_an_unwritable_cache_folder_falls_back_cleanly(tmp_path, monkeypatch, cli):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would be\n")
    monkeypatch.setenv(marker_cache.ENV, str(blocker / "scr-audit"))
    result = cli("markers", "show", "QM1")
    assert result.exit_code == 0 and "Referral" in result.output
    assert marker_cache.store(bundled_dir() / "scr-quality-markers", Registry().get("scr-quality-markers")) is False
    assert blocker.read_text() == "a file where the cache folder would be\n"


def test_an_edited_set_is_validated_again_not_taken_from_the_cache(cache, tmp_path, monkeypatch):
    import shutil

    from scr_audit import markers

    copy_dir = tmp_path / "bundled"
    shutil.copytree(bundled_dir(), copy_dir)
    monkeypatch.setattr(markers, "bundled_dir", lambda: copy_dir)
    first = Registry().get("scr-quality-markers")
    assert first.marker("QM1").title == "Referral"
    qm1 = copy_dir / "scr-quality-markers" / "QM1.yaml"
    qm1.write_text(qm1.read_text(encoding="utf-8").replace("title: Referral", "title: Referral (local)"), encoding="utf-8")
    assert Registry().get("scr-quality-markers").marker("QM1").title == "Referral (local)"


def test_the_cache_is_json_of_known_models_only(cache):
    Registry().get("scr-quality-markers")
    data = json.loads((cache / "marker-set-scr-quality-markers.json").read_text(encoding="utf-8"))
    names: set[str] = set()

    def walk(v: Any) -> None:
        if isinstance(v, dict):
            if "@" in v:
                names.add(v["@"])
            for x in v.values():
                walk(x)
        elif isinstance(v, list):
            for x in v:
                walk(x)

    walk(data)
    assert names and names <= set(MODELS)
    assert data["format"] == marker_cache.CACHE_FORMAT and len(data["key"]) == 128
