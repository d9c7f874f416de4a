"""`scr-audit assess` with answers piped in (click's CliRunner): what the user sees and
what ends up in the file. The real-terminal side is in test_assess_tty.py."""

from __future__ import annotations

import difflib
from datetime import date
from pathlib import Path

import pytest

from scr_audit.review import answer_for, read_review

ACCEPTANCE_INPUT = "yes\na note\npartly\na second note\n\na rationale\nn\n"


def lines(*items: str) -> str:
    return "".join(item + "\n" for item in items)


def entry(path: Path, marker: str):
    read = read_review(path)
    assert read.review is not None and not read.findings, read.findings
    return read.review.entry(marker)


def answer(path: Path, marker: str, number: int):
    return answer_for(entry(path, marker), number)[1]


def changed_lines(before: str, after: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


@pytest.fixture
def blank(cli, tmp_path: Path):
    """A file made by `scr-audit new`, with a hand-written comment added."""
    path = tmp_path / "child-d.yaml"
    assert cli("new", path, "--title", "Child D", "--stage", "end").exit_code == 0
    text = path.read_text(encoding="utf-8").replace("markers:\n", "# Panel met 3 March; notes in the shared drive.\nmarkers:\n", 1)
    path.write_text(text, encoding="utf-8")
    return path


# ------------------------------------------------------------------ the acceptance check


def test_fresh_file_from_piped_answers_holds_answers_notes_and_rating(cli, tmp_path: Path):
    path = tmp_path / "child-e.yaml"
    result = cli("assess", path, "--marker", "QM3", input=ACCEPTANCE_INPUT)
    assert result.exit_code == 0, result.output
    assert "created with title 'child-e' (from the file name) and stage end" in result.output
    e = entry(path, "QM3")
    one, two = answer(path, "QM3", 1), answer(path, "QM3", 2)
    assert (one.answer, one.evidence) == ("yes", "a note")
    assert (two.answer, two.evidence) == ("partly", "a second note")
    assert e.rating == "partly-met"  # Enter accepted the suggestion
    assert e.rationale == "a rationale"
    assert e.actions == []
    text = path.read_text(encoding="utf-8")
    assert '      "1": {answer: yes, evidence: a note}\n' in text
    assert '      "2": {answer: partly, evidence: a second note}\n' in text
    # the question texts `new` writes are still above each answer
    assert "# 2. Is the rationale for the decision of the chair to hold an SCR" in text
    assert "rated partly-met" in result.output and "That is every Quality Marker selected." in result.output
    assert "scr-audit check" in result.output and "scr-audit export" in result.output


def test_stage_and_title_options_are_used_for_a_new_file(cli, tmp_path: Path):
    path = tmp_path / "r.yaml"
    result = cli("assess", path, "--marker", "QM3", "--title", "Child F", "--stage", "progressive", input="t\n\n")
    assert result.exit_code == 0, result.output
    review = read_review(path).review
    assert review.review.title == "Child F" and review.review.stage == "progressive"
    assert answer(path, "QM3", 1).answer == "not-yet"  # allowed before the end
    assert "Note: answers are piped" not in result.output


# ------------------------------------------------------------------ a whole marker


def test_a_whole_marker_answered_from_a_script(cli, blank: Path):
    before = blank.read_text(encoding="utf-8")
    script = lines(
        "y", "Minutes of the referral meeting.",  # 1
        "maybe", "n", "", "",  # 2: not an answer; then no, and empty evidence twice
        "p", "b", "", "Checks with one neighbouring LSCB only.",  # 3: back from evidence, Enter keeps partly
        "s",  # 4 skipped
        "na", "No delay: decided within a week.",  # 5
        "Y", "",  # 6
        "yes", "Chair's record of decision.",  # 7
        "n/a", "Not relevant to this review.",  # 8
        "YES", "Input invited by e-mail to all members.",  # 9
        "",  # rating: Enter takes the suggestion
        "Strong on process; one question still open.",  # rationale
        "",  # add an action? default yes (partly-met calls for one)
        "Agree a checklist for decision records.", "", "LSCB business manager", "31/01/2027", "2027-01-31",
        "",  # add another? default no now
    )
    result = cli("assess", blank, "--marker", "QM2", input=script)
    assert result.exit_code == 0, result.output
    out = result.output
    assert "'maybe' is not an answer here. Choose y yes, p partly, n no, na not-applicable" in out
    assert "'no' calls for evidence; scr-audit check will flag it (missing-evidence)" in out
    assert "An action without an owner is flagged" in out
    assert "'31/01/2027' is not a date written YYYY-MM-DD" in out
    assert "The answers suggest: partly-met (Partly met)." in out
    assert "Still open in this sitting: QM2: question 4." in out

    text = blank.read_text(encoding="utf-8")
    assert "# Panel met 3 March; notes in the shared drive.\nmarkers:\n" in text
    expected = [
        '-      "1":',
        '-      "2":',
        '-      "3":',
        '-      "5":',
        '-      "6":',
        '-      "7":',
        '-      "8":',
        '-      "9":',
        "-    rating:",
        "-    rationale:",
        "-    actions: []",
        '+      "1": {answer: yes, evidence: Minutes of the referral meeting.}',
        '+      "2": no',
        '+      "3": {answer: partly, evidence: Checks with one neighbouring LSCB only.}',
        '+      "5": {answer: not-applicable, evidence: \'No delay: decided within a week.\'}',
        '+      "6": yes',
        '+      "7": {answer: yes, evidence: Chair\'s record of decision.}',
        '+      "8": {answer: not-applicable, evidence: Not relevant to this review.}',
        '+      "9": {answer: yes, evidence: Input invited by e-mail to all members.}',
        "+    rating: partly-met",
        "+    rationale: Strong on process; one question still open.",
        "+    actions:",
        "+      - action: Agree a checklist for decision records.",
        "+        owner: LSCB business manager",
        "+        due: 2027-01-31",
        "+        status: open",
    ]
    assert sorted(changed_lines(before, text)) == sorted(expected)
    e = entry(blank, "QM2")
    assert e.actions[0].due == date(2027, 1, 31) and e.actions[0].status == "open"
    # the new action's block sits above the next marker's header comment, not below it
    assert text.index("status: open") < text.index("# QM3 Advising board members")


def test_back_at_the_rating_returns_to_the_last_question(cli, blank: Path):
    script = lines("y", "", "y", "", "b", "n", "Nothing was sent to members.", "", "", "")
    result = cli("assess", blank, "--marker", "QM3", input=script)
    assert result.exit_code == 0, result.output
    assert "Recorded: yes" in result.output
    assert answer(blank, "QM3", 2).answer == "no"
    assert entry(blank, "QM3").rating == "partly-met"


def test_help_shows_the_guidance_and_asks_again(cli, blank: Path):
    result = cli("assess", blank, "--marker", "QM3", input=lines("?", "y"))
    assert result.exit_code == 0
    out = result.output
    guidance = out.index("QM3 Advising board members: guidance")
    for heading in ("Rationale", "Knowledge base", "Link to statutory guidance and inspection criteria", "Tackling some common obstacles"):
        assert heading in out[guidance:]
    assert "Successful learning and improvement is achieved through maximum agency input" in out
    # asked again: two answer prompts for question 1, the second after the guidance
    prompts = [i for i in range(len(out)) if out.startswith("Answer [y/p/n/na, b/s/q/?]:", i)]
    assert len(prompts) == 2 and prompts[0] < guidance < prompts[1]
    assert answer(blank, "QM3", 1).answer == "yes"


def test_quit_saves_and_says_how_to_continue(cli, blank: Path):
    result = cli("assess", blank, "--cluster", "setting-up", input=lines("y", "", "q"))
    assert result.exit_code == 0, result.output
    assert "Stopped at QM1 question 2. Saved: everything confirmed is in" in result.output
    assert "continue: scr-audit assess" in result.output and "--cluster setting-up" in result.output
    assert answer(blank, "QM1", 1).answer == "yes"


# ------------------------------------------------------------------ end of input, resume


def test_end_of_input_saves_and_notes_what_is_left(cli, blank: Path):
    result = cli("assess", blank, "--marker", "QM3", input="y\nSome evidence\n")
    assert result.exit_code == 0, result.output
    assert "End of input. Saved: everything confirmed is in" in result.output
    assert "QM3: question 2; rating" in result.output
    assert (answer(blank, "QM3", 1).answer, answer(blank, "QM3", 1).evidence) == ("yes", "Some evidence")


def test_resume_starts_at_the_first_unanswered_question(cli, blank: Path):
    cli("assess", blank, "--marker", "QM3", input="y\nfirst\n")
    result = cli("assess", blank, "--marker", "QM3", input="p\nsecond\n\n\nn\n")
    assert result.exit_code == 0, result.output
    assert "QM3 question 1 of 2" not in result.output
    assert "QM3 question 2 of 2" in result.output
    assert answer(blank, "QM3", 1).evidence == "first" and answer(blank, "QM3", 2).answer == "partly"


def test_resume_skips_answered_and_rated_markers(cli, write_review):
    path = write_review(answer=lambda m, q: None if m == "QM2" and q >= 5 else "yes", rating=lambda m: None if m == "QM2" else "met")
    result = cli("assess", path, "--cluster", "setting-up", input="")
    assert "QM2 question 5 of 9" in result.output
    assert "QM1 question" not in result.output and "QM2 question 4 " not in result.output


def test_a_rated_marker_with_a_missing_answer_is_rated_again_after_it(cli, write_review):
    path = write_review(answer=lambda m, q: None if (m, q) == ("QM3", 2) else "yes")
    result = cli("assess", path, "--marker", "QM3", input=lines("n", "No record of it.", "", "", "n"))
    assert result.exit_code == 0, result.output
    assert "Recorded: met." in result.output and "(Enter: met)" in result.output
    assert entry(path, "QM3").rating == "met"  # Enter keeps the recorded judgement


def test_nothing_to_do_leaves_the_file_alone(cli, write_review):
    path = write_review()
    before = path.read_bytes()
    result = cli("assess", path, input="")
    assert result.exit_code == 0
    assert "Everything selected is answered and rated. Use --revisit" in result.output
    assert path.read_bytes() == before


def test_revisit_with_enter_everywhere_changes_nothing(cli, write_review):
    path = write_review(actions=lambda m: [{"action": "Act", "owner": "Chair", "due": "2027-01-01"}] if m == "QM3" else [])
    before = path.read_bytes()
    result = cli("assess", path, "--marker", "QM3", "--revisit", input=lines("", "", "", "", "", "", "n"))
    assert result.exit_code == 0, result.output
    assert "Recorded: yes (evidence: Evidence for QM3 question 1" in result.output
    assert "1 action recorded:" in result.output and "Add another improvement action? [y/N, b/s/q/?]" in result.output
    assert path.read_bytes() == before


def test_revisit_changes_an_answer_and_clears_a_note(cli, write_review):
    path = write_review()
    result = cli("assess", path, "--marker", "QM3", "--revisit", input=lines("n", "", "", "-", "", "", "n"))
    assert result.exit_code == 0, result.output
    one, two = answer(path, "QM3", 1), answer(path, "QM3", 2)
    assert one.answer == "no" and one.evidence == "Evidence for QM3 question 1: minutes of the panel meeting."
    assert two.answer == "yes" and two.evidence is None


# ------------------------------------------------------------------ what the file held


def test_an_invalid_recorded_answer_is_shown_and_asked_again(cli, write_review):
    path = write_review(answer=lambda m, q: "maybe" if (m, q) == ("QM3", 1) else "yes")
    result = cli("assess", path, "--marker", "QM3", input=lines("y", "", "", "", "n"))
    assert result.exit_code == 0, result.output
    assert "Recorded: 'maybe' is not on the answer scale; answer again." in result.output
    assert answer(path, "QM3", 1).answer == "yes"


def test_not_yet_is_refused_at_stage_end(cli, blank: Path):
    result = cli("assess", blank, "--marker", "QM3", input=lines("t", "y"))
    assert "'not-yet' is for reviews at stage beginning or progressive; this one is at stage end." in result.output
    assert answer(blank, "QM3", 1).answer == "yes"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("scr-audit: 1\nmarker-set: scr-quality-markers\nreview: {title: X, stage: end}\nmarkers:\n  QM19: {}\n", ":5:3: unknown marker 'QM19'"),
        ("scr-audit: 1\nmarker-set: scr-quality-markers\nreview: {title: X, stage: end}\nmarkers:\n  QM3:\n    answers: {7: yes}\n", ":6:15: QM3 has no question 7"),
        ("scr-audit: 1\nmarker-set: scr-quality-markers\nreview: {title: X, stage: end, colour: red}\n", "review has no field called 'colour'"),
        ("scr-audit: 1\nreview: [\n", ":3:"),
        ("just: some yaml\n", "not an scr-audit review file"),
        ("scr-audit: 1\nmarker-set: no-such-set\nreview: {title: X, stage: end}\n", "unknown marker set 'no-such-set'"),
    ],
)
def test_a_file_with_errors_is_refused_and_left_alone(cli, tmp_path: Path, text: str, expected: str):
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    result = cli("assess", path, input="y\n")
    assert result.exit_code == 2
    assert f"{path}" in result.output and "fix them first" in result.output
    assert expected in result.output
    assert path.read_text(encoding="utf-8") == text


def test_an_unknown_marker_option_stops_before_a_file_is_made(cli, tmp_path: Path):
    path = tmp_path / "new.yaml"
    result = cli("assess", path, "--marker", "QM19", input="")
    assert result.exit_code == 2
    assert "unknown marker 'QM19'" in result.output and "did you mean" in result.output
    assert not path.exists()


def test_another_set_than_the_files_is_refused(cli, blank: Path):
    result = cli("assess", blank, "--set", "other-set", input="")
    assert result.exit_code == 2
    assert "is a review against the marker set scr-quality-markers, not other-set; leave out --set" in result.output


def test_a_hand_written_minimal_file_gets_its_marker_added_in_order(cli, tmp_path: Path):
    path = tmp_path / "hand.yaml"
    text = lines(
        "scr-audit: 1",
        "marker-set: scr-quality-markers",
        "review:",
        "    title: Child G",
        "    stage: progressive",
        "markers:",
        "    QM1:",
        "        answers:",
        "            1: yes   # agreed at panel",
        "    # QM5 comes next",
        "    QM5:",
        "        rating: met",
    )
    path.write_text(text, encoding="utf-8")
    result = cli("assess", path, "--marker", "QM3", input=lines("y", "Board minutes", "n", "", "", "", "", "n"))
    assert result.exit_code == 0, result.output
    assert path.read_text(encoding="utf-8") == lines(
        "scr-audit: 1",
        "marker-set: scr-quality-markers",
        "review:",
        "    title: Child G",
        "    stage: progressive",
        "markers:",
        "    QM1:",
        "        answers:",
        "            1: yes   # agreed at panel",
        "    QM3:",
        "        answers:",
        "            1: {answer: yes, evidence: Board minutes}",
        "            2: no",
        "        rating: partly-met",
        "    # QM5 comes next",
        "    QM5:",
        "        rating: met",
    )


# ------------------------------------------------------------------ typed questions

TYPED_SET = """\
id: typed-test
title: Typed test set
version: "1"
item-name: Section
source: {publisher: Test publisher, year: 2024, title: A set with typed questions}
clusters: [{id: main, title: Main}]
answer-scale:
  - {id: "yes", label: "Yes", score: 1, aliases: ["y"]}
  - {id: "no", label: "No", score: 0, aliases: ["n"], needs-evidence: true}
  - {id: not-applicable, label: Not applicable, score: , aliases: ["na", "n/a"], needs-evidence: true, suggests: not-applicable}
rating-scale:
  - {id: good, label: Good, score: 1, colour: green, fill: C6EFCE}
  - {id: poor, label: Poor, score: 0, colour: red, fill: FFC7CE, needs-action: true}
  - {id: not-applicable, label: Not applicable, score: , colour: grey, fill: D9D9D9}
thresholds:
  - {rating: good, min-score: 0.5}
  - {rating: poor, min-score: 0}
"""

TYPED_MARKER = """\
id: T1
number: 1
title: Facts of the review
cluster: main
statement: The review's facts are recorded.
questions:
  - {number: 1, text: "How many days from decision to first panel?", type: number, min: 0, max: 365, unit: days}
  - {number: 2, text: "When was the report published?", type: date}
  - number: 3
    text: Which model of review was used?
    type: choice
    options: [{id: systems, label: Systems model}, {id: traditional, label: Traditional}]
  - {number: 4, text: "Anything else to record?", type: text}
  - {number: 5, text: "Was the panel chaired independently?"}
"""


@pytest.fixture
def typed_dir(tmp_path: Path) -> Path:
    d = tmp_path / "typed-test"
    d.mkdir()
    (d / "set.yaml").write_text(TYPED_SET, encoding="utf-8")
    (d / "T1.yaml").write_text(TYPED_MARKER, encoding="utf-8")
    return d


def test_typed_questions_are_asked_and_checked_by_type(cli, tmp_path: Path, typed_dir: Path):
    path = tmp_path / "typed.yaml"
    script = lines(
        "lots", "400", "42", "",  # number: not a number, above the maximum, then 42
        "31/03/2025", "2025-02-30", "2025-03-31", "",  # date
        "3", "2", "",  # choice by number (3 is out of range)
        "12", "",  # text that looks like a number stays text
        "y", "",  # a scale question in the same set
        "", "", "n",  # rating (suggested good), rationale, no action
    )
    result = cli("--markers", typed_dir, "assess", path, "--set", "typed-test", input=script)
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Answer [number, b/s/q/?]:" in out
    assert "'lots' is not a number." in out and "400 is above the maximum 365." in out
    assert "'31/03/2025' is not a date written YYYY-MM-DD" in out and "'2025-02-30' is not a date" in out
    assert "'3' is not one of the choices. Choose one of 1 Systems model, 2 Traditional" in out
    assert "Section 1 of 1 in this sitting" in out
    e = entry(path, "T1")
    values = [answer_for(e, n)[1].answer for n in range(1, 6)]
    assert values == [42, date(2025, 3, 31), "traditional", "12", "yes"]
    assert e.rating == "good"
    text = path.read_text(encoding="utf-8")
    assert '      "2": 2025-03-31\n' in text and '      "4": \'12\'\n' in text
    check = cli("--markers", typed_dir, "check", path)
    assert "invalid-answer" not in check.output


def test_a_typed_question_takes_not_applicable(cli, tmp_path: Path, typed_dir: Path):
    path = tmp_path / "typed.yaml"
    result = cli("--markers", typed_dir, "assess", path, "--set", "typed-test", input=lines("na", "Not held yet."))
    assert result.exit_code == 0, result.output
    one = answer(path, "T1", 1)
    assert (one.answer, one.evidence) == ("not-applicable", "Not held yet.")


def test_a_symlinked_file_is_updated_through_the_link(cli, blank: Path, tmp_path: Path):
    link = tmp_path / "link.yaml"
    link.symlink_to(blank)
    result = cli("assess", link, "--marker", "QM3", input="y\n\n")
    assert result.exit_code == 0, result.output
    assert link.is_symlink()
    assert answer(blank, "QM3", 1).answer == "yes"


def test_title_and_stage_options_do_not_change_an_existing_file(cli, blank: Path):
    before = blank.read_bytes()
    result = cli("assess", blank, "--marker", "QM3", "--stage", "beginning", input="")
    assert result.exit_code == 0
    assert "already exists: it keeps its title (Child D) and stage (end)" in result.output
    assert blank.read_bytes() == before


def test_help_works_at_every_kind_of_prompt(cli, blank: Path):
    script = lines(
        "?", "y",  # answer
        "?", "Minutes",  # evidence
        "n", "Nothing sent",  # question 2
        "?", "",  # rating
        "?", "Half done",  # rationale
        "?", "y",  # add an action?
        "?", "Circulate decisions", "Chair", "2027-03-31",  # what (after ?), owner, due
        "n",
    )
    result = cli("assess", blank, "--marker", "QM3", input=script)
    assert result.exit_code == 0, result.output
    assert result.output.count("QM3 Advising board members: guidance") == 6
    e = entry(blank, "QM3")
    assert e.rating == "partly-met" and e.rationale == "Half done"
    assert [(a.action, a.owner, a.due) for a in e.actions] == [("Circulate decisions", "Chair", date(2027, 3, 31))]


def test_a_file_whose_comment_could_not_be_kept_is_refused(cli, tmp_path: Path):
    path = tmp_path / "flow.yaml"
    text = lines(
        "scr-audit: 1",
        "marker-set: scr-quality-markers",
        "review: {title: Child J,",
        "  # a comment inside a flow mapping: the YAML library cannot keep it",
        "  stage: end}",
    )
    path.write_text(text, encoding="utf-8")
    result = cli("assess", path, "--marker", "QM3", input="y\n\n")
    assert result.exit_code == 2
    assert "saving QM3 question 1 would drop the comment '# a comment inside a flow mapping" in result.output
    assert "Not saved: QM3 question 1: yes." in result.output
    assert path.read_text(encoding="utf-8") == text


# ------------------------------------------------------------------ issue 13: frictions gone


def test_s_b_q_and_help_mean_the_same_at_the_evidence_prompt(cli, blank: Path):
    script = lines(
        "y", "s",  # s at the evidence prompt skips it: no note called "s"
        "p", "'s'",  # the letter itself, typed in quotes
    )
    result = cli("assess", blank, "--marker", "QM3", input=script)
    assert result.exit_code == 0, result.output
    assert (answer(blank, "QM3", 1).answer, answer(blank, "QM3", 1).evidence) == ("yes", None)
    assert (answer(blank, "QM3", 2).answer, answer(blank, "QM3", 2).evidence) == ("partly", "s")


def test_q_at_the_evidence_prompt_quits_and_b_goes_back_to_the_answer(cli, blank: Path):
    result = cli("assess", blank, "--marker", "QM3", input=lines("y", "b", "n", "q"))
    assert result.exit_code == 0, result.output
    assert "Stopped at QM3 question 1." in result.output
    assert (answer(blank, "QM3", 1).answer, answer(blank, "QM3", 1).evidence) == ("no", None)


@pytest.mark.parametrize("typed, rating", [("m", "met"), ("pm", "partly-met"), ("NM", "not-met"), ("na", "not-applicable"), ("part", "partly-met"), ("not-m", "not-met")])
def test_ratings_take_shortcuts_and_unique_prefixes(cli, blank: Path, typed: str, rating: str):
    result = cli("assess", blank, "--marker", "QM3", input=lines("y", "", "y", "", typed, "", "n"))
    assert result.exit_code == 0, result.output
    assert "Rating [m/pm/nm/na, b/s/q/?]" in result.output
    assert entry(blank, "QM3").rating == rating


def test_an_ambiguous_rating_says_what_it_could_be(cli, blank: Path):
    result = cli("assess", blank, "--marker", "QM3", input=lines("y", "", "y", "", "not", "nm", "", "n"))
    assert "'not' could be not-met or not-applicable; type more of it." in result.output
    assert entry(blank, "QM3").rating == "not-met"


def test_answers_take_unique_prefixes_too(cli, blank: Path):
    result = cli("assess", blank, "--marker", "QM3", input=lines("par", "Half of it", "not", "ye", ""))
    assert "'not' could be not-yet or not-applicable; type more of it." in result.output
    assert answer(blank, "QM3", 1).answer == "partly" and answer(blank, "QM3", 2).answer == "yes"


def test_no_backticks_and_commands_quoted_for_the_shell(cli, tmp_path: Path):
    folder = tmp_path / "Child D's reviews"
    folder.mkdir()
    path = folder / "child d.yaml"
    script = lines("maybe", "n", "", "", "?", "q")
    result = cli("assess", path, "--marker", "QM3", input=script)
    assert result.exit_code == 0, result.output
    assert "`" not in result.output
    import shlex

    assert f"check the whole file: scr-audit check {shlex.quote(str(path))}" in result.output
    assert f"scr-audit export {shlex.quote(str(path))} -o {shlex.quote(str(path.with_suffix('.docx')))}" in result.output
    assert f"continue: scr-audit assess {shlex.quote(str(path))} --marker QM3" in result.output


@pytest.mark.parametrize("name", ["child-d", "child-d.txt", "child-d.yaml.bak"])
def test_assess_refuses_a_file_name_that_is_not_yaml(cli, tmp_path: Path, name: str):
    result = cli("assess", tmp_path / name, "--marker", "QM3", input="y\n")
    assert result.exit_code == 2
    assert "a review file's name ends in .yaml or .yml" in result.output
    assert not (tmp_path / name).exists()


def test_the_summary_names_what_is_open_in_the_sitting_and_in_the_file(cli, blank: Path):
    result = cli("assess", blank, "--cluster", "setting-up", input=lines("y", "", "q"))
    out = result.output[result.output.index("Summary ·"):]
    assert "This sitting (QM1 to QM5): 1 of 21 questions answered, 0 of 5 rated; 1 change saved." in out
    assert "Still open in this sitting: QM1: questions 2, 3; rating; QM2: questions 1, 2, 3, 4, 5, 6, 7, 8, 9; rating;" in out
    assert "Still open in the file: 106 questions in 18 Quality Markers, 18 ratings, the conclusion." in out
    assert len(out.strip().splitlines()) <= 20
    assert out.strip().splitlines()[-1].startswith("Stopped at QM1 question 2. Saved: everything confirmed is in")


# ------------------------------------------------------------------ issue 14: suggestions


def suggested(path: Path) -> Path:
    text = path.read_text(encoding="utf-8")
    at = text.index("  QM3:\n")
    text = text[:at] + text[at:].replace('      "1":\n', '      "1": {answer: partly, evidence: "Report, p. 3: sent to the subgroup", suggested-by: scan}\n', 1)
    path.write_text(text, encoding="utf-8")
    return path


def test_a_suggestion_is_offered_as_the_default_and_enter_confirms_it(cli, blank: Path):
    suggested(blank)
    result = cli("assess", blank, "--marker", "QM3", input=lines("", "", "q"))
    assert result.exit_code == 0, result.output
    assert "Suggested by scan: partly (evidence: Report, p. 3: sent to the subgroup)" in result.output
    assert "(Enter: partly)" in result.output
    one = answer(blank, "QM3", 1)
    assert (one.answer, one.evidence, one.suggested_by, one.is_answered) == ("partly", "Report, p. 3: sent to the subgroup", None, True)
    assert "suggested-by" not in blank.read_text(encoding="utf-8")


def test_changing_a_suggestion_saves_the_new_answer_without_the_mark(cli, blank: Path):
    suggested(blank)
    result = cli("assess", blank, "--marker", "QM3", input=lines("n", "-", "q"))
    assert result.exit_code == 0, result.output
    one = answer(blank, "QM3", 1)
    assert (one.answer, one.evidence, one.suggested_by) == ("no", None, None)


# ------------------------------------------------------------------ issue 11: the conclusion


def test_conclusion_goes_straight_to_it(cli, blank: Path):
    script = lines("Well run; slow to publish.", "Clear terms of reference; Family involved early", "", "Note this assessment.; Agree the action plan.")
    result = cli("assess", blank, "--conclusion", input=script)
    assert result.exit_code == 0, result.output
    assert "QM1 question" not in result.output
    c = read_review(blank).review.conclusion
    assert c.summary == "Well run; slow to publish."
    assert c.strengths == ["Clear terms of reference", "Family involved early"]
    assert c.concerns == []
    assert c.board_asked_to == ["Note this assessment.", "Agree the action plan."]
    assert "# Panel met 3 March; notes in the shared drive." in blank.read_text(encoding="utf-8")


def test_the_conclusion_is_asked_after_the_last_marker_of_the_set(cli, blank: Path, qm):
    last = qm.markers[-1]
    script = "".join("y\n\n" for _ in last.questions) + "\n\nn\n" + lines("The summary.", "", "", "")
    result = cli("assess", blank, "--marker", last.id, input=script)
    assert result.exit_code == 0, result.output
    assert "The conclusion, for the Board" in result.output
    assert read_review(blank).review.conclusion.summary == "The summary."


def test_a_sitting_that_stops_short_of_the_end_does_not_ask_for_the_conclusion(cli, blank: Path):
    result = cli("assess", blank, "--marker", "QM3", input=lines("y", "", "y", "", "", "", "n"))
    assert result.exit_code == 0
    assert "The conclusion, for the Board" not in result.output


# ------------------------------------------------------------------ issue 15: anchors, size


ALIASED = """\
scr-audit: 1
marker-set: scr-quality-markers
review:
  title: Child A
  stage: end
markers:
  QM3:
    answers:
      # both answers share one value through an anchor and an alias
      1: &same {answer: yes, evidence: Minutes of 3 March}
      2: *same
"""


@pytest.mark.parametrize("changed", [1, 2])
def test_an_edit_changes_only_the_answer_changed_when_answers_share_an_alias(cli, tmp_path: Path, changed: int):
    path = tmp_path / "aliased.yaml"
    path.write_text(ALIASED, encoding="utf-8")
    script = lines("n", "Not sent", "", "") if changed == 1 else lines("", "", "n", "Not sent")
    result = cli("assess", path, "--marker", "QM3", "--revisit", input=script + "q\n")
    assert result.exit_code == 0, result.output
    assert "shared its value with another place through a YAML alias; it is now written out in full" in result.output
    other = 2 if changed == 1 else 1
    assert (answer(path, "QM3", changed).answer, answer(path, "QM3", changed).evidence) == ("no", "Not sent")
    assert (answer(path, "QM3", other).answer, answer(path, "QM3", other).evidence) == ("yes", "Minutes of 3 March")
    assert "# both answers share one value through an anchor and an alias" in path.read_text(encoding="utf-8")


def test_a_save_that_would_pass_the_size_limit_is_refused_and_the_sitting_goes_on(cli, blank: Path):
    from scr_audit.yamlio import MAX_BYTES

    text = blank.read_text(encoding="utf-8")
    filler = "# " + "x" * 1000 + "\n"
    text = text.replace("markers:\n", filler * ((MAX_BYTES - len(text.encode()) - 3000) // len(filler)) + "markers:\n", 1)
    blank.write_text(text, encoding="utf-8")
    before = blank.read_bytes()
    long_note = "A very long note. " * 300
    result = cli("assess", blank, "--marker", "QM3", input=lines("y", long_note, "p", "Short note"))
    assert result.exit_code == 0, result.output
    assert "over the 5 MB a review file may be" in result.output and "nothing was written; shorten the note" in result.output
    assert "Not saved: QM3 question 1: yes, evidence 'A very long note." in result.output
    assert (answer(blank, "QM3", 1).answer, answer(blank, "QM3", 1).evidence) == ("yes", None)  # the answer itself was saved
    assert (answer(blank, "QM3", 2).answer, answer(blank, "QM3", 2).evidence) == ("partly", "Short note")
    assert "Not saved in this sitting" in result.output
    assert "Saved: everything confirmed is in" not in result.output
    assert len(blank.read_bytes()) <= MAX_BYTES and blank.read_bytes() != before
