"""The README tells the truth: its rule table is the registry's, its quick start is runnable."""

from __future__ import annotations

import re
import subprocess

from conftest import ROOT
from scr_audit.rules import RULES, markdown_table

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_rule_table_is_generated_from_the_registry():
    start = README.index("<!-- rules:start -->") + len("<!-- rules:start -->\n")
    end = README.index("<!-- rules:end -->")
    assert README[start:end].strip() == markdown_table(), "regenerate with: python -c 'from scr_audit.rules import markdown_table; print(markdown_table())'"
    for name in RULES:
        assert f"| `{name}` |" in README


def test_quick_start_is_two_commands_and_ci_runs_the_second():
    blocks = {}
    for marker in ("run", "test"):
        after = README.split(f"<!-- quick-start:{marker} -->", 1)[1]
        body = re.match(r"\s*```sh\n(.*?)```", after, re.S).group(1).strip().splitlines()
        assert len(body) == 1, f"the {marker} quick start must be one command line"
        blocks[marker] = body[0]
    assert "pip install ." in blocks["run"] and "scr-audit check examples/reviews" in blocks["run"]
    assert "pytest" in blocks["test"]
    extracted = subprocess.run(
        ["awk", '/<!-- quick-start:test -->/ {found=1; next} found && /^```/ {if (inblock) exit; inblock=1; next} inblock {print}', "README.md"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert extracted == blocks["test"]
    assert "awk '/<!-- quick-start:test -->/" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_every_command_in_the_product_is_documented(cli):
    out = cli("--help").output
    for command in ("markers", "new", "assess", "check", "summary", "actions", "compare", "schema"):
        assert re.search(rf"^  {command}\b", out, re.M), command
        assert f"scr-audit {command}" in README
