"""The parts of ruamel.yaml that yamlio uses and that are not its public API.

yamlio composes files with ruamel's C parser (the `_ruamel_yaml` extension) and its YAML
1.2 resolver table, and reads its node and error classes directly: that is what makes a
thousand files check as fast as loading them. None of it is promised by ruamel.yaml,
which is why pyproject caps it below its next minor release. If an upgrade moves any of
it, these tests fail first, and say exactly what changed, before any user sees a wrong
result.
"""

from __future__ import annotations

import re
from datetime import date

import pytest

import ruamel.yaml

from scr_audit import yamlio


def fail(what: str) -> None:
    pytest.fail(
        f"ruamel.yaml {ruamel.yaml.__version__} changed {what}, which scr_audit/yamlio.py relies on; "
        "adapt yamlio (and its tests) before raising the ruamel.yaml cap in pyproject.toml",
        pytrace=False,
    )


def test_the_c_parser_is_where_yamlio_imports_it_from():
    try:
        from _ruamel_yaml import CParser
    except ImportError:
        pytest.skip("ruamel.yaml.clib (the C extension) is not installed: yamlio uses ruamel's pure-Python parser")
    for method in ("get_single_node", "dispose"):
        if not hasattr(CParser, method):
            fail(f"_ruamel_yaml.CParser (it no longer has {method}())")
    loader = yamlio._loader_class()
    # the C parser asks its subclass to resolve each node's tag: yamlio's lean resolver
    node = loader("a: no\n").get_single_node()
    if str(node.value[0][1].ctag) != "tag:yaml.org,2002:str":
        fail("how _ruamel_yaml.CParser resolves tags (it no longer calls the subclass's resolve())")


def test_the_resolver_table_still_has_its_shape_and_its_yaml_12_rules():
    try:
        from ruamel.yaml.resolver import BaseResolver, implicit_resolvers
    except ImportError as exc:
        fail(f"ruamel.yaml.resolver ({exc})")
    if not isinstance(implicit_resolvers, list) or not all(isinstance(r, tuple) and len(r) == 4 for r in implicit_resolvers):
        fail("ruamel.yaml.resolver.implicit_resolvers (no longer a list of (versions, tag, regexp, first characters))")
    tags_12 = {tag for versions, tag, regexp, first in implicit_resolvers if (1, 2) in versions}
    wanted = {f"tag:yaml.org,2002:{t}" for t in ("bool", "int", "float", "null", "timestamp")}
    if not wanted <= tags_12:
        fail(f"the YAML 1.2 implicit resolvers (missing {sorted(wanted - tags_12)})")
    for versions, tag, regexp, first in implicit_resolvers:
        if not hasattr(regexp, "match"):
            fail("the resolver regexps (no longer compiled patterns)")
    for name in ("DEFAULT_SCALAR_TAG", "DEFAULT_SEQUENCE_TAG", "DEFAULT_MAPPING_TAG"):
        if not hasattr(BaseResolver, name):
            fail(f"ruamel.yaml.resolver.BaseResolver.{name}")


def test_tags_nodes_and_errors_are_where_yamlio_reads_them():
    try:
        from ruamel.yaml.error import MarkedYAMLError, YAMLError  # noqa: F401
        from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode  # noqa: F401
        from ruamel.yaml.reader import ReaderError  # noqa: F401
        from ruamel.yaml.tag import Tag
    except ImportError as exc:
        fail(f"where its classes live ({exc})")
    if str(Tag(suffix="tag:yaml.org,2002:str")) != "tag:yaml.org,2002:str":
        fail("ruamel.yaml.tag.Tag (str() of a Tag is no longer its name)")
    for attribute in ("problem", "problem_mark", "context", "context_mark"):
        if attribute not in MarkedYAMLError("c", None, "p", None).__dict__ and not hasattr(MarkedYAMLError("c", None, "p", None), attribute):
            fail(f"MarkedYAMLError (no {attribute})")


def test_composed_nodes_still_carry_what_yamlio_reads():
    root = yamlio._compose_node("a: 1\nb: [x, 'no']\n")
    if type(root).__name__ != "MappingNode":
        fail(f"the node classes' names (the root is a {type(root).__name__})")
    key, value = root.value[0]
    for node in (root, key, value):
        if not hasattr(node, "ctag") or not hasattr(node, "start_mark") or not hasattr(node, "end_mark"):
            fail("nodes (no ctag, start_mark or end_mark)")
    if (key.start_mark.line, key.start_mark.column, value.start_mark.index) != (0, 0, 3):
        fail("node marks (line, column, index)")


@pytest.mark.parametrize(
    "text, value",
    [
        ("no", "no"), ("yes", "yes"), ("on", "on"), ("true", True), ("False", False), ("~", None), ("null", None),
        ("12", 12), ("0x1F", 31), ("0o17", 15), ("1_000", 1000), ("1.5", 1.5), ("1e3", 1000.0), (".inf", ".inf"),
        ("2025-01-31", date(2025, 1, 31)), ("2025-02-30", "2025-02-30"), ("'2025-01-31'", "2025-01-31"), ("Child D", "Child D"),
    ],
)
def test_values_resolve_as_yaml_12_says(text, value):
    data = yamlio.parse(f"v: {text}\n", "t.yaml").data["v"]
    if data != value or type(data) is not type(value):
        fail(f"how {text!r} resolves (now {data!r}, {type(data).__name__})")


def test_errors_still_carry_their_marks():
    with pytest.raises(yamlio.YamlLoadError) as info:
        yamlio.parse("a: 1\n b: 2\n", "t.yaml")
    problem = info.value.problem
    if problem.line != 2 or problem.column is None:
        fail("MarkedYAMLError's marks (the error is no longer placed at its line)")
    assert re.search(r"not valid YAML", problem.message)
