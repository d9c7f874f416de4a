"""`python -m scr_audit` behaves exactly like the `scr-audit` command."""

from scr_audit.cli import run

if __name__ == "__main__":
    run(prog_name="scr-audit")
