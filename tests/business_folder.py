"""A business manager's folder, generated: what `summary`, `actions` and the workbook are tried on.

- Child D, stage end: three panel members' own files, not yet moderated, rating QM1
  met / partly met / not met (its standing rating: partly met, the middle one), QM2 met /
  met / partly met (met), the rest met; each proposes the same QM1 action, and Patel one
  of their own.
- Child E, stage end: two panel members' files and the agreed file (`assessment: agreed`)
  that stands for them: QM3 not met in the agreed file, whatever the others say.
- Child F, stage progressive: one file, QM1 partly met, the rest unrated.
- A review whose title, partnership, owner and action texts begin with `=`, `+`, `-` and
  `@` (stage end, one file), with dates (decision 2025-02-14, completed 2025-09-30).
- A file that is not YAML, which is skipped with its reason.

Overdue is judged at AS_OF.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from conftest import review_text

AS_OF = date(2027, 3, 1)
HOSTILE_TITLE = '=HYPERLINK("http://x","click")'
HOSTILE_PARTNERSHIP = "+1+1 LSCB"
HOSTILE_OWNER = "-2+3 (business manager)"
HOSTILE_ACTION = "@SUM(1,1) review the referral form"
MINUS_ACTION = "-5 days of slack agreed with the chair"

SHARED_ACTION = {"action": "Add a reason-for-delay field to the referral form.", "owner": "LSCB business manager", "due": "2027-01-31", "status": "open"}
PATEL_ACTION = {"action": "Brief the chair on the statutory criteria.", "owner": "Designated nurse", "due": "2027-06-30", "status": "in-progress"}
DONE_ACTION = {"action": "Publish the report.", "owner": "LSCB independent chair", "due": "2026-12-01", "status": "done"}
AGREED_ACTION = {"action": "Agree a family liaison protocol with the police.", "owner": "Case Review Subgroup chair", "due": "2026-11-30", "status": "open"}
NO_DUE_ACTION = {"action": "Name complicating factors in every terms of reference.", "owner": "Case Review Subgroup chair", "status": "open"}


def _ratings(**given: str) -> Any:
    return lambda m: given.get(m, "met")


def make_folder(root: Path, qm: Any) -> Path:
    d = root / "reviews"
    d.mkdir()
    dates = {"incident": date(2025, 1, 10), "referral": date(2025, 1, 20), "decision": date(2025, 2, 14), "completed": date(2025, 9, 30), "published": date(2025, 12, 1)}
    for name, qm1, qm2, extra in (
        ("smith", "met", "met", []),
        ("jones", "partly-met", "met", []),
        ("patel", "not-met", "partly-met", [PATEL_ACTION]),
    ):
        (d / f"child-d-{name}.yaml").write_text(
            review_text(
                qm,
                title="Child D",
                rating=_ratings(QM1=qm1, QM2=qm2),
                actions=lambda m, extra=extra: ([SHARED_ACTION] + extra) if m == "QM1" else [],
                assessors=(name.capitalize(),),
                dates=dates,
                delay_reasons="Parallel criminal trial.",
            ),
            encoding="utf-8",
        )
    for name, qm3 in (("lee", "met"), ("khan", "partly-met")):
        (d / f"child-e-{name}.yaml").write_text(
            review_text(qm, title="child  e", rating=_ratings(QM3=qm3), assessors=(name.capitalize(),), actions=lambda m: [AGREED_ACTION] if m == "QM3" else []),
            encoding="utf-8",
        )
    (d / "child-e-agreed.yaml").write_text(
        review_text(
            qm,
            title="Child E",
            rating=_ratings(QM3="not-met"),
            assessors=("Lee", "Khan"),
            extra_review="  assessment: agreed",
            actions=lambda m: [AGREED_ACTION, DONE_ACTION] if m == "QM3" else [],
        ),
        encoding="utf-8",
    )
    (d / "child-f.yaml").write_text(
        review_text(
            qm,
            title="Child F",
            stage="progressive",
            answer=lambda m, q: "partly" if m == "QM1" else None,
            rating=lambda m: "partly-met" if m == "QM1" else None,
            actions=lambda m: [NO_DUE_ACTION] if m == "QM1" else [],
        ),
        encoding="utf-8",
    )
    hostile = review_text(
        qm,
        title=HOSTILE_TITLE,
        rating=_ratings(QM4="not-met"),
        actions=lambda m: [{"action": HOSTILE_ACTION, "owner": HOSTILE_OWNER, "due": "2026-12-31"}, {"action": MINUS_ACTION, "owner": "=cmd|' /C calc'!A0", "due": "2027-02-01"}] if m == "QM4" else [],
        dates=dates,
        delay_reasons="-- waiting for the trial",
    ).replace("partnership: Anytown LSCB", f'partnership: "{HOSTILE_PARTNERSHIP}"')
    (d / "hostile.yaml").write_text(hostile, encoding="utf-8")
    (d / "broken.yaml").write_text("scr-audit: 1\nreview: [\n", encoding="utf-8")
    return d
