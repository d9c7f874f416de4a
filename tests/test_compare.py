"""`scr-audit compare`: moderation of several assessors' files, through the CLI."""

from __future__ import annotations

import json
import re
from pathlib import Path

import docx
import pytest
from readers import needs_soffice, to_pdf

from scr_audit import yamlio
from scr_audit.checks import CheckOptions, check_read
from scr_audit.markers import load_marker_set
from scr_audit.review import answer_for, read_review

# QM1..QM18: ten met, five partly met, three not met.
BASE = ["met"] * 10 + ["partly-met"] * 5 + ["not-met"] * 3
A_RATINGS = {f"QM{i}": r for i, r in enumerate(BASE, start=1)}
# Four disagreements: QM2 met/partly, QM5 met/not, QM12 partly/met, QM17 not/partly.
B_RATINGS = {**A_RATINGS, "QM2": "partly-met", "QM5": "not-met", "QM12": "met", "QM17": "partly-met"}
# A third assessor: QM2 not met, QM17 partly met, otherwise as A.
C_RATINGS = {**A_RATINGS, "QM2": "not-met", "QM17": "partly-met"}
BUNDLED = Path(__file__).resolve().parent.parent / "markers"
DISPUTED_EVIDENCE = "Referral form is silent on the statutory criteria."


def _a_answer(m: str, q: int) -> str:
    return "partly" if (m, q) == ("QM1", 2) else "yes"


def _a_evidence(m: str, q: int) -> str:
    return DISPUTED_EVIDENCE if (m, q) == ("QM1", 2) else f"Evidence for {m} question {q}: minutes of the panel meeting."


def _b_evidence(m: str, q: int) -> str:
    return "Chair's letter of 3 March." if (m, q) == ("QM3", 1) else f"Evidence for {m} question {q}: minutes of the panel meeting."


@pytest.fixture
def panel(write_review):
    """Two assessors: 18 markers rated, four ratings and one answer disputed."""
    a = write_review("smith.yaml", rating=lambda m: A_RATINGS[m], assessors=("A. Smith",), answer=_a_answer, evidence=_a_evidence)
    b = write_review("jones.yaml", rating=lambda m: B_RATINGS[m], assessors=("B. Jones",), evidence=_b_evidence)
    return a, b


def test_two_assessors_four_disagreements(cli, panel):
    # Hand computation. 14 of 18 ratings the same: percentage agreement 14/18 = 77.8%.
    # A: met 10, partly 5, not 3.   B: met 10-2+1 = 9, partly 5-1+1+1 = 6, not 3-1+1 = 3.
    # Cohen: expected = (10*9 + 5*6 + 3*3) / 18^2 = 129/324 = 0.398
    #        kappa = (14/18 - 129/324) / (1 - 129/324) = (252 - 129) / (324 - 129) = 123/195 = 0.63
    # Weighted (linear; one step 1/2, two steps 0): the four differences are QM2, QM12, QM17 one step
    # (1/2 each) and QM5 two steps (0), so observed = (14 + 3/2) / 18 = 279/324 = 0.861
    #        expected = [diagonal 129 + 1/2 * (met-partly 10*6 + partly-met 5*9 + partly-not 5*3
    #                    + not-partly 3*6 = 138)] / 324 = 198/324 = 0.611
    #        kappa = (279 - 198) / (324 - 198) = 81/126 = 0.64
    result = cli("compare", *panel)
    assert result.exit_code == 1, result.output
    out = result.stdout
    assert "Percentage agreement: 77.8% (the same on 14 of 18 Quality Markers)." in out
    assert "Cohen's kappa: 0.63, substantial agreement, over 18 Quality Markers; observed agreement 0.78, expected by chance 0.40." in out
    assert "Weighted kappa (linear): 0.64, substantial agreement, over 18 Quality Markers; observed agreement 0.86, expected by chance 0.61." in out
    assert "Ratings differ on 4 of 18 Quality Markers: QM2, QM5, QM12, QM17." in out
    assert "Compared: 18 of 18 Quality Markers rated by every assessor." in out
    # the table: one row per marker, disagreements marked
    rows = {line.split("│")[1].strip(): line for line in out.splitlines() if line.startswith("│ QM")}
    assert len(rows) == 18
    assert "DIFFERS" in rows["QM2"] and "Partly met" in rows["QM2"]
    assert [m for m, line in rows.items() if "DIFFERS" in line] == ["QM2", "QM5", "QM12", "QM17"]
    # each disputed point with each assessor's words
    assert "Points to settle" in out
    settle = out[out.index("Points to settle") :]
    assert "QM2 Decision-making (Setting up the review)\n  Rating: the assessors differ\n    A. Smith: Met — Rationale for QM2\n    B. Jones: Partly met — Rationale for QM2" in settle
    assert f"    A. Smith: Partly — {DISPUTED_EVIDENCE}" in settle
    assert "    B. Jones: Yes — Evidence for QM1 question 2: minutes of the panel meeting." in settle
    assert "Answers differ on 1 question (in 1 Quality Marker)" in out
    # answers: 106 of 107 the same, and the kappa paradox is explained rather than left bare
    assert "Percentage agreement: 99.1% (the same on 106 of 107 questions)." in out
    assert "Nearly every value given was the same one" in out
    assert "nan" not in re.findall(r"[a-z]+", out.lower())


def test_json_has_the_same_figures(cli, panel):
    result = cli("compare", *panel, "--format", "json")
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    ratings = doc["agreement"]["ratings"]
    assert ratings["items"] == 18
    assert ratings["percent-agreement"]["percent"] == 77.78
    assert ratings["cohen-kappa"]["value"] == round(123 / 195, 4)
    assert ratings["weighted-kappa"]["value"] == round(81 / 126, 4)
    assert ratings["cohen-kappa"]["band"] == "substantial"
    assert "fleiss-kappa" not in ratings
    assert doc["ratings-differ"] == ["QM2", "QM5", "QM12", "QM17"]
    assert doc["answers-differ"] == ["QM1 q2"]
    assert doc["agree-on-every-rating"] is False
    assert [a["name"] for a in doc["assessors"]] == ["A. Smith", "B. Jones"]
    qm1 = doc["markers"][0]
    assert qm1["answers"][1]["status"] == "differ"
    assert qm1["answers"][1]["positions"][0] == {
        "assessor": "A. Smith", "given": True, "value": "partly", "label": "Partly", "note": DISPUTED_EVIDENCE,
    }  # fmt: skip


def test_agreeing_on_every_rating_exits_0_and_says_why_kappa_is_missing(cli, write_review):
    # Both rate all 18 markers met: agreement expected by chance is 100%, so no kappa.
    a = write_review(assessors=("A. Smith",))
    b = write_review(assessors=("B. Jones",))
    result = cli("compare", a, b)
    assert result.exit_code == 0, result.output
    assert "Percentage agreement: 100.0% (the same on 18 of 18 Quality Markers)." in result.stdout
    assert (
        "Cohen's kappa: not computed: every assessor gave all 18 Quality Markers the same value (met), so agreement "
        "expected by chance is 100% and kappa cannot be computed (it would be 0 divided by 0)." in result.stdout
    )
    assert "Weighted kappa (linear): not computed" in result.stdout
    assert "The assessors gave the same rating to every Quality Marker rated by any of them (18 of 18)." in result.stdout
    assert "Points to settle" not in result.stdout
    words = re.findall(r"[a-z]+", result.stdout.lower())
    assert "nan" not in words and "inf" not in words


def test_three_assessors_fleiss_kappa(cli, write_review):
    # Hand computation, 3 assessors, 18 markers (A, B as A but QM2 partly, C as A but QM2 not and QM17 partly).
    # Per marker, the share of assessor pairs agreeing: 16 markers all three the same -> 1 each;
    # QM2 met/partly/not -> (1+1+1-3)/6 = 0; QM17 not/not/partly -> (4+1-3)/6 = 1/3.
    # observed = (16 + 0 + 1/3) / 18 = 49/54
    # ratings given: met 9*3 + 1 = 28, partly 5*3 + 1 + 1 = 17, not 2*3 + 1 + 2 = 9 (of 54)
    # expected = (28^2 + 17^2 + 9^2) / 54^2 = (784 + 289 + 81) / 2916 = 1154/2916
    # kappa = (2646 - 1154) / (2916 - 1154) = 1492/1762 = 0.85
    # All three the same on 16 of 18: 88.9%.
    b_ratings = {**A_RATINGS, "QM2": "partly-met"}
    files = [
        write_review(rating=lambda m: A_RATINGS[m], assessors=("A. Smith",)),
        write_review(rating=lambda m: b_ratings[m], assessors=("B. Jones",)),
        write_review(rating=lambda m: C_RATINGS[m], assessors=("C. Patel",)),
    ]
    result = cli("compare", *files)
    assert result.exit_code == 1, result.output
    out = result.stdout
    assert "Percentage agreement: 88.9% (the same on 16 of 18 Quality Markers)." in out
    assert "Fleiss' kappa: 0.85, almost perfect agreement, over 18 Quality Markers" in out
    assert "Cohen's kappa" not in out and "Weighted kappa" not in out
    assert "Ratings differ on 2 of 18 Quality Markers: QM2, QM17." in out
    settle = out[out.index("Points to settle") :]
    assert "    A. Smith: Met — Rationale for QM2\n    B. Jones: Partly met — Rationale for QM2\n    C. Patel: Not met — Rationale for QM2" in settle
    doc = json.loads(cli("compare", *files, "--format", "json").stdout)
    assert doc["agreement"]["ratings"]["fleiss-kappa"]["value"] == round(1492 / 1762, 4)


def test_unrated_and_not_applicable_are_left_out_and_named(cli, write_review):
    a_ratings = {**A_RATINGS, "QM3": "not-applicable", "QM4": "met"}
    b_ratings = {**A_RATINGS, "QM3": "not-applicable", "QM4": None}
    a = write_review(rating=lambda m: a_ratings[m], assessors=("A. Smith",))
    b = write_review(rating=lambda m: b_ratings[m], assessors=("B. Jones",))
    result = cli("compare", a, b)
    # QM4 rated by A only: a point to settle, so exit 1 although no rating differs
    assert result.exit_code == 1, result.output
    out = result.stdout
    assert "Compared: 17 of 18 Quality Markers rated by every assessor. Left out: QM4 (not rated by B. Jones)." in out
    assert "Cohen's kappa: 1.00, almost perfect agreement, over 17 Quality Markers" in out
    assert "Weighted kappa (linear): 1.00, almost perfect agreement, over 16 Quality Markers" in out
    assert "Also left out of this figure: QM3 (not applicable by A. Smith and B. Jones)." in out
    assert "Rated by only some assessors: QM4." in out
    assert "  Rating: not rated by B. Jones\n    A. Smith: Met — Rationale for QM4\n    B. Jones: not rated — Rationale for QM4" in out


def test_too_few_markers_for_a_kappa(cli, write_review):
    # A progressive review: three markers rated so far.
    rated = {"QM1": "met", "QM2": "partly-met", "QM3": "met"}
    b_rated = {**rated, "QM2": "met"}

    def answers(m: str, q: int):
        return "yes" if m in rated else None

    a = write_review(stage="progressive", rating=rated.get, answer=answers, assessors=("A. Smith",))
    b = write_review(stage="progressive", rating=b_rated.get, answer=answers, assessors=("B. Jones",))
    result = cli("compare", a, b)
    assert result.exit_code == 1, result.output
    out = result.stdout
    assert "Percentage agreement: 66.7% (the same on 2 of 3 Quality Markers)." in out
    assert "Cohen's kappa: not computed: only 3 Quality Markers compared; a kappa needs at least 5 to mean anything." in out
    assert "Left out: QM4, QM5, QM6, QM7, QM8, QM9, QM10, QM11 and 7 more (not rated by anyone)." in out
    assert "Ratings differ on 1 of 18 Quality Markers: QM2." in out


# ---------------------------------------------------------------------------------- merge


def test_merge_then_check(cli, panel, tmp_path, registry):
    out = tmp_path / "agreed.yaml"
    result = cli("compare", *panel, "--merge", out)
    assert result.exit_code == 1, result.output
    assert f"Wrote {out}: agreed answers and ratings filled in; 4 ratings and 1 answer left open" in result.stdout
    text = out.read_text(encoding="utf-8")

    # a valid format-1 review file: read without schema errors, only the open points reported
    read = read_review(out)
    report = check_read(read, registry, CheckOptions())
    rules = {f.rule for f in report.findings}
    assert not rules & {"yaml-syntax", "not-a-review", "schema", "invalid-answer", "invalid-rating", "unknown-marker"}
    open_points = sorted((f.rule, f.message.split()[0]) for f in report.findings if f.severity == "error")
    assert open_points == [
        ("unanswered-question", "QM1"),
        ("unrated-marker", "QM12"),
        ("unrated-marker", "QM17"),
        ("unrated-marker", "QM2"),
        ("unrated-marker", "QM5"),
    ]
    checked = cli("check", out)
    assert checked.exit_code == 1
    assert "schema" not in checked.stdout and "5 errors" in checked.stdout

    review = read.review
    assert review.review.assessors == ["A. Smith", "B. Jones"]
    # agreed ratings kept, with both rationales (identical here, so once)
    for marker, rating in A_RATINGS.items():
        expected = None if marker in ("QM2", "QM5", "QM12", "QM17") else rating
        assert review.entry(marker).rating == expected, marker
    assert review.entry("QM1").rationale == "Rationale for QM1"
    assert review.entry("QM2").rationale is None
    # the disputed answer left open, agreed ones kept with their evidence
    assert answer_for(review.entry("QM1"), 2)[1] is None
    kept = answer_for(review.entry("QM1"), 1)[1]
    assert kept.answer == "yes" and kept.evidence == "Evidence for QM1 question 1: minutes of the panel meeting."
    # same answer, different evidence: both kept, each labelled
    both = answer_for(review.entry("QM3"), 1)[1]
    assert both.answer == "yes"
    assert both.evidence == "A. Smith: Evidence for QM3 question 1: minutes of the panel meeting.\nB. Jones: Chair's letter of 3 March."

    # each disagreement open, the positions in comments above it, question text kept
    assert (
        "      # TO SETTLE (the assessors differ):\n"
        f"      #   A. Smith: partly — {DISPUTED_EVIDENCE}\n"
        "      #   B. Jones: yes — Evidence for QM1 question 2: minutes of the panel meeting.\n"
        '      "2":\n'
    ) in text
    assert (
        "    # TO SETTLE (the assessors differ):\n"
        "    #   A. Smith: met — Rationale for QM2\n"
        "    #   B. Jones: partly-met — Rationale for QM2\n"
        "    rating:\n    rationale:\n"
    ) in text
    assert "      # 1. Is the rationale for the referral clear, and supported by adequate information?\n      \"1\":\n" in text
    assert "# Left out" not in text and "Left open: 4 rating(s) (QM2, QM5, QM12, QM17) and 1 answer(s)." in text


def test_merged_comments_survive_a_round_trip_edit(cli, panel, tmp_path):
    # `assess` edits with the round-trip dumper: settling points must not lose the comments.
    out = tmp_path / "agreed.yaml"
    cli("compare", *panel, "--merge", out)
    text = out.read_text(encoding="utf-8")
    data = yamlio.load_roundtrip(text)
    data["markers"]["QM2"]["rating"] = "partly-met"
    data["markers"]["QM1"]["answers"]["2"] = "partly"  # question keys are written "1", "2"
    edited = yamlio.dump_roundtrip(data)
    assert edited.count("# TO SETTLE (") == text.count("# TO SETTLE (") == 5
    assert f"#   A. Smith: partly — {DISPUTED_EVIDENCE}" in edited
    assert "# 2. Does the referral state explicitly whether the case met the statutory criteria, or if" in edited
    again = read_review(out, text=edited).review
    assert again.entry("QM2").rating == "partly-met"
    assert answer_for(again.entry("QM1"), 2)[1].answer == "partly"


def test_merge_never_overwrites(cli, panel, tmp_path):
    out = tmp_path / "agreed.yaml"
    out.write_text("my notes\n", encoding="utf-8")
    result = cli("compare", *panel, "--merge", out)
    assert result.exit_code == 2
    assert f"{out} already exists" in result.stderr
    assert out.read_text(encoding="utf-8") == "my notes\n"
    assert "Points to settle" not in result.stdout  # refused before any work
    result = cli("compare", *panel, "--merge", panel[0])
    assert result.exit_code == 2 and "one of the files being read" in result.stderr


def test_merge_survives_any_text_the_assessors_wrote(cli, write_review, tmp_path, registry):
    # Control characters (escaped in the source file), YAML punctuation, quotes, a line
    # break and an indented line: the merged file must still read, and the words survive.
    odd = 'Bell \u0007, line\u2028sep; "quoted" #not-a-comment: key: value\n  indented - item'
    a = write_review(
        assessors=("A. Smith",),
        answer=lambda m, q: "no" if (m, q) == ("QM1", 1) else "yes",
        evidence=lambda m, q: odd if m == "QM1" else f"Evidence {m} {q}",
    )
    b = write_review(assessors=("B. Jones",), evidence=lambda m, q: f"Evidence {m} {q}")
    out = tmp_path / "agreed.yaml"
    assert cli("compare", a, b, "--merge", out).exit_code == 0
    read = read_review(out)
    assert read.findings == [] and read.review is not None
    report = check_read(read, registry, CheckOptions())
    assert {f.rule for f in report.findings} <= {"unanswered-question", "personal-data"}
    kept = answer_for(read.review.entry("QM1"), 2)[1]
    assert kept.evidence == f"A. Smith: {odd}\nB. Jones: Evidence QM1 2"
    assert "#   A. Smith: no — Bell , line sep; \"quoted\" #not-a-comment: key: value indented - item" in out.read_text()


def test_review_details_that_differ(cli, write_review, tmp_path):
    from datetime import date

    dates = {"decision": date(2025, 2, 14), "completed": date(2025, 7, 30)}
    a = write_review(assessors=("A. Smith",), dates=dates, delay_reasons="Parallel criminal trial.")
    b = write_review(assessors=("B. Jones",), stage="progressive", dates={**dates, "decision": date(2025, 2, 20)})
    out = tmp_path / "agreed.yaml"
    result = cli("compare", a, b, "--merge", out)
    assert result.exit_code == 0, result.output
    assert "warning: the stages differ (A. Smith: end; B. Jones: progressive)" in result.stderr
    assert "Review details that differ\n  stage: A. Smith: end; B. Jones: progressive\n  dates: decision: A. Smith: 2025-02-14; B. Jones: 2025-02-20" in result.stdout
    text = out.read_text(encoding="utf-8")
    assert "    # TO SETTLE (the assessors differ):\n    #   A. Smith: 2025-02-14\n    #   B. Jones: 2025-02-20\n    decision:\n" in text
    assert "    completed: 2025-07-30\n" in text
    assert "  # (the first file's stage is kept until the panel settles it)\n  stage: end\n" in text
    merged = read_review(out).review
    assert merged.review.dates.decision is None and merged.review.stage == "end"
    assert merged.review.delay_reasons == "A. Smith: Parallel criminal trial."


def test_merge_keeps_every_proposed_action_with_who_proposed_it(cli, write_review, tmp_path):
    shared = {"action": "Add a rationale field to the referral form.", "owner": "Business manager", "due": "2027-01-31"}
    own = {"action": "Brief the panel on criteria.", "owner": "Chair", "due": "2027-02-28"}
    partly = {**A_RATINGS, "QM1": "partly-met"}
    a = write_review(rating=partly.get, assessors=("A. Smith",), actions=lambda m: [shared, own] if m == "QM1" else [])
    b = write_review(rating=partly.get, assessors=("B. Jones",), actions=lambda m: [shared] if m == "QM1" else [])
    out = tmp_path / "agreed.yaml"
    assert cli("compare", a, b, "--merge", out).exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert "      # proposed by A. Smith and B. Jones\n      - action: Add a rationale field to the referral form.\n" in text
    assert "      # proposed by A. Smith\n      - action: Brief the panel on criteria.\n" in text
    entry = read_review(out).review.entry("QM1")
    assert [x.action for x in entry.actions] == [shared["action"], own["action"]]
    assert entry.actions[0].owner == "Business manager" and str(entry.actions[0].due) == "2027-01-31"


# ----------------------------------------------------------------------------------- Word


def _all_text(document: docx.document.Document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts)


def test_word_record(cli, panel, tmp_path):
    out = tmp_path / "moderation.docx"
    result = cli("compare", *panel, "-o", out)
    assert result.exit_code == 1, result.output
    assert f"Wrote {out}: the moderation record." in result.stdout
    document = docx.Document(str(out))
    section = document.sections[0]
    assert [p.text for p in section.header.paragraphs] == ["OFFICIAL-SENSITIVE"]
    # the house style's footer: the marking again, then which record this is and "Page X of Y"
    footer = [p.text for p in section.footer.paragraphs]
    assert footer[0] == "OFFICIAL-SENSITIVE" and footer[1].startswith("Child D · moderation record · generated ")
    footer_xml = section.footer._element.xml
    assert "PAGE" in footer_xml and "NUMPAGES" in footer_xml and "OFFICIAL-SENSITIVE" in footer_xml
    assert document.paragraphs[0].style.name == "Title"
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert ("Heading 1", "Agreement") in headings and ("Heading 1", "Points to settle") in headings
    assert [t for s, t in headings if s == "Heading 2"] == ["QM1 Referral", "QM2 Decision-making", "QM5 Clarity of purpose", "QM12 Family involvement", "QM17 Publication"]
    assert document.core_properties.title == "Moderation record: Child D"

    figures = next(t for t in document.tables if t.rows[0].cells[0].text == "Figure")
    rows = {r.cells[0].text: [c.text for c in r.cells] for r in figures.rows}
    assert rows["Percentage agreement"][1] == "77.8% (14 of 18)"
    assert rows["Cohen's kappa"][1] == "0.63 (substantial), over 18"
    assert rows["Weighted kappa (linear)"][1] == "0.64 (substantial), over 18"

    ratings = next(t for t in document.tables if t.rows[0].cells[0].text == "Marker")
    assert [c.text for c in ratings.rows[0].cells] == ["Marker", "Title", "A. Smith", "B. Jones", "Agreement"]
    by_marker = {r.cells[0].text: r for r in ratings.rows[1:]}
    assert len(by_marker) == 18
    qm2 = by_marker["QM2"]
    assert [c.text for c in qm2.cells] == ["QM2", "Decision-making", "Met", "Partly met", "Differs"]
    assert 'w:fill="F4B183"' in qm2._tr.xml
    assert "w:fill" not in by_marker["QM1"]._tr.xml

    text = _all_text(document)
    assert DISPUTED_EVIDENCE in text
    assert "Agreed rating" in text and "Agreed answer to question 2" in text and "Sign-off" in text


def test_word_marking_options_and_unsafe_text(cli, write_review, tmp_path):
    nasty = "Bell \u0007 here, form feed \u000c there; emoji \U0001F600 and Arabic \u0645\u0631\u062d\u0628\u0627"
    a = write_review(
        assessors=("A. Smith",),
        rating=lambda m: "not-met" if m == "QM4" else "met",
        answer=lambda m, q: "no" if (m, q) == ("QM4", 1) else "yes",
        evidence=lambda m, q: nasty,
    )
    b = write_review(assessors=("B. Jones",))
    plain = tmp_path / "plain.docx"
    assert cli("compare", a, b, "-o", plain, "--no-marking").exit_code == 1
    document = docx.Document(str(plain))
    header_footer = document.sections[0].header._element.xml + document.sections[0].footer._element.xml
    assert "OFFICIAL" not in header_footer
    marked = tmp_path / "marked.docx"
    assert cli("compare", a, b, "-o", marked, "--marking", "OFFICIAL").exit_code == 1
    assert docx.Document(str(marked)).sections[0].header.paragraphs[0].text == "OFFICIAL"
    text = _all_text(document)
    # control characters dropped; a form feed is a line break, as in every record (records.style.safe_text)
    assert "Bell  here, form feed \n there; emoji \U0001F600 and Arabic \u0645\u0631\u062d\u0628\u0627" in text


def test_word_record_refuses_to_overwrite(cli, panel, tmp_path, write_review):
    out = tmp_path / "moderation.docx"
    out.write_bytes(b"an earlier record")
    result = cli("compare", *panel, "-o", out)
    assert result.exit_code == 2 and "already exists" in result.stderr and "--force" in result.stderr
    assert out.read_bytes() == b"an earlier record"
    assert cli("compare", *panel, "-o", out, "--force").exit_code == 1
    assert docx.Document(str(out)).paragraphs[0].text == "Moderation record: Child D"
    odd = write_review("review.docx")
    result = cli("compare", odd, panel[1], "-o", odd, "--force")
    assert result.exit_code == 2 and "one of the files being read" in result.stderr


def test_word_record_gives_a_large_panel_a_landscape_ratings_page(cli, write_review, tmp_path):
    names = ["A. Smith", "B. Jones", "C. Patel", "D. Okafor", "E. Nguyen-Fitzwilliam"]
    files = [write_review(f"{i}.yaml", assessors=(n,), rating=lambda m, i=i: "partly-met" if (m, i) == ("QM3", 2) else "met") for i, n in enumerate(names)]
    out = tmp_path / "moderation.docx"
    assert cli("compare", *files, "-o", out).exit_code == 1
    document = docx.Document(str(out))
    portrait, landscape, back = document.sections
    assert portrait.page_width < portrait.page_height and landscape.page_width > landscape.page_height
    assert back.page_width < back.page_height
    for section in document.sections:  # every page keeps the marking, top and bottom
        assert section.header.paragraphs[0].text == "OFFICIAL-SENSITIVE"
        assert section.footer.paragraphs[0].text == "OFFICIAL-SENSITIVE"
    ratings = next(t for t in document.tables if t.rows[0].cells[0].text == "Marker")
    assert [c.text for c in ratings.rows[0].cells] == ["Marker", "Title", *names, "Agreement"]
    assert all(ratings.columns[i].width >= docx.shared.Cm(1.9) for i in range(2, 2 + len(names)))
    qm3 = next(r for r in ratings.rows if r.cells[0].text == "QM3")
    assert [c.text for c in qm3.cells][2:] == ["Met", "Met", "Partly met", "Met", "Met", "Differs"]
    # two assessors fit on the portrait page
    two = tmp_path / "two.docx"
    cli("compare", *files[:2], "-o", two)
    assert len(docx.Document(str(two)).sections) == 1


@needs_soffice
def test_word_record_converts_to_pdf(cli, panel, tmp_path):
    out = tmp_path / "moderation.docx"
    cli("compare", *panel, "-o", out)
    assert to_pdf(out, tmp_path).stat().st_size > 0


# ------------------------------------------------------------------- files that differ


def test_files_that_cannot_be_compared_exit_2_with_located_messages(cli, write_review, tmp_path):
    good = write_review(assessors=("A. Smith",))
    bad = tmp_path / "bad.yaml"
    bad.write_text(write_review(assessors=("B. Jones",)).read_text().replace("  stage: end", "  stage: ende").replace("rating: met", "rating: mett", 1))
    result = cli("compare", good, bad)
    assert result.exit_code == 2
    assert f"{bad}:7:10: review stage: 'ende' is not one of the choices (did you mean 'end'?)" in result.stderr
    assert re.search(rf"{re.escape(str(bad))}:\d+:13: QM1: 'mett' is not a rating \(did you mean 'met'\?\)", result.stderr)
    assert "Traceback" not in result.output

    assert cli("compare", good).exit_code == 2
    twice = cli("compare", good, good)
    assert twice.exit_code == 2 and "the same file is given twice" in twice.stderr
    missing = cli("compare", good, tmp_path / "nope.yaml")
    assert missing.exit_code == 2 and "nope.yaml: no such file" in missing.stderr
    notreview = tmp_path / "list.yaml"
    notreview.write_text("- a\n- b\n")
    result = cli("compare", good, notreview)
    assert result.exit_code == 2 and "not a review" in result.stderr


def test_different_marker_sets_cannot_be_compared(cli, write_review, typed_set):
    directory, mset = typed_set
    qm = write_review(assessors=("A. Smith",))
    other = write_review(mset=mset, assessors=("B. Jones",), answer=lambda m, q: TYPED_ANSWERS[(m, q)], evidence=lambda m, q: None)
    result = cli("--markers", directory, "compare", qm, other)
    assert result.exit_code == 2
    assert "different marker sets" in result.stderr and "'scr-quality-markers'" in result.stderr and "'typed-test'" in result.stderr


def test_title_mismatch_is_a_warning_and_names_are_made_unique(cli, write_review, tmp_path):
    a = write_review("first.yaml", title="Child D")
    b = write_review("second.yaml", title="Child E")  # both name "B. Panel-Member"
    result = cli("compare", a, b)
    assert result.exit_code == 0, result.output
    assert "warning: the titles differ (B. Panel-Member (first.yaml): Child D; B. Panel-Member (second.yaml): Child E)" in result.stderr
    assert "B. Panel-Member (first.yaml)" in result.stdout and "B. Panel-Member (second.yaml)" in result.stdout
    c = tmp_path / "c-jones.yaml"
    c.write_text(a.read_text().replace("  assessors: [B. Panel-Member]\n", ""))
    doc = json.loads(cli("compare", a, c, "--format", "json").stdout)
    assert [x["name"] for x in doc["assessors"]] == ["B. Panel-Member", "c-jones"]


# -------------------------------------------------------------------- typed questions


TYPED_MARKERS = {
    "T1": """\
id: T1
number: 1
title: Facts of the review
cluster: setting-up
statement: the facts of the review are recorded
questions:
  - number: 1
    text: Was the referral made on time?
  - number: 2
    text: How many agencies took part?
    type: number
    min: 0
    unit: agencies
  - number: 3
    text: When did the panel first meet?
    type: date
""",
    "T2": """\
id: T2
number: 2
title: Method
cluster: running
statement: the review method is recorded
questions:
  - number: 1
    text: Which method was used?
    type: choice
    options:
      - {id: systems, label: Systems methodology}
      - {id: traditional, label: Traditional SCR}
  - number: 2
    text: What was the main learning?
    type: text
""",
}


TYPED_ANSWERS = {("T1", 1): "yes", ("T1", 2): "4", ("T1", 3): "2025-03-01", ("T2", 1): "systems", ("T2", 2): "Supervision gaps"}


@pytest.fixture
def typed_set(tmp_path):
    directory = tmp_path / "typed-test"
    directory.mkdir()
    header = (BUNDLED / "scr-quality-markers" / "set.yaml").read_text(encoding="utf-8")
    (directory / "set.yaml").write_text(header.replace("id: scr-quality-markers", "id: typed-test"), encoding="utf-8")
    for marker_id, text in TYPED_MARKERS.items():
        (directory / f"{marker_id}.yaml").write_text(text, encoding="utf-8")
    return directory, load_marker_set(directory)


def test_typed_questions_compare_by_value(cli, write_review, typed_set, tmp_path):
    directory, mset = typed_set
    a_answers = TYPED_ANSWERS
    # B: 4.0 is the same number; the choice by its label is the same choice; the date and text differ
    b_answers = {**a_answers, ("T1", 2): "4.0", ("T1", 3): "2025-03-08", ("T2", 1): "Systems methodology", ("T2", 2): "Information sharing"}
    a = write_review(mset=mset, assessors=("A. Smith",), answer=lambda m, q: a_answers[(m, q)], evidence=lambda m, q: None)
    b = write_review(mset=mset, assessors=("B. Jones",), answer=lambda m, q: b_answers[(m, q)], evidence=lambda m, q: None)
    out = tmp_path / "agreed.yaml"
    result = cli("--markers", directory, "compare", a, b, "--merge", out)
    assert result.exit_code == 0, result.output  # ratings agree (both met)
    text = result.stdout
    assert "  Question 3: When did the panel first meet? (the assessors differ)\n    A. Smith: 2025-03-01\n    B. Jones: 2025-03-08" in text
    assert "  Question 2: What was the main learning? (the assessors differ)\n    A. Smith: Supervision gaps\n    B. Jones: Information sharing" in text
    assert "How many agencies" not in text and "Which method" not in text
    # 5 questions answered by both, 3 the same; only the one scale question can enter a kappa
    assert "Percentage agreement: 60.0% (the same on 3 of 5 questions)." in text
    assert "Cohen's kappa: not computed: only 1 question compared; a kappa needs at least 5 to mean anything." in text
    assert "T2 q1 (choice questions, compared for equality only)" in text

    doc = json.loads(cli("--markers", directory, "compare", a, b, "--format", "json").stdout)
    assert doc["answers-differ"] == ["T1 q3", "T2 q2"]
    t1 = doc["markers"][0]["answers"]
    assert t1[1]["status"] == "agreed" and t1[1]["positions"][0]["label"] == "4 agencies"
    assert doc["markers"][1]["answers"][0]["positions"][1]["label"] == "Systems methodology"

    merged = read_review(out).review
    assert answer_for(merged.entry("T1"), 2)[1].answer == 4
    assert answer_for(merged.entry("T1"), 3)[1] is None
    assert answer_for(merged.entry("T2"), 1)[1].answer == "systems"
    assert '      #   A. Smith: 2025-03-01\n      #   B. Jones: 2025-03-08\n      "3":\n' in out.read_text()
    checked = cli("--markers", directory, "check", out)
    assert "invalid-answer" not in checked.stdout and "schema" not in checked.stdout
    assert "T1 question 3 is not answered" in checked.stdout and "T2 question 2 is not answered" in checked.stdout
