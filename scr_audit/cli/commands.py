"""Every command, registered on `main` in the order `scr-audit --help` lists them."""

from scr_audit.cli import export_cmd, markers_cmds, review_cmds  # noqa: F401
