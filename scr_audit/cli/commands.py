"""Every command, registered on `main` in the order `scr-audit --help` lists them."""

from scr_audit.cli import markers_cmds, review_cmds  # noqa: F401
from scr_audit.cli import export_cmd, compare_cmd  # noqa: F401,I001  (after check and summary, as the README orders them)
