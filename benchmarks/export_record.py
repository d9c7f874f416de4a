"""Time `scr-audit export` of one complete review: the product's bar is under one second.

A complete review is made here: every one of the bundled set's 107 questions answered with
an evidence note, every marker rated with a rationale, a few actions. It is exported as a
user runs it (a new process each time, start-up and imports included), and the build
alone is timed in-process as well, so a regression can be told apart from slow start-up.

    python benchmarks/export_record.py [--runs 7] [--max-seconds 1.0]

Prints the median and worst times; exits 1 when the median end-to-end time is over the bar.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def complete_review() -> str:
    from scr_audit.markers import DEFAULT_SET, Registry

    mset = Registry().get(DEFAULT_SET)
    lines = [
        "scr-audit: 1",
        f"marker-set: {mset.id}",
        f"marker-set-version: {json.dumps(mset.version)}",
        "review:",
        "  title: Child B",
        "  partnership: Anytown Safeguarding Children Partnership",
        "  stage: end",
        "  lead-reviewers: [A. Reviewer]",
        "  assessors: [B. Panel-Member, C. Panel-Member]",
        "  assessed-on: 2026-10-15",
        "  dates: {incident: 2025-01-10, referral: 2025-01-20, decision: 2025-02-14, completed: 2025-07-30}",
        "markers:",
    ]
    for i, m in enumerate(mset.markers):
        lines += [f"  {m.id}:", "    answers:"]
        for q in m.questions:
            answer = "partly" if (i + q.number) % 5 == 0 else "yes"
            note = f"Panel minutes of {q.number} March record the discussion of {m.title.lower()}; agency chronologies agree."
            lines.append(f"      {q.number}: {{answer: {answer}, evidence: {json.dumps(note)}}}")
        rating = "partly-met" if i % 4 == 0 else "met"
        lines += [f"    rating: {rating}", f"    rationale: {json.dumps('Judged from the answers and the panel discussion.')}"]
        if rating == "partly-met":
            lines += [
                "    actions:",
                f"      - {{action: {json.dumps('Agree a protocol for ' + m.title.lower() + '.')}, owner: Business manager, due: 2027-03-31}}",
            ]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--max-seconds", type=float, default=1.0)
    args = parser.parse_args()

    from scr_audit import export
    from scr_audit.markers import Registry

    with tempfile.TemporaryDirectory() as tmp:
        review = Path(tmp) / "child-b.yaml"
        review.write_text(complete_review(), encoding="utf-8")
        out = Path(tmp) / "record.docx"
        command = [sys.executable, "-m", "scr_audit", "export", str(review), "-o", str(out), "--force"]

        subprocess.run(command, check=True, capture_output=True)  # warm the file cache
        whole = []
        for _ in range(args.runs):
            start = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True)
            whole.append(time.perf_counter() - start)

        registry = Registry()
        build = []
        for _ in range(args.runs):
            start = time.perf_counter()
            inputs = export.load([review], registry, redact=False)
            document = export.build(inputs, export.ExportOptions(), registry, summary=False)
            export.write(document, out, force=True)
            build.append(time.perf_counter() - start)

    median = statistics.median(whole)
    print(f"export of one complete review (107 answers with evidence), {args.runs} runs:")
    print(f"  end to end (new process): median {median:.3f} s, worst {max(whole):.3f} s")
    print(f"  read, check, build, write (in process): median {statistics.median(build):.3f} s, worst {max(build):.3f} s")
    print(f"  bar: under {args.max_seconds:.1f} s end to end: {'met' if median < args.max_seconds else 'NOT MET'}")
    return 0 if median < args.max_seconds else 1


if __name__ == "__main__":
    sys.exit(main())
