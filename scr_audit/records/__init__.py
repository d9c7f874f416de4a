"""The Word records a Board tables: the audit record, the summary record, the moderation record.

One module per record, one for the house style they share (`style`), one for charts
(`chart`). Each record is a list of sections, each section one function, so a new
section is one function in the record's module. Everything here imports python-docx, so
nothing outside a command that writes a record imports this package.
"""
