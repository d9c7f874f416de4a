"""Editing a review file in place: the person's comments, order, blank lines and
indentation stay where they were, and every value reads back as it was meant."""

from __future__ import annotations

from datetime import date

import pytest

from scr_audit.editing import ReviewEditor
from scr_audit.yamlio import parse

ORDER = [f"QM{i}" for i in range(1, 19)]


def text(*lines: str) -> str:
    return "".join(line + "\n" for line in lines)


def test_an_empty_marker_grows_into_a_block_under_its_own_comments():
    before = text(
        "markers:",
        "  QM1:  # to do",
        "  # QM2 next: decision-making",
        "  QM2:",
        "    answers:  # none yet",
        "    # the rating, once agreed",
        "    rating:",
    )
    ed = ReviewEditor(before, ORDER)
    ed.set_answer("QM1", 1, "yes")
    ed.set_answer("QM2", 2, "no", "Minutes say nothing.")
    assert ed.text() == text(
        "markers:",
        "  QM1:  # to do",
        "    answers:",
        '      "1": yes',
        "  # QM2 next: decision-making",
        "  QM2:",
        "    answers:  # none yet",
        '      "2": {answer: no, evidence: Minutes say nothing.}',
        "    # the rating, once agreed",
        "    rating:",
    )


def test_a_missing_marker_goes_in_the_sets_order_above_the_next_ones_comment():
    before = text(
        "markers:",
        "  QM1:",
        "    rating: met",
        "",
        "  # QM5: parallel processes",
        "  QM5:",
        "    rating: met",
    )
    ed = ReviewEditor(before, ORDER)
    ed.set_rating("QM3", "not-met")
    assert ed.text() == text(
        "markers:",
        "  QM1:",
        "    rating: met",
        "  QM3:",
        "    rating: not-met",
        "",
        "  # QM5: parallel processes",
        "  QM5:",
        "    rating: met",
    )


def test_a_missing_question_goes_between_its_neighbours():
    before = text(
        "markers:",
        "  QM2:",
        "    answers:",
        "      # 1. first",
        "      1: yes",
        "      # 3. third",
        "      3: no",
    )
    ed = ReviewEditor(before, ORDER)
    ed.set_answer("QM2", 2, "partly")
    assert ed.text() == text(
        "markers:",
        "  QM2:",
        "    answers:",
        "      # 1. first",
        "      1: yes",
        "      2: partly",
        "      # 3. third",
        "      3: no",
    )


def test_an_action_appended_stays_above_the_next_markers_header():
    before = text(
        "markers:",
        "  QM1:",
        "    actions:",
        "      - action: First",
        "        owner: Chair  # agreed",
        "",
        "  # QM2 Decision-making",
        "  QM2:",
        "    actions: []",
        "  # QM3 Advising board members",
        "  QM3:",
    )
    ed = ReviewEditor(before, ORDER)
    ed.add_action("QM1", "Second", "Manager", date(2027, 1, 31))
    ed.add_action("QM2", "Third")
    assert ed.text() == text(
        "markers:",
        "  QM1:",
        "    actions:",
        "      - action: First",
        "        owner: Chair  # agreed",
        "      - action: Second",
        "        owner: Manager",
        "        due: 2027-01-31",
        "        status: open",
        "",
        "  # QM2 Decision-making",
        "  QM2:",
        "    actions:",
        "      - action: Third",
        "        status: open",
        "  # QM3 Advising board members",
        "  QM3:",
    )


@pytest.mark.parametrize(
    "before",
    [
        text("markers:", "    QM1:", "        answers:", "            1: yes", "        actions:", "        -   action: a"),
        text("markers:", "  QM1:", "    answers:", "      1: yes", "    actions:", "    - action: a"),
        text("markers:", "    QM1:", "        answers:", "            1: yes", "        actions:", "            - action: a"),
    ],
)
def test_the_files_own_indentation_is_kept(before: str):
    ed = ReviewEditor(before, ORDER)
    assert ed.text() == before
    ed.set_answer("QM1", 2, "no")
    ed.add_action("QM1", "b")
    after = ed.text()
    indent = before.splitlines()[1].index("Q")
    assert f"{' ' * (indent * 3)}2: no\n" in after
    assert after.splitlines()[-2] == before.splitlines()[-1].replace("action: a", "action: b")  # same dash, same indent


def test_windows_line_endings_are_kept():
    before = "markers:\r\n  QM1:\r\n    answers:\r\n      1:\r\n"
    ed = ReviewEditor(before, ORDER)
    ed.set_answer("QM1", 1, "yes")
    assert ed.text() == "markers:\r\n  QM1:\r\n    answers:\r\n      1: yes\r\n"


def test_a_hand_written_answer_mapping_is_updated_in_its_own_form():
    before = text(
        "markers:",
        "  QM1:",
        "    answers:",
        "      '1':   # quoted key, block form",
        "        answer: partly",
        "        evidence: old note  # from the panel",
        "      2: {answer: no, evidence: kept}",
    )
    ed = ReviewEditor(before, ORDER)
    ed.set_answer("QM1", 1, "yes", "new note")
    ed.set_answer("QM1", 2, "yes")
    assert ed.text() == text(
        "markers:",
        "  QM1:",
        "    answers:",
        "      '1':   # quoted key, block form",
        "        answer: yes",
        "        evidence: new note  # from the panel",
        "      2: {answer: yes}",
    )


@pytest.mark.parametrize(
    "value",
    ["no", "yes", "No", "off", "null", "~", "12", "1.5", "2025-01-31", "true", "- dash", "#hash", "a: b", "it's \"quoted\"", "é 😀", "line one\n\nline two\ttab"],
)
def test_every_value_reads_back_as_written(value: str):
    ed = ReviewEditor(text("markers:", "  QM4:", "    answers:", "      1:"), ORDER)
    ed.set_answer("QM4", 1, value, value)
    ed.set_rationale("QM4", value)
    ed.add_action("QM4", value, value)
    out = ed.text()
    data = parse(out, "t").data["markers"]["QM4"]
    assert data["answers"][1] == {"answer": value, "evidence": value}
    assert data["rationale"] == value
    assert data["actions"] == [{"action": value, "owner": value, "status": "open"}]
    assert out.count("\n") == 9  # a note of several lines stays on its one line


def test_a_review_file_without_markers_gets_them():
    ed = ReviewEditor(text("scr-audit: 1", "review:", "  title: X  # anonymised", "  stage: end"), ORDER)
    ed.set_answer("QM1", 1, "yes")
    assert ed.text() == text("scr-audit: 1", "review:", "  title: X  # anonymised", "  stage: end", "markers:", "  QM1:", "    answers:", '      "1": yes')


@pytest.mark.parametrize(
    "before",
    [
        text("# Child K, second panel", "---", "scr-audit: 1", "markers:"),
        text("# head", "", "--- # start", "scr-audit: 1", "markers:"),
        text("---", "scr-audit: 1", "markers:"),
    ],
)
def test_comments_before_the_document_start_are_kept(before: str):
    ed = ReviewEditor(before, ORDER)
    ed.set_answer("QM1", 1, "yes")
    assert ed.text() == before + text("  QM1:", "    answers:", '      "1": yes')
    assert ed.lost_comments(ed.text()) == []


def test_lost_comments_names_what_a_text_no_longer_holds():
    ed = ReviewEditor(text("# one", "a: 1  # eol", "# two", "# two"), ORDER)
    assert ed.lost_comments(text("# two", "a: 1")) == ["# one", "# two"]


# ------------------------------------------------------------------ the API scan --into calls


def test_set_answer_writes_a_suggestion_with_its_evidence_and_confirming_removes_the_mark():
    before = text("markers:", "  QM1:", "    answers:", "      # 1. The question", '      "1":', "      # 2. The next")
    ed = ReviewEditor(before, ORDER)
    ed.set_answer("QM1", 1, "yes", "Report, p. 3", suggested_by="scan")
    out = ed.text()
    assert '      "1": {answer: yes, evidence: Report, p. 3, suggested-by: scan}' in out or '"1": {answer: yes, evidence: \'Report, p. 3\', suggested-by: scan}' in out
    assert "# 1. The question" in out and "# 2. The next" in out
    assert parse(out, "t").data["markers"]["QM1"]["answers"]["1"] == {"answer": "yes", "evidence": "Report, p. 3", "suggested-by": "scan"}
    ed.set_answer("QM1", 1, "yes", "Report, p. 3")
    assert parse(ed.text(), "t").data["markers"]["QM1"]["answers"]["1"] == {"answer": "yes", "evidence": "Report, p. 3"}


# ------------------------------------------------------------------ saves in place (the store)


TRICKY = ["no", "yes", "No", "off", "null", "~", "12", "1.5", "2025-01-31", "true", "- dash", "#hash", "a: b", "a, b [c] {d}",
          "it's \"quoted\"", "é 😀", "line one\n\nline two\ttab", "back\\slash", " leading", "trailing ", "x #y", "ok:"]


@pytest.mark.parametrize("value", TRICKY)
def test_a_save_in_place_changes_one_line_and_reads_back_as_written(tmp_path, registry, value: str):
    from scr_audit import template
    from scr_audit.review import read_review
    from scr_audit.walkthrough.changes import AnswerChange, FieldChange
    from scr_audit.walkthrough.store import ReviewStore

    mset = registry.get("scr-quality-markers")
    path = tmp_path / "r.yaml"
    path.write_text(template.render(mset, title="R", stage="end"), encoding="utf-8")
    before = path.read_text(encoding="utf-8")
    note = value.strip()
    with ReviewStore.open(path, registry) as store:
        store.save(AnswerChange("QM4", 2, "partly", note))
        store.save(AnswerChange("QM4", 2, "no", note))  # the same line again
        store.save(FieldChange("QM4", "rationale", note))
        assert store._stale  # written in place, no full parse
        after = path.read_text(encoding="utf-8")
        changed = [(a, b) for a, b in zip(before.splitlines(), after.splitlines()) if a != b]
        assert len(before.splitlines()) == len(after.splitlines()) and len(changed) == 2
        full = read_review(path)
        assert not full.findings
        assert full.doc.data == store.read.doc.data  # what the store believes is what the file says
        ans = full.review.entry("QM4").answers["2"]
        assert (ans.answer, ans.evidence) == ("no", note)
        assert full.review.entry("QM4").rationale == note
        store.save(FieldChange("QM4", "rating", "partly-met"))
        store.save(FieldChange("QM4", "rating", None))
        assert read_review(path).review.entry("QM4").rating is None
        assert store.report().errors > 0  # a full read again for the report: the file is far from complete
