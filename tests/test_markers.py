"""The bundled marker sets, the strict loader, and `scr-audit markers`."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import BUNDLED, REFERENCE
from scr_audit.errors import MarkerSetError
from scr_audit.markers import load_marker_set

QM_DIR = BUNDLED / "scr-quality-markers"
RQ_DIR = BUNDLED / "scr-report-quality"
EXPECTED_COUNTS = [3, 9, 2, 4, 3, 4, 5, 7, 8, 7, 8, 9, 11, 7, 5, 7, 4, 4]
needs_reference = pytest.mark.skipif(
    not (REFERENCE / "scr-quality-markers-2016.md").is_file(),
    reason=f"the published source is not beside the checkout ({REFERENCE})",
)


def reference_sections() -> dict[int, str]:
    text = (REFERENCE / "scr-quality-markers-2016.md").read_text(encoding="utf-8")
    parts = re.split(r"^## \*\*Quality Marker (\d+):.*$", text, flags=re.M)
    sections = {int(parts[i]): parts[i + 1] for i in range(1, len(parts) - 1, 2)}
    sections[18] = sections[18].split("# **Bibliography**")[0]
    return sections


def reference_questions() -> dict[int, dict[int, str]]:
    out = {}
    for n, body in reference_sections().items():
        out[n] = {int(m.group(1)): m.group(2).strip() for m in re.finditer(r"^(?:- )?(\d+)\. (.+)$", body, re.M)}
    return out


def reference_statement(n: int) -> str:
    body = reference_sections()[n]
    m = re.search(r"^(?:\*\*)?Quality statement:(?:\*\*)? ?(.+)$", body, re.M)
    assert m, f"no statement found for QM{n}"
    return m.group(1).strip()


# ---------------------------------------------------------------------------- the data


def test_bundled_set_loads_with_18_markers_in_3_clusters(qm):
    assert [m.id for m in qm.markers] == [f"QM{n}" for n in range(1, 19)]
    assert [c.id for c in qm.clusters] == ["setting-up", "running", "outputs"]
    clusters = {m.id: m.cluster for m in qm.markers}
    assert all(clusters[f"QM{n}"] == "setting-up" for n in range(1, 6))
    assert all(clusters[f"QM{n}"] == "running" for n in range(6, 14))
    assert all(clusters[f"QM{n}"] == "outputs" for n in range(14, 19))


def test_question_counts_per_marker_and_total(qm):
    assert [len(m.questions) for m in qm.markers] == EXPECTED_COUNTS
    assert qm.question_count == 107


def test_source_and_scales_are_declared(qm):
    src = qm.header.source
    assert src.publisher == "SCIE & NSPCC" and src.year == 2016 and src.published == "March 2016"
    assert src.title.startswith("Serious Case Review Quality Markers")
    assert [a.id for a in qm.header.answer_scale] == ["yes", "partly", "no", "not-yet", "not-applicable"]
    assert qm.answer("N/A").id == "not-applicable" and qm.answer("YES").id == "yes" and qm.answer("No").id == "no"
    assert {r.id: r.colour for r in qm.header.rating_scale} == {
        "met": "green",
        "partly-met": "amber",
        "not-met": "red",
        "not-applicable": "grey",
    }


def test_equality_and_diversity_only_where_the_source_has_it(qm):
    assert [m.id for m in qm.markers if m.equality_and_diversity] == ["QM4", "QM12", "QM14"]
    assert all(m.rationale and m.knowledge_base and m.statutory_guidance and m.common_obstacles for m in qm.markers)


@needs_reference
def test_every_question_is_word_for_word_the_source(qm):
    ref = reference_questions()
    for m in qm.markers:
        assert {q.number: q.text for q in m.questions} == ref[m.number], m.id


@needs_reference
def test_every_statement_is_word_for_word_the_source(qm):
    for m in qm.markers:
        assert m.statement == reference_statement(m.number).replace("**", ""), m.id


@needs_reference
def test_guidance_text_comes_from_the_source(qm):
    text = (REFERENCE / "scr-quality-markers-2016.md").read_text(encoding="utf-8").replace("**", "")
    norm = " ".join(text.split())
    for m in qm.markers:
        for heading, body in m.guidance:
            for line in body.splitlines():
                line = line.strip().removeprefix("- ")
                if line:
                    assert " ".join(line.split()) in norm, f"{m.id} {heading}: {line[:60]}"


# ------------------------------------------------------------------- the second set


def test_report_quality_set_has_every_template_question_word_for_word(registry):
    rq = registry.get("scr-report-quality")
    ours = [q.text for m in rq.markers for q in m.questions]
    assert len(ours) == 41
    path = REFERENCE / "triennial-2011-14-appendix-d-report-quality-template.md"
    if not path.is_file():
        pytest.skip(f"the published template is not beside the checkout ({path})")
    source = path.read_text(encoding="utf-8").replace("**", "")
    lines = [ln.strip() for ln in source.splitlines()]
    for text in ours:
        assert text in lines, text
    # every line of the template that asks something is in the set, except the computed one
    asked = [ln for ln in lines if ln.endswith(("?", ":", "?)")) or ln.startswith(("Is ", "Are ", "What ", "Were "))]
    headings = {"SCR process:"}
    computed = {i.text for i in rq.header.intervals}
    for ln in asked:
        if ln in headings or ln.startswith("- "):
            continue
        assert ln in ours or ln in computed, ln


def test_report_quality_set_declares_typed_questions_and_facts(registry):
    rq = registry.get("scr-report-quality")
    length = rq.marker("RQ2").question(2)
    assert length.type == "number" and length.unit == "pages"
    assert any("48 pages" in f.text for f in length.facts)
    recs = rq.marker("RQ8").question(1)
    assert recs.type == "number"
    assert any("median of 7" in f.text and "69%" in f.text and "90%" in f.text for f in recs.facts)
    method = rq.marker("RQ1").question(1)
    assert method.type == "choice"
    labels = [o.label for o in method.options]
    assert "SCIE Learning Together" in labels and "Welsh Child Practice Review" in labels and "Other" in labels
    assert [i.text for i in rq.header.intervals] == ["How long from date of incident to publication?"]
    assert not rq.marker("RQ1").rated


# ------------------------------------------------------------------ broken sets refused


def _broken_copy(tmp_path: Path, edit) -> Path:
    target = tmp_path / "my-set"
    shutil.copytree(QM_DIR, target)
    edit(target)
    return target


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


BREAKAGES = {
    "duplicate id": (lambda d: _replace(d / "QM5.yaml", "id: QM5", "id: QM4"), "QM5.yaml", "QM4"),
    "question numbering gap": (lambda d: _replace(d / "QM2.yaml", "  - number: 3\n", "  - number: 4\n"), "QM2.yaml", "expected 3, found 4"),
    "unknown cluster": (lambda d: _replace(d / "QM7.yaml", "cluster: running", "cluster: runing"), "QM7.yaml", "did you mean 'running'"),
    "missing statement": (lambda d: _replace(d / "QM9.yaml", "statement: ", "statment: "), "QM9.yaml", "statement"),
    "broken yaml": (lambda d: _replace(d / "QM3.yaml", "title: Advising board members", "title: [Advising board members"), "QM3.yaml", "not valid YAML"),
    "unknown key": (lambda d: _replace(d / "QM1.yaml", "page: 9", "pgae: 9"), "QM1.yaml", "did you mean 'page'"),
    "wrong type": (lambda d: _replace(d / "QM1.yaml", "number: 1\n", "number: one\n"), "QM1.yaml", "number"),
    "missing marker": (lambda d: (d / "QM12.yaml").unlink(), "my-set", "missing 12"),
    "bad set.yaml": (lambda d: _replace(d / "set.yaml", "  - id: partly-met", "  - id: met"), "set.yaml", "used twice"),
}


@pytest.mark.parametrize("kind", list(BREAKAGES))
def test_broken_set_is_refused_whole_with_file_and_line(tmp_path, cli, kind):
    edit, filename, words = BREAKAGES[kind]
    directory = _broken_copy(tmp_path, edit)
    with pytest.raises(MarkerSetError):
        load_marker_set(directory)
    result = cli("markers", "validate", directory)
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    located = [ln for ln in result.output.splitlines() if filename in ln and words in ln]
    assert located, result.output
    if kind != "missing marker":
        assert re.search(re.escape(filename) + r":\d+:\d+: ", located[0]), located[0]


def test_a_valid_copy_validates(tmp_path, cli):
    directory = _broken_copy(tmp_path, lambda d: None)
    result = cli("markers", "validate", directory)
    assert result.exit_code == 0
    assert "18 markers, 107 questions, 3 clusters" in result.output


def test_a_users_set_is_used_through_markers_option(tmp_path, cli):
    directory = _broken_copy(tmp_path, lambda d: _replace(d / "set.yaml", "id: scr-quality-markers", "id: local-adaptation"))
    result = cli("--markers", directory, "markers", "list", "--set", "local-adaptation")
    assert result.exit_code == 0, result.output
    assert "QM18" in result.output
    result = cli("--markers", directory, "markers", "list", "--all")
    assert "local-adaptation" in result.output and "scr-quality-markers" in result.output


def test_a_broken_users_set_named_by_a_command_exits_2(tmp_path, cli):
    directory = _broken_copy(
        tmp_path,
        lambda d: (_replace(d / "set.yaml", "id: scr-quality-markers", "id: local"), _replace(d / "QM1.yaml", "number: 1\n", "number: x\n")),
    )
    result = cli("--markers", directory, "markers", "show", "QM1", "--set", "local")
    assert result.exit_code == 2
    assert "QM1.yaml:4:" in result.output and "Traceback" not in result.output


# --------------------------------------------------------------------------- commands


def test_markers_list_shows_18_markers_in_3_clusters(cli):
    result = cli("markers", "list")
    assert result.exit_code == 0
    for n in range(1, 19):
        assert re.search(rf"\bQM{n}\b", result.output)
    for title in ("Setting up the review", "Running the review", "Outputs and outcomes from the review"):
        assert title in result.output
    assert "18 quality markers, 107 questions, in 3 clusters" in result.output


@pytest.mark.parametrize("n", range(1, 19))
def test_markers_show_prints_every_question_word_for_word(cli, qm, n):
    result = cli("markers", "show", f"QM{n}")
    assert result.exit_code == 0
    marker = qm.marker(f"QM{n}")
    lines = result.output.splitlines()
    assert marker.statement in result.output
    for q in marker.questions:
        assert any(line.endswith(q.text) and line.strip().startswith(f"{q.number}. ") for line in lines), q.text


def test_markers_show_full_adds_the_guidance(cli):
    result = cli("markers", "show", "qm4", "--full")
    assert result.exit_code == 0
    for heading in (
        "Rationale",
        "Knowledge base",
        "Equality and diversity",
        "Link to statutory guidance and inspection criteria",
        "Tackling some common obstacles",
    ):
        assert heading in result.output
    assert "- human rights" in result.output
    assert "Source: SCIE & NSPCC (March 2016)" in result.output and "p 16" in result.output


def test_unknown_marker_gets_did_you_mean_and_exit_2(cli):
    result = cli("markers", "show", "QM19")
    assert result.exit_code == 2
    assert "unknown marker 'QM19'" in result.output and "did you mean 'QM9'?" in result.output


def test_unknown_set_gets_did_you_mean(cli):
    result = cli("markers", "list", "--set", "scr-quality-marker")
    assert result.exit_code == 2
    assert "did you mean 'scr-quality-markers'?" in result.output


def test_help_and_version(cli):
    from scr_audit import __version__

    assert cli("--version").output.strip() == f"scr-audit {__version__}"
    result = cli("--help")
    assert result.exit_code == 0
    for command in ("markers", "new", "check", "schema"):
        assert command in result.output
