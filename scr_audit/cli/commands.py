"""Every command, registered on `main` by importing the module that defines it."""

from scr_audit.cli import actions_cmd, assess_cmd, compare_cmd, export_cmd, markers_cmds, review_cmds, scan_cmd, summary_cmd  # noqa: F401
