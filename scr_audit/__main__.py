"""`python -m scr_audit` behaves exactly like the `scr-audit` command."""

from scr_audit.cli import main

if __name__ == "__main__":
    main(prog_name="scr-audit")
