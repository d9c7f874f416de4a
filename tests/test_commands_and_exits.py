"""Commands that can be pasted, names that are checked, and every command's exit codes.

A command scr-audit suggests is run here exactly as printed, through a real shell, with a
space (and a quote) in its path. Every command is driven to each exit code the README
documents for it: 0 success, 1 read but falling short, 2 could not do its job, 130
interrupted.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import BUNDLED, EXAMPLES, review_text
from scr_audit import shell


def scr_audit_on_path() -> dict[str, str]:
    """The environment a user's shell would have: this scr-audit first on PATH."""
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    env["NO_COLOR"] = "1"
    return env


def suggested(output: str, verb: str) -> str:
    """The command line scr-audit printed for the user to run (`scr-audit VERB ...`)."""
    for line in output.splitlines():
        m = re.search(rf"(scr-audit {verb} .+)$", line)
        if m:
            return m.group(1).strip()
    raise AssertionError(f"no suggested 'scr-audit {verb}' command in:\n{output}")


def paste(command: str, cwd: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    if not shutil.which("scr-audit", path=scr_audit_on_path()["PATH"]):
        pytest.skip("scr-audit is not installed as a command in this environment")
    return subprocess.run(["/bin/sh", "-c", command], cwd=cwd, env=scr_audit_on_path(), input=stdin, capture_output=True, text=True, timeout=120)


# ------------------------------------------------------------------ commands to paste


@pytest.mark.skipif(sys.platform == "win32", reason="pastes into a POSIX shell")
@pytest.mark.parametrize("folder", ["Board papers Jan", "Child's papers", "odd $name `x`"])
def test_the_commands_new_suggests_run_when_pasted(cli, tmp_path, folder):
    (tmp_path / folder).mkdir()
    name = f"{folder}/qm19.yaml"
    result = cli("new", tmp_path / name, "--title", "Child Q")
    assert result.exit_code == 0
    check = suggested(result.output, "check")
    assert check == shell.command("check", tmp_path / name)
    ran = paste(check, tmp_path)
    assert ran.returncode == 1 and "qm19.yaml" in ran.stdout and "QM1: questions 1-3 not answered" in ran.stdout
    assess = suggested(result.output, "assess")
    ran = paste(assess, tmp_path, stdin="q\n")
    assert ran.returncode == 0, ran.stdout + ran.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="pastes into a POSIX shell")
def test_new_on_an_existing_file_suggests_the_command_that_continues_it(cli, tmp_path):
    path = tmp_path / "Board papers" / "child d.yaml"
    path.parent.mkdir()
    assert cli("new", path).exit_code == 0
    again = cli("new", path)
    assert again.exit_code == 2 and "never replaces a file" in again.output
    ran = paste(suggested(again.output, "assess"), tmp_path, stdin="q\n")
    assert ran.returncode == 0 and "Saved" in ran.stdout


@pytest.mark.skipif(sys.platform == "win32", reason="pastes into a POSIX shell")
def test_the_commands_compare_merge_suggests_run_when_pasted(cli, tmp_path, write_review):
    a = write_review("smith.yaml", assessors=("A. Smith",))
    b = write_review("jones.yaml", assessors=("B. Jones",), rating=lambda m: "partly-met" if m == "QM2" else "met")
    out = tmp_path / "agreed panel file.yaml"
    result = cli("compare", a, b, "--merge", out)
    assert result.exit_code == 1 and out.is_file()
    ran = paste(suggested(result.output, "check"), tmp_path)
    assert ran.returncode == 1 and "agreed panel file.yaml" in ran.stdout


@pytest.mark.skipif(sys.platform == "win32", reason="pastes into a POSIX shell")
def test_the_command_export_suggests_runs_when_pasted(cli, tmp_path, qm):
    folder = tmp_path / "board papers"
    folder.mkdir()
    (folder / "child a.yaml").write_text(review_text(qm, title="Child A"), encoding="utf-8")
    (folder / "child b.yaml").write_text(review_text(qm, title="Child B", rating=lambda m: None if m == "QM1" else "met"), encoding="utf-8")
    result = cli("export", folder, "-o", tmp_path / "summary.docx")
    assert result.exit_code == 1
    ran = paste(suggested(result.stderr, "check"), tmp_path)
    assert ran.returncode == 1 and "child b.yaml" in ran.stdout and "unrated-marker" in ran.stdout


def test_windows_quoting_is_the_windows_command_lines(monkeypatch):
    monkeypatch.setattr(sys, "platform", "win32")
    assert shell.command("check", "Board papers\\qm19.yaml") == 'scr-audit check "Board papers\\qm19.yaml"'
    assert shell.command("check", "plain.yaml") == "scr-audit check plain.yaml"


def test_a_suggested_command_never_sends_a_control_character_to_the_terminal():
    assert "\x1b" not in shell.command("check", "evil\x1b[2Jname.yaml")


# ------------------------------------------------------------------------ names


@pytest.mark.parametrize("name, better", [("child-r.docx", "child-r.yaml"), ("child-q", "child-q.yaml"), ("notes.txt", "notes.yaml"), ("v2.final draft", "v2.final draft.yaml")])
def test_new_refuses_a_name_that_is_not_yaml_and_writes_nothing(cli, tmp_path, name, better):
    result = cli("new", tmp_path / name)
    assert result.exit_code == 2
    assert "must end in .yaml or .yml" in result.output and better in result.output
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", ["child.yaml", "child.yml", "CHILD.YAML"])
def test_new_takes_a_yaml_name(cli, tmp_path, name):
    assert cli("new", tmp_path / name).exit_code == 0 and (tmp_path / name).is_file()


def test_new_refuses_a_folder_that_does_not_exist(cli, tmp_path):
    result = cli("new", tmp_path / "no folder" / "x.yaml")
    assert result.exit_code == 2 and "does not exist" in result.output


def test_compare_merge_refuses_a_name_that_is_not_yaml_before_any_work(cli, tmp_path, write_review):
    a, b = write_review("a.yaml"), write_review("b.yaml")
    result = cli("compare", a, b, "--merge", tmp_path / "agreed.docx")
    assert result.exit_code == 2 and "must end in .yaml or .yml (for example" in result.output
    assert "Agreement" not in result.output and not (tmp_path / "agreed.docx").exists()


@pytest.mark.parametrize(
    "args, name, refused",
    [
        (["schema"], "schema.txt", True),
        (["schema"], "schema.json", False),
        (["summary", "--csv"], "s.json", True),
        (["summary", "--csv"], "s.csv", False),
        (["summary", "--json"], "s.csv", True),
        (["summary", "--json"], "s.json", False),
        (["summary", "--format", "table"], "s.csv", True),
        (["summary"], "s.txt", False),
        (["summary", "--format", "xlsx"], "s.csv", True),
        (["compare"], "moderation.pdf", True),
        (["compare"], "moderation.docx", False),
    ],
)
def test_every_output_is_checked_against_its_format(cli, tmp_path, write_review, args, name, refused):
    if args[0] == "summary":
        args = [args[0], str(write_review("a.yaml")), *args[1:]]
    if args[0] == "compare":
        args = [args[0], str(write_review("a.yaml")), str(write_review("b.yaml"))]
    result = cli(*args, "-o", tmp_path / name)
    if refused:
        assert result.exit_code == 2 and "give -o a name ending in" in result.output
        assert not (tmp_path / name).exists()
    else:
        assert result.exit_code == 0 and (tmp_path / name).is_file(), result.output


# --------------------------------------------------------------------- exit codes


@pytest.fixture
def reviews(tmp_path, qm) -> dict[str, Path]:
    folder = tmp_path / "reviews"
    folder.mkdir()
    out = {
        "clean": folder / "clean.yaml",
        "flawed": folder / "flawed.yaml",
        "broken": tmp_path / "broken.yaml",
        "other": tmp_path / "other.yaml",
        "second": tmp_path / "second.yaml",
        "differs": tmp_path / "differs.yaml",
    }
    out["clean"].write_text(review_text(qm, assessors=("A. Smith",)), encoding="utf-8")
    out["flawed"].write_text(review_text(qm, assessors=("B. Jones",), answer=lambda m, q: "maybe" if (m, q) == ("QM1", 1) else "yes", rating=lambda m: "not-met" if m == "QM2" else "met", actions=lambda m: [{"action": "x", "owner": "y", "due": "2027-01-01"}] if m == "QM2" else []), encoding="utf-8")
    out["broken"].write_text("scr-audit: 1\nreview: [\n", encoding="utf-8")
    out["other"].write_text(review_text(qm).replace("scr-quality-markers", "scr-report-quality"), encoding="utf-8")
    out["second"].write_text(review_text(qm, assessors=("C. Other",)), encoding="utf-8")
    out["differs"].write_text(review_text(qm, assessors=("D. Else",), rating=lambda m: "partly-met" if m == "QM2" else "met", actions=lambda m: [{"action": "x", "owner": "y", "due": "2027-01-01"}] if m == "QM2" else []), encoding="utf-8")
    return out


def interrupt(monkeypatch, target: str) -> None:
    """Ctrl-C at `module:attribute` (a function, or a class's method)."""
    import importlib

    module, _, attribute = target.partition(":")
    owner = importlib.import_module(module)
    *path, name = attribute.split(".")
    for part in path:
        owner = getattr(owner, part)

    def stop(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(owner, name, stop)


EXIT_CASES = {
    # command: {code: how to get it}
    "markers list": {0: lambda r, t: ["markers", "list"], 2: lambda r, t: ["markers", "list", "--set", "nope"]},
    "markers show": {0: lambda r, t: ["markers", "show", "QM1"], 2: lambda r, t: ["markers", "show", "QM19"]},
    "markers validate": {
        0: lambda r, t: ["markers", "validate", BUNDLED / "scr-quality-markers"],
        2: lambda r, t: ["markers", "validate", t],
    },
    "new": {0: lambda r, t: ["new", t / "n.yaml"], 2: lambda r, t: ["new", r["clean"]]},
    "check": {0: lambda r, t: ["check", r["clean"]], 1: lambda r, t: ["check", r["flawed"]], 2: lambda r, t: ["check", t / "missing.yaml"]},
    "summary": {
        0: lambda r, t: ["summary", r["clean"], r["flawed"]],
        1: lambda r, t: ["summary", r["clean"], r["broken"]],
        2: lambda r, t: ["summary", r["broken"]],
    },
    "actions": {
        0: lambda r, t: ["actions", r["flawed"]],
        1: lambda r, t: ["actions", "--fail-on-overdue", "--as-of", "2030-01-01", r["flawed"]],
        2: lambda r, t: ["actions", t / "missing.yaml"],
    },
    "export": {
        0: lambda r, t: ["export", r["clean"], "-o", t / "x.docx"],
        1: lambda r, t: ["export", r["flawed"], "-o", t / "x.docx"],
        2: lambda r, t: ["export", r["broken"], "-o", t / "x.docx"],
    },
    "compare": {
        0: lambda r, t: ["compare", r["clean"], r["second"]],
        1: lambda r, t: ["compare", r["clean"], r["differs"]],
        2: lambda r, t: ["compare", r["clean"], r["other"]],
    },
    "schema": {0: lambda r, t: ["schema"], 2: lambda r, t: ["schema", "--set", "nope"]},
    "scan": {
        0: lambda r, t: ["scan", EXAMPLES.parent / "reports" / "child-h-report.docx"],
        2: lambda r, t: ["scan", r["broken"]],
    },
    "assess": {0: lambda r, t: ["assess", t / "a.yaml"], 2: lambda r, t: ["assess", r["broken"]]},
}
CASES = [(command, code) for command, codes in EXIT_CASES.items() for code in codes]


@pytest.mark.parametrize("command, code", CASES, ids=[f"{c}-{k}" for c, k in CASES])
def test_each_command_exits_as_documented(cli, reviews, tmp_path, command, code):
    work = tmp_path / "work"
    work.mkdir()
    args = EXIT_CASES[command][code](reviews, work)
    result = cli(*args, input="q\n")
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output


INTERRUPTIBLE = {
    "markers list": (["markers", "list"], "scr_audit.markers:Registry.get"),
    "markers show": (["markers", "show", "QM1"], "scr_audit.markers:Registry.get"),
    "markers validate": (["markers", "validate", BUNDLED / "scr-quality-markers"], "scr_audit.markers:load_marker_set"),
    "new": (["new", "{work}/n.yaml"], "scr_audit.markers:Registry.get"),
    "check": (["check", "{clean}"], "scr_audit.checks:check_read"),
    "summary": (["summary", "{clean}"], "scr_audit.checks:check_read"),
    "actions": (["actions", "{clean}"], "scr_audit.checks:check_read"),
    "export": (["export", "{clean}", "-o", "{work}/x.docx"], "scr_audit.export:read_review"),
    "compare": (["compare", "{clean}", "{second}"], "scr_audit.markers:Registry.get"),
    "schema": (["schema"], "scr_audit.markers:Registry.get"),
    "scan": (["scan", str(EXAMPLES.parent / "reports" / "child-h-report.docx")], "scr_audit.documents:read_document"),
    "assess": (["assess", "{work}/a.yaml"], "scr_audit.walkthrough:Walkthrough.run"),
}


@pytest.mark.parametrize("command", list(INTERRUPTIBLE))
def test_each_command_exits_130_when_interrupted(cli, reviews, tmp_path, monkeypatch, command):
    work = tmp_path / "work"
    work.mkdir()
    args, target = INTERRUPTIBLE[command]
    interrupt(monkeypatch, target)
    filled = [str(a).format(work=work, **{k: str(v) for k, v in reviews.items()}) for a in args]
    result = cli(*filled)
    assert result.exit_code == 130, result.output
    assert "Traceback" not in result.output
    assert not (work / "x.docx").exists() and (command == "assess" or not (work / "n.yaml").exists())


# ------------------------------------------------------------------- shell completion


@pytest.mark.parametrize("words, cword, expected", [("scr-audit ch", "1", "plain,check"), ("scr-audit check --fa", "2", "plain,--fail-on"), ("scr-audit markers sh", "2", "plain,show")])
def test_shell_completion_as_the_readme_sets_it_up(tmp_path, words, cword, expected):
    env = {**os.environ, "_SCR_AUDIT_COMPLETE": "bash_complete", "COMP_WORDS": words, "COMP_CWORD": cword}
    out = subprocess.run([sys.executable, "-m", "scr_audit"], env=env, capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert out.returncode == 0 and expected in out.stdout.splitlines(), out.stdout + out.stderr
    for shell_name in ("bash", "zsh", "fish"):
        env = {**os.environ, "_SCR_AUDIT_COMPLETE": f"{shell_name}_source"}
        script = subprocess.run([sys.executable, "-m", "scr_audit"], env=env, capture_output=True, text=True, timeout=60).stdout
        assert "_SCR_AUDIT_COMPLETE" in script, shell_name


def test_the_program_ends_with_mains_exit_code_and_all_of_its_output(tmp_path):
    """The installed program ends through cli.run, which skips taking the interpreter apart
    (half a second after a summary record): the exit code, every byte printed and every
    file written are what main gives, for each exit code, piped and to a file."""
    import json

    import docx

    env = scr_audit_on_path()
    exe = shutil.which("scr-audit", path=env["PATH"])
    assert exe is not None

    def program(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([exe, *args], env=env, capture_output=True, text=True, cwd=tmp_path, timeout=120)

    piped = program("check", str(EXAMPLES), "--format", "json")
    assert piped.returncode == 0, piped.stderr
    assert json.loads(piped.stdout)["files"]  # whole: a cut-off JSON text does not parse
    assert piped.stdout == program("check", str(EXAMPLES), "--format", "json").stdout
    falls_short = program("check", str(EXAMPLES), "--fail-on", "warning")
    assert falls_short.returncode == 1 and re.search(r"\d+ files? checked", falls_short.stdout.splitlines()[-1]), falls_short.stdout
    missing = program("check", str(tmp_path / "no-such.yaml"))
    assert missing.returncode == 2 and "no-such.yaml" in missing.stderr
    record = tmp_path / "summary.docx"
    written = program("export", str(EXAMPLES), "-o", str(record))
    assert written.returncode == 1, written.stderr  # the flawed example's personal data: written, and said
    assert "Wrote" in written.stdout and "personal-data" in written.stderr
    assert any("Summary of" in p.text for p in docx.Document(str(record)).paragraphs)
    module = subprocess.run([sys.executable, "-m", "scr_audit", "check", str(EXAMPLES), "--fail-on", "warning"],
                            env=env, capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert module.returncode == 1 and module.stdout == falls_short.stdout
