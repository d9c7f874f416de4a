"""The check rules: names, severities and documentation, in one registry.

Rule names are stable: users put them in `--ignore`, scripts read them from JSON. The
README's rule table is generated from this registry (and a test keeps the two equal).
"""

from __future__ import annotations

from dataclasses import dataclass

SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class Rule:
    name: str
    severity: str
    when: str
    fix: str
    #: Severity for reviews not yet at stage `end` (None: same as `severity`).
    before_end: str | None = None
    #: Reported only for a review at stage `end` (what the Board needs once it is finished).
    end_only: bool = False

    def severity_at(self, stage: str | None) -> str:
        if self.before_end and stage != "end":
            return self.before_end
        return self.severity


RULES: dict[str, Rule] = {
    r.name: r
    for r in (
        Rule(
            "yaml-syntax",
            "error",
            "The file is not readable YAML: a syntax error, tabs for indentation, a duplicate key, "
            "non-UTF-8 (UTF-16 or UTF-32) or binary content, over the 5 MB size limit, more than "
            "200,000 values, nesting or aliases beyond sane limits, or a YAML tag, `!!str` "
            "included (tags are never constructed).",
            "Go to the line and column given and fix the YAML there; save the file as UTF-8 "
            "text; indent with spaces; quote text that contains ': ' or starts with a symbol.",
        ),
        Rule(
            "file-unreadable",
            "error",
            "A file or folder could not be read: permissions; a named pipe, device or socket "
            "named like a review file (reported, never opened); a link that loops or leads "
            "nowhere; or it vanished while being read. A folder that cannot be searched is "
            "reported too, so a check never passes without the files in it.",
            "Check the permissions of the file or folder named, or move what is not a review "
            "file out of the folder being checked.",
        ),
        Rule(
            "not-a-review",
            "error",
            "The file has no `scr-audit:` format version, an unsupported one, or is not a "
            "set of `key: value` lines at all (an empty file, a list, a single value).",
            "Start the file with `scr-audit: 1` (or make one with `scr-audit new`); move "
            "files that are not review files out of the folder being checked.",
        ),
        Rule(
            "schema",
            "error",
            "A field has the wrong type, a required field is missing, a field is unknown "
            "(the message suggests the closest known name), a date is not a real date (or is "
            "too late for the set's timeliness expectation to follow it), or a marker or "
            "question is given twice under keys that name the same one (`QM1` and `qm1`; "
            "`1`, `\"1\"` and `01`).",
            "Follow the message: rename the field, add it, keep one of the two keys, or write "
            "dates as YYYY-MM-DD.",
        ),
        Rule(
            "yaml-alias",
            "warning",
            "A value is written once with an anchor (`&name`) and repeated with an alias "
            "(`*name`): the places share one value, so an edit to it at one place (by hand "
            "or in `assess`) is an edit at every place.",
            "Write the value out in full at each place, so that each answer can be changed "
            "on its own.",
        ),
        Rule(
            "unknown-marker-set",
            "error",
            "`marker-set` names a set that is neither bundled nor in a `--markers` folder.",
            "Use a bundled set id (`scr-audit markers list`), or pass `--markers DIR`.",
        ),
        Rule(
            "unknown-marker",
            "error",
            "A key under `markers` is not a marker of the set.",
            "Use the set's ids (`scr-audit markers list`); the message names the closest.",
        ),
        Rule(
            "unknown-question",
            "error",
            "A question number under a marker's `answers` is not one of that marker's questions.",
            "Check the number against `scr-audit markers show ID`.",
        ),
        Rule(
            "invalid-answer",
            "error",
            "An answer is not on the set's answer scale (or, for typed questions, not a valid "
            "number, date or choice).",
            "Use one of the values the message lists (case does not matter; `n/a` is accepted).",
        ),
        Rule(
            "invalid-rating",
            "error",
            "A marker's `rating` is not on the set's rating scale.",
            "Use one of the values the message lists.",
        ),
        Rule(
            "date-order",
            "error",
            "The review's dates are out of sequence (incident, referral, decision, completed, "
            "published must not go backwards).",
            "Correct the date that is wrong.",
        ),
        Rule(
            "unanswered-question",
            "error",
            "A question has no answer. An error for a review at stage `end`; information "
            "before then.",
            "Answer it (`scr-audit assess FILE` goes to the first unanswered question).",
            before_end="info",
        ),
        Rule(
            "unrated-marker",
            "error",
            "A marker has no rating. An error at stage `end`; information before then.",
            "Rate it (`scr-audit assess FILE --marker ID`).",
            before_end="info",
        ),
        Rule(
            "not-yet-at-end",
            "error",
            "`not-yet` is used in a review at stage `end`, when everything is known.",
            "Replace it with the answer as it now stands.",
        ),
        Rule(
            "missing-evidence",
            "warning",
            "`no` or `partly` without evidence, or `not-applicable` without a reason.",
            "Add an `evidence:` note saying what shows it (or why it does not apply).",
        ),
        Rule(
            "rating-contradicts-answers",
            "warning",
            "A marker's rating is two steps from what its answers suggest (for example `met` "
            "when most answers are `no`).",
            "Revisit the rating or the answers; explain a deliberate judgement in `rationale`.",
        ),
        Rule(
            "missing-action",
            "warning",
            "A marker rated `not-met` or `partly-met` has no improvement action.",
            "Add an action under the marker's `actions:` (what, owner, due date).",
        ),
        Rule(
            "vague-action",
            "warning",
            "An improvement action has no owner or no due date.",
            "Give every action an `owner:` and a `due:` date.",
        ),
        Rule(
            "overdue-action",
            "info",
            "An action's due date has passed and its status is not `done`.",
            "Update its `status:` or agree a new `due:` date.",
        ),
        Rule(
            "slow-review",
            "warning",
            "More than six months from the decision to hold the SCR to its completion, with no "
            "`delay-reasons` recorded.",
            "Record why under `review: delay-reasons:`.",
        ),
        Rule(
            "personal-data",
            "warning",
            "Free text looks like it holds a personal identifier: an NHS number (valid check "
            "digit), a UK postcode, a National Insurance number, a date of birth, an e-mail "
            "address or a UK phone number.",
            "Remove or anonymise it; `export --redact` replaces what this rule finds.",
        ),
        Rule(
            "missing-conclusion",
            "warning",
            "A review at stage `end` has no `conclusion: summary:`, the assessor's overall judgement "
            "that opens the audit record. Not reported before stage `end`.",
            "Write a one-paragraph `summary:` under `conclusion:` (`scr-audit assess FILE --conclusion` "
            "asks for it), with the strengths, concerns and what the Board is asked to do.",
            end_only=True,
        ),
        Rule(
            "unconfirmed-suggestion",
            "warning",
            "An answer is still a suggestion (`suggested-by: scan`, found in the report by "
            "`scr-audit scan`) that no assessor has confirmed. A warning at stage `end`; "
            "information before then.",
            "Confirm or change it (`scr-audit assess FILE` shows each suggestion as the default), "
            "or delete the `suggested-by:` line once you have checked it.",
            before_end="info",
        ),
        Rule(
            "marker-set-version",
            "warning",
            "The file was made against a different version of the marker set.",
            "Check the answers still match the questions, then update `marker-set-version`.",
        ),
    )
}


def rule(name: str) -> Rule:
    return RULES[name]


def markdown_table() -> str:
    """The README's rule table, generated here so the two cannot drift apart."""
    rows = ["| rule | severity | when | how to fix |", "| --- | --- | --- | --- |"]
    for r in RULES.values():
        if r.end_only:
            severity = f"{r.severity} at stage `end`, not reported before"
        elif r.before_end:
            severity = f"{r.severity} at stage `end`, {r.before_end} before"
        else:
            severity = r.severity
        rows.append(f"| `{r.name}` | {severity} | {r.when} | {r.fix} |")
    return "\n".join(rows)
