"""scr-audit's quality bars, measured side by side in one run.

    python benchmarks/bench.py                 # N=1000 files, best of 3
    python benchmarks/bench.py --n 200 --repeat 1

Generates N complete review files (107 answers with realistic evidence each, all 18
markers rated, actions where they fall short) in a temporary folder, then times, as
whole commands in fresh processes (what a user waits for):

- the floor: ruamel.yaml's C-accelerated safe loader loading every file, nothing else;
- `scr-audit check --jobs 1` and `scr-audit check` (all cores), `scr-audit summary` (CSV,
  and the Excel workbook) and `scr-audit actions`;
- peak memory of `check --jobs 1` at N=100 and N=1000 (flat in the number of files);
- start-up, side by side against `python -c "import click"`: `scr-audit --help`,
  `scr-audit check` of one complete review and `scr-audit markers show QM1` (median wall
  time and CPU time over interleaved runs; the marker-set cache warm, and once cold);
- the audit record of one complete review, and the summary record of 50 with its chart;
- scanning an 80-page PDF report (the example report's pages, repeated) and writing the
  review file, as a command;
- the walkthrough on a pseudo-terminal: the time from Enter on a changed answer to the next
  prompt (the save between them), median and max, on a file of 100 answered questions with
  long evidence (about 60 KB), beside the same file re-serialised whole by ruamel's round
  trip (the way saves used to be made); and `assess` start-up to its first prompt against
  `python -c "import click"`, side by side.

- the former hangs and unbounded costs of issue 15: each pattern run over free text on
  1 MB of text built to make it backtrack (against 1 MB of ordinary notes, and against
  2 MB of the same to show the growth is linear), a check of a file holding such a note,
  a folder with a named pipe in it, 5 MB of `[a,a,a,...]`, a set of 10,000 questions, and
  an export of 40,000 actions, each against a 20 s and 500 MiB bound.

`--walkthrough` runs only the walkthrough's two; `--hostile` only issue 15's; `--records`
only the two Word records, and with `--against OTHER/bin/scr-audit` it times another build
(the version before a change, installed in its own virtual environment) beside this one,
the runs interleaved so that the machine's load falls on both alike, and prints the ratio.

and prints each against its bar. Timings are the best of --repeat runs, because a noisy
machine only ever makes a run slower. Nothing here is a pass/fail test: machines differ;
the ratios are what to compare.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from scr_audit.markers import Registry  # noqa: E402

FLOOR = """
import sys
from pathlib import Path
from ruamel.yaml import YAML
y = YAML(typ="safe", pure=False)
assert y.Parser.__name__ == "CParser", "the C extension (ruamel.yaml.clib) is not installed"
for p in sorted(Path(sys.argv[1]).glob("*.yaml")):
    y.load(p.read_bytes().decode("utf-8"))
"""

MEASURE = """
import resource, subprocess, sys, time
t = time.perf_counter()
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, code)
"""

SOURCES = [
    "the terms of reference agreed on {d}",
    "the panel minutes of {d}",
    "the scoping document (version {n})",
    "the chair's decision record",
    "the practitioner event feedback forms ({n} returned)",
    "the final report, section {n}",
    "the lead reviewer's progress report to the subgroup",
    "correspondence with the police disclosure officer",
    "the business unit's action log",
    "the Board meeting agenda and minutes",
]
FINDINGS = [
    "record that agencies were asked for chronologies and all but one responded on time",
    "show the rationale was discussed and agreed by the subgroup before the decision",
    "set out roles for the lead reviewer, the panel and the business manager",
    "note a delay while the criminal trial concluded, explained to the family in writing",
    "show practitioners were briefed on the purpose of the review beforehand",
    "describe how the family's views were sought and how they shaped the analysis",
    "explain the findings in plain English with the system factors behind each",
    "do not say how the Board will know whether the actions made a difference",
]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "September", "October", "November"]


def evidence(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(1, 3)):
        src = rng.choice(SOURCES).format(d=f"{rng.randint(1, 28)} {rng.choice(MONTHS)} 2025", n=rng.randint(2, 9))
        parts.append(f"{src[0].upper()}{src[1:]} {rng.choice(FINDINGS)}.")
    return " ".join(parts)


def generate(directory: Path, n: int, seed: int = 2016) -> None:
    mset = Registry().get("scr-quality-markers")
    rng = random.Random(seed)
    for i in range(n):
        lines = [
            "scr-audit: 1",
            "marker-set: scr-quality-markers",
            'marker-set-version: "2016"',
            "review:",
            f"  title: Child {i:04d}",
            "  partnership: Anytown LSCB",
            "  stage: end",
            "  lead-reviewers: [A. Reviewer]",
            "  assessors: [B. Panel-Member]",
            "  assessed-on: 2026-11-01",
            "  dates:",
            "    incident: 2025-01-10",
            "    referral: 2025-01-20",
            "    decision: 2025-02-14",
            "    completed: 2025-07-30",
            "    published: 2025-10-01",
            "markers:",
        ]
        for m in mset.markers:
            lines += [f"  # {m.id} {m.title}", f"  {m.id}:", "    answers:"]
            answers = [rng.choice(["yes", "yes", "yes", "partly", "no"]) for _ in m.questions]
            for q, a in zip(m.questions, answers):
                lines.append(f"      {q.number}:")
                lines.append(f"        answer: {a}")
                lines.append(f"        evidence: {json.dumps(evidence(rng))}")
            mean = sum({"yes": 1, "partly": 0.5, "no": 0}[a] for a in answers) / len(answers)
            rating = "met" if mean >= 0.8 else "partly-met" if mean >= 0.4 else "not-met"
            lines.append(f"    rating: {rating}")
            lines.append(f"    rationale: {json.dumps('On balance ' + rng.choice(FINDINGS) + '.')}")
            if rating != "met":
                lines += [
                    "    actions:",
                    f"      - action: {json.dumps('Agree how the Board will check that ' + rng.choice(FINDINGS))}",
                    "        owner: LSCB business manager",
                    "        due: 2027-03-31",
                    "        status: open",
                ]
        (directory / f"review-{i:04d}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def run(cmd: list[str], repeat: int, timeout: float | None = None) -> tuple[float, int, int]:
    """Best wall time (s), peak RSS (KiB) of the command's processes, exit code."""
    best, peak, code = float("inf"), 0, -1
    for _ in range(repeat):
        out = subprocess.run([sys.executable, "-c", MEASURE, *cmd], capture_output=True, text=True, check=True, timeout=timeout).stdout.split()
        best = min(best, float(out[0]))
        peak = max(peak, int(out[1]))
        code = int(out[2])
    return best, peak, code


def startup(repeat: int, commands: dict[str, list[str]], env: dict[str, str]) -> dict[str, tuple[float, float]]:
    """Median (wall, CPU) seconds of each command, run in turn so load falls on all alike."""
    import resource

    wall: dict[str, list[float]] = {name: [] for name in commands}
    cpu: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(repeat):
        for name, cmd in commands.items():
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            t = time.perf_counter()
            subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
            wall[name].append(time.perf_counter() - t)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu[name].append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return {name: (statistics.median(wall[name]), statistics.median(cpu[name])) for name in commands}


def cold_check(scr_audit: str, review: Path, work: Path) -> float:
    """One check with an empty marker-set cache (the first run after installing): wall seconds."""
    env = {**os.environ, "SCR_AUDIT_CACHE_DIR": str(work / "cold-cache")}
    t = time.perf_counter()
    subprocess.run([scr_audit, "check", str(review)], stdout=subprocess.DEVNULL, env=env)
    return time.perf_counter() - t


EXAMPLE_REPORT = HERE.parent / "examples" / "reports" / "child-h-report.pdf"


def eighty_pages(path: Path, pages: int = 80) -> int:
    """An 80-page PDF report: the example report's pages, repeated (real text, fonts, a table)."""
    import pypdfium2 as pdfium

    src = pdfium.PdfDocument(str(EXAMPLE_REPORT))
    out = pdfium.PdfDocument.new()
    while len(out) < pages:
        out.import_pages(src, list(range(min(len(src), pages - len(out)))))
    out.save(str(path))
    return len(out)
def walkthrough_file(path: Path, seed: int = 13) -> None:
    """A review with 100 of its 107 questions answered, each with long evidence (~60 KB)."""
    mset = Registry().get("scr-quality-markers")
    rng = random.Random(seed)
    lines = [
        "# yaml-language-server: $schema=scr-quality-markers.schema.json",
        "scr-audit: 1", "marker-set: scr-quality-markers", 'marker-set-version: "2016"', "review:",
        "  title: Child W", "  stage: end", "  assessors: [B. Panel-Member]", "markers:",
    ]
    answered = 0
    for m in mset.markers:
        lines += [f"  # {m.id} {m.title}", f"  {m.id}:", "    answers:"]
        for q in m.questions:
            lines.append(f"      # {q.number}. {q.text}")
            if answered < 100:
                note = " ".join(evidence(rng) for _ in range(2))
                lines.append(f'      "{q.number}": {{answer: {rng.choice(["yes", "partly", "no"])}, evidence: {json.dumps(note)}}}')
                answered += 1
            else:
                lines.append(f'      "{q.number}":')
        lines += ["    rating:", "    rationale:", "    actions: []"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


ANSWER_PROMPT = "b/s/q/?]"


def save_latency(path: Path, questions: int) -> tuple[list[float], list[float]]:
    """(seconds from Enter on a changed answer to the evidence prompt, seconds from Enter on
    the evidence, which saves nothing, to the next question's prompt), on a pseudo-terminal."""
    import pexpect

    env = {k: v for k, v in os.environ.items() if k not in ("EDITOR", "VISUAL")}
    env["NO_COLOR"] = "1"
    child = pexpect.spawn(sys.executable, ["-m", "scr_audit", "assess", str(path), "--revisit"], cwd=str(path.parent),
                          env=env, encoding="utf-8", timeout=60, dimensions=(50, 200))
    child.delaybeforesend = None  # pexpect's own pause before each line is not the tool's time
    saves, plain = [], []
    try:
        child.expect(r"Answer \[.*\(Enter: (\w[\w-]*)\): ")
        for _ in range(questions):
            recorded = child.match.group(1)
            changed = {"yes": "n", "no": "y", "partly": "y"}.get(recorded, "y")
            t = time.perf_counter()
            child.sendline(changed)
            child.expect_exact("Evidence (Enter keeps it")
            child.expect_exact("editor): ")
            saves.append(time.perf_counter() - t)
            t = time.perf_counter()
            child.sendline("")
            while child.expect([r"Answer \[.*\(Enter: (\w[\w-]*)\): ", r"Rating \[", r"Rationale", r"improvement action\?.*: "]) != 0:
                child.sendline("n" if "action" in child.after else "")  # a marker's end: keep its rating and rationale
                t = 0.0
            if t:
                plain.append(time.perf_counter() - t)
        child.sendline("q")
        if child.expect([pexpect.EOF, "Type l for the full list"]) == 1:
            child.sendline("")
            child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    return saves, plain


def ruamel_resave(path: Path, repeat: int) -> float:
    """Median seconds to record one answer by re-serialising the whole file (the old way)."""
    from scr_audit.editing import ReviewEditor
    from scr_audit.review import read_review

    text = path.read_text(encoding="utf-8")
    times = []
    for i in range(repeat):
        t = time.perf_counter()
        ed = ReviewEditor(text, [])
        ed.set_answer("QM1", 1, "no" if i % 2 else "yes", "A note.")
        out = ed.text()
        read_review(path, text=out)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def assess_startup(path: Path, repeat: int) -> tuple[float, float]:
    """Medians (s) of `python -c "import click"` and of `assess` to its first prompt on a
    pseudo-terminal, run alternately."""
    import pexpect

    env = {k: v for k, v in os.environ.items() if k not in ("EDITOR", "VISUAL")}
    env["NO_COLOR"] = "1"
    a, b = [], []
    for _ in range(repeat):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import click"], check=True)
        a.append(time.perf_counter() - t)
        t = time.perf_counter()
        child = pexpect.spawn(sys.executable, ["-m", "scr_audit", "assess", str(path)], cwd=str(path.parent), env=env,
                              encoding="utf-8", timeout=60, dimensions=(50, 200))
        child.expect_exact(ANSWER_PROMPT)
        b.append(time.perf_counter() - t)
        child.close(force=True)
    return statistics.median(a), statistics.median(b)


def walkthrough_figures(work: Path, repeat: int) -> None:
    path = work / "walk" / "child-w.yaml"
    path.parent.mkdir()
    walkthrough_file(path)
    size = path.stat().st_size / 1024
    print(f"walkthrough: {path.name}, {size:.0f} KiB, 100 of 107 questions answered with long evidence")
    saves, plain = save_latency(path, 60)
    med, worst = statistics.median(saves), max(saves)
    print(f"save, Enter on a changed answer to the next prompt ({len(saves)} saves): median {med * 1000:.1f} ms "
          f"({med / 0.020:.2f}x the 20 ms bar), max {worst * 1000:.1f} ms ({worst / 0.050:.2f}x the 50 ms bar)")
    print(f"  the same Enter without a save (terminal round trip alone): median {statistics.median(plain) * 1000:.1f} ms")
    old = ruamel_resave(path, max(5, repeat * 3))
    print(f"  re-serialising the whole file through ruamel instead (the old way, in-process): {old * 1000:.1f} ms, "
          f"{old / med:.1f}x the targeted save")
    click_t, start_t = assess_startup(path, max(11, repeat * 5))
    print(f"start-up: assess to its first prompt {start_t * 1000:.0f} ms, python -c 'import click' {click_t * 1000:.0f} ms: "
          f"{start_t / click_t:.2f}x (bar: at most 3x)")


# ------------------------------------------------------------------ issue 15: hostile

#: The bound every hostile case must stay under (the issue's check: each case under 20 s).
HOSTILE_BOUND = 20.0
#: 1 MB of text built to make each pattern over free text backtrack, as the issue asks.
MB = 1024 * 1024


def adversarial(kind: str, size: int) -> str:
    """`size` characters that made a pattern backtrack (before issue 15), by pattern."""
    units = {
        "email": "a.",  # then one '@': every start of the run was scanned to the end
        "email-at": "a@a-",  # many '@', each with a long run after it
        "dob": "born" + " " * 60,  # `\\s*[:-]?\\s*` split each run of spaces two ways
        "dob-words": "date of birth  ",
        "nhs": "123 456 789 ",
        "postcode": "SW1A 1A ",
        "ni": "QQ 12 34 56 ",
        "phone": "07700 900 12 ",
    }
    unit = units[kind]
    text = (unit * (size // len(unit) + 1))[:size]
    return text[:-1] + "@" if kind == "email" else text  # one '@' at the end, after the long run


def ordinary(size: int) -> str:
    rng = random.Random(15)
    parts = []
    while sum(len(p) for p in parts) < size:
        parts.append(evidence(rng) + " ")
    return "".join(parts)[:size]


def best_of(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def hostile(work: Path, repeat: int, scr_audit: str) -> None:
    from scr_audit import personal_data

    print(f"hostile input (issue 15): each bounded at {HOSTILE_BOUND:.0f} s; patterns on 1 MB, in-process, best of {repeat}")
    notes = ordinary(MB)
    base = best_of(lambda: personal_data.find(notes), repeat)
    print(f"{'personal-data patterns, 1 MB of':34} {'seconds':>8} {'x notes':>8} {'2 MB/1 MB':>10}")
    print(f"{'ordinary notes (the baseline)':34} {base:8.2f} {1.0:8.2f}")
    for kind in ("email", "email-at", "dob", "dob-words", "nhs", "postcode", "ni", "phone"):
        text1, text2 = adversarial(kind, MB), adversarial(kind, 2 * MB)
        one = best_of(lambda: personal_data.find(text1), repeat)
        two = best_of(lambda: personal_data.find(text2), repeat)
        verdict = "within bound" if one < HOSTILE_BOUND else "OVER THE BOUND"
        print(f"{'adversarial: ' + kind:34} {one:8.2f} {one / base:8.2f} {two / one:10.2f}  {verdict}; linear if the last is about 2")

    qm = Registry().get("scr-quality-markers")
    if not (work / "n100").is_dir():  # run alone (--hostile): one complete review to build on
        (work / "n100").mkdir()
        generate(work / "n100", 1)
    note = work / "note.yaml"
    text = (work / "n100" / "review-0000.yaml").read_text(encoding="utf-8")
    note.write_text(text.replace("        evidence: ", "        evidence: " + json.dumps(adversarial("email", MB) + adversarial("dob", 200_000)) + " #", 1), encoding="utf-8")
    fifo_dir = work / "with-fifo"
    fifo_dir.mkdir()
    shutil.copy(work / "n100" / "review-0000.yaml", fifo_dir / "good.yaml")
    has_fifo = hasattr(os, "mkfifo")
    if has_fifo:
        os.mkfifo(fifo_dir / "x.yaml")
    flat = work / "flat.yaml"
    flat.write_text("[" + ",".join(["a"] * 2_400_000) + "]\n", encoding="utf-8")
    sets = work / "sets"
    big_set = sets / "ten-thousand"
    big_set.mkdir(parents=True)
    header = (Path(__file__).resolve().parent.parent / "markers" / "scr-quality-markers" / "set.yaml").read_text(encoding="utf-8")
    (big_set / "set.yaml").write_text(header.replace("id: scr-quality-markers", "id: ten-thousand", 1), encoding="utf-8")
    questions = "".join(f"  - number: {n}\n    text: Question {n}?\n" for n in range(1, 10_001))
    (big_set / "QM1.yaml").write_text(f"id: QM1\nnumber: 1\ntitle: One marker\ncluster: setting-up\nstatement: A statement.\nquestions:\n{questions}", encoding="utf-8")
    answers = "".join(f"      {n}: {{answer: partly, evidence: Evidence {n}.}}\n" for n in range(1, 10_001))
    big_review = work / "ten-thousand.yaml"
    big_review.write_text(f"scr-audit: 1\nmarker-set: ten-thousand\nreview:\n  title: Big\n  stage: end\nmarkers:\n  QM1:\n    answers:\n{answers}    rating: partly-met\n", encoding="utf-8")
    actions = work / "actions.yaml"
    lines = text.splitlines()
    out = []
    per = 40_000 // len(qm.markers) + 1
    for line in lines:
        if line == "    actions:":  # the marker's own actions join the list below
            continue
        out.append(line)
        if line.startswith("    rationale:"):
            out.append("    actions:")
            out += [f"      - {{action: Action {i} agree a protocol with the agency, owner: LSCB business manager}}" for i in range(per)]
    actions.write_text("\n".join(out) + "\n", encoding="utf-8")
    record = work / "actions.docx"

    cases = [
        ("check, a 1.2 MB adversarial note", [scr_audit, "check", str(note)]),
        ("export --redact, the same note", [scr_audit, "export", str(note), "-o", str(work / "note.docx"), "--force", "--redact"]),
        ("check, a folder with a named pipe", [scr_audit, "check", str(fifo_dir)]) if has_fifo else None,
        ("check, 5 MB of [a,a,a,...]", [scr_audit, "check", str(flat)]),
        ("check, a set of 10,000 questions", [scr_audit, "--markers", str(sets), "check", str(big_review)]),
        (f"export, {per * len(qm.markers):,} actions", [scr_audit, "export", str(actions), "-o", str(record), "--force"]),
    ]
    print()
    print(f"{'whole commands':34} {'seconds':>8} {'peak MiB':>9}  exit")
    for case in cases:
        if case is None:
            print(f"{'check, a folder with a named pipe':34} skipped: no os.mkfifo here")
            continue
        name, cmd = case
        try:
            secs, peak, code = run(cmd, repeat, timeout=HOSTILE_BOUND * 3)
        except subprocess.TimeoutExpired:
            print(f"{name:34} {'>' + str(int(HOSTILE_BOUND * 3)):>8}          OVER THE BOUND (a hang)")
            continue
        verdict = "within bound" if secs < HOSTILE_BOUND and peak < 500 * 1024 else "OVER THE BOUND"
        print(f"{name:34} {secs:8.2f} {peak / 1024:9.0f}  {code}   {verdict} (bounds: {HOSTILE_BOUND:.0f} s, 500 MiB)")


def records(work: Path, repeat: int, scr_audit: str, against: str | None = None) -> None:
    """The audit record of one complete review and the summary record of 50, with its chart."""
    small = work / "n100"
    if not small.is_dir():
        small.mkdir()
        generate(small, 100)
    one_review = sorted(small.iterdir())[0]
    fifty = work / "n50"
    if not fifty.is_dir():
        fifty.mkdir()
        for p in sorted(small.iterdir())[:50]:
            shutil.copy(p, fifty / p.name)
    builds = [("this build", scr_audit)] + ([("--against", against)] if against else [])
    best: dict[str, list[float]] = {name: [float("inf"), float("inf")] for name, _ in builds}
    codes: dict[str, list[int]] = {name: [0, 0] for name, _ in builds}
    for _ in range(repeat):
        for name, exe in builds:  # interleaved: a change in the machine's load falls on each build alike
            for i, args in enumerate(([str(one_review)], [str(fifty)])):
                t, _, code = run([exe, "export", *args, "-o", str(work / f"record-{i}.docx"), "--force"], 1)
                best[name][i] = min(best[name][i], t)
                codes[name][i] = code
    print(f"Word records, best of {repeat} (load average {os.getloadavg()[0]:.2f}):")
    for name, exe in builds:
        one, many = best[name]
        print(f"  {name} ({exe}):")
        print(f"    audit record of one complete review (.docx): {one:.2f} s as a command, exit {codes[name][0]}: {one / 1.0:.2f}x the bar (under 1 s)")
        print(f"    summary record of 50 complete reviews with its chart (.docx): {many:.2f} s as a command, exit {codes[name][1]}: "
              f"{many / 3.0:.2f}x the bar (under 3 s)")
    if against:
        (one, many), (one0, many0) = best["this build"], best["--against"]
        print(f"  this build against --against: audit record {one / one0:.2f}x, summary record {many / many0:.2f}x")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=1000, help="files in the big batch (default 1000)")
    ap.add_argument("--repeat", type=int, default=3, help="runs per timing; the best counts (default 3)")
    ap.add_argument("--keep", action="store_true", help="keep the generated files")
    ap.add_argument("--walkthrough", action="store_true", help="only the walkthrough's figures (save latency, assess start-up)")
    ap.add_argument("--hostile", action="store_true", help="only issue 15's bounds on hostile input (patterns, special files, sizes)")
    ap.add_argument("--records", action="store_true", help="only the Word records (the audit record of one review, the summary record of 50)")
    ap.add_argument("--against", metavar="SCR_AUDIT", default=None, help="with --records: another build's scr-audit, timed beside this one")
    args = ap.parse_args()
    scr_audit = shutil.which("scr-audit") or str(Path(sys.executable).parent / "scr-audit")
    alone = {
        "records": lambda work: records(work, args.repeat, scr_audit, args.against),
        "hostile": lambda work: hostile(work, args.repeat, scr_audit),
        "walkthrough": lambda work: walkthrough_figures(work, args.repeat),
    }
    for name, measure in alone.items():
        if getattr(args, name):  # one part alone, in a folder of its own
            work = Path(tempfile.mkdtemp(prefix="scr-audit-bench-"))
            try:
                print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, load {os.getloadavg()[0]:.2f}")
                measure(work)
            finally:
                shutil.rmtree(work, ignore_errors=True)
            return
    work = Path(tempfile.mkdtemp(prefix="scr-audit-bench-"))
    try:
        big, small = work / f"n{args.n}", work / "n100"
        big.mkdir()
        small.mkdir()
        generate(big, args.n)
        generate(small, 100)
        size = sum(p.stat().st_size for p in big.iterdir()) / args.n / 1024
        print(f"scr-audit benchmarks: {args.n} complete review files ({size:.0f} KiB each), best of {args.repeat}")
        print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.platform()}")
        print()

        floor, floor_mem, _ = run([sys.executable, "-c", FLOOR, str(big)], args.repeat)
        one, one_mem, one_code = run([scr_audit, "check", "--jobs", "1", "--format", "json", str(big)], args.repeat)
        allc, all_mem, all_code = run([scr_audit, "check", "--format", "json", str(big)], args.repeat)
        summ, _, _ = run([scr_audit, "summary", "--csv", str(big)], args.repeat)
        xlsx_out = work / "summary.xlsx"
        book, _, _ = run([scr_audit, "summary", str(big), "-o", str(xlsx_out), "--force"], args.repeat)
        acts, _, _ = run([scr_audit, "actions", "--format", "csv", str(big)], args.repeat)
        _, mem100, _ = run([scr_audit, "check", "--jobs", "1", "--format", "json", str(small)], 1)
        one_review = next(iter(sorted(small.iterdir())))
        env = {**os.environ, "SCR_AUDIT_CACHE_DIR": str(work / "cache")}
        subprocess.run([scr_audit, "markers", "show", "QM1"], stdout=subprocess.DEVNULL, env=env)  # fills the cache
        starts = startup(
            max(11, args.repeat * 7),
            {
                "python -c 'import click'": [sys.executable, "-c", "import click"],
                "scr-audit --help": [scr_audit, "--help"],
                "scr-audit check ONE.yaml": [scr_audit, "check", str(one_review)],
                "scr-audit markers show QM1": [scr_audit, "markers", "show", "QM1"],
            },
            env,
        )
        cold = cold_check(scr_audit, one_review, work)

        rows = [
            ("C safe-load floor (load only)", floor, 1.0, ""),
            ("check --jobs 1", one, one / floor, "bar: at most 1.5x the floor"),
            (f"check, all cores ({os.cpu_count()})", allc, allc / floor, "bar: below the floor"),
            ("summary --csv, all cores", summ, summ / floor, ""),
            ("summary -o FILE.xlsx, all cores", book, book / floor, ""),
            ("actions --format csv, all cores", acts, acts / floor, ""),
        ]
        print(f"{'batch of ' + str(args.n):34} {'seconds':>8} {'x floor':>8}")
        for name, secs, ratio, bar in rows:
            print(f"{name:34} {secs:8.2f} {ratio:8.2f}  {bar}")
        print(f"(check exit codes: {one_code} and {all_code}; the generated files carry findings by design: 0 errors expected)")
        print()
        print(f"peak memory, check --jobs 1: N=100 {mem100 / 1024:.0f} MiB, N={args.n} {one_mem / 1024:.0f} MiB "
              f"(floor process {floor_mem / 1024:.0f} MiB; all cores, largest process {all_mem / 1024:.0f} MiB)")
        print()
        base_wall, base_cpu = starts["python -c 'import click'"]
        bars = {"scr-audit --help": 1.5, "scr-audit check ONE.yaml": 3.0, "scr-audit markers show QM1": 3.0}
        print(f"{'start-up (medians, interleaved)':34} {'wall ms':>8} {'x click':>8} {'CPU ms':>8} {'x click':>8}")
        for name, (w, c) in starts.items():
            bar = f"  bar: at most {bars[name]:.1f}x" if name in bars else ""
            print(f"{name:34} {w * 1000:8.0f} {w / base_wall:8.2f} {c * 1000:8.0f} {c / base_cpu:8.2f}{bar}")
        print(f"(check ONE.yaml is one complete review; the first check after installing, with the marker-set "
              f"cache still empty, took {cold * 1000:.0f} ms)")
        help_text = subprocess.run([scr_audit, "--help"], capture_output=True, text=True).stdout
        if " export " in help_text:
            records(work, args.repeat, scr_audit)
        else:
            print("export: not available in this build")
        if " scan " in help_text:
            report = work / "report-80.pdf"
            pages = eighty_pages(report)
            t, _, code = run([scr_audit, "scan", str(report), "-o", str(work / "scanned.yaml"), "--force"], args.repeat)
            print(f"scan of an {pages}-page PDF report, writing the review file: {t:.2f} s as a command, exit {code} "
                  f"({t / 2.0:.2f}x the bar: under 2 s)")
        else:
            print("scan: not available in this build")
        print()
        walkthrough_figures(work, args.repeat)
        print()
        hostile(work, args.repeat, scr_audit)
    finally:
        if args.keep:
            print(f"files kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
