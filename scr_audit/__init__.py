"""scr-audit: audit Serious Case Reviews against the SCR Quality Markers.

Kept import-free on purpose: the console script imports this package before anything
else, and `scr-audit --help` must start as fast as click alone.
"""

__version__ = "0.1.0"
