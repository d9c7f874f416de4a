"""Every command, registered on `main` in the order `scr-audit --help` lists them."""

from scr_audit.cli import markers_cmds, review_cmds, assess_cmd  # noqa: F401
