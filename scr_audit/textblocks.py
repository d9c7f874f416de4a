"""The marker files' block texts (rationale, knowledge base...) as paragraphs and bullets.

Marker files keep the source's structure in plain text: one line per paragraph, `- ` for
a bullet, two more spaces per nesting level, blank lines between blocks. Terminal and
Word renderers both read it through here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Block:
    kind: str  # "paragraph" | "bullet"
    text: str
    level: int = 0  # bullet nesting, 0 for top level


def parse(text: str | None) -> list[Block]:
    blocks: list[Block] = []
    for raw in (text or "").splitlines():
        if not raw.strip():
            continue
        stripped = raw.lstrip(" ")
        indent = len(raw) - len(stripped)
        if stripped.startswith("- "):
            blocks.append(Block("bullet", stripped[2:].strip(), indent // 2))
        else:
            blocks.append(Block("paragraph", stripped.strip()))
    return blocks
