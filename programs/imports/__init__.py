"""Importing a programme's gift distributions and their items from a spreadsheet.

A clerk downloads a template (`template.py`), fills it, uploads it; the file is
judged by its bytes and read into plain rows (`files.py`), each row is read cell by
cell by the columns its sheet declares (`columns.py`, `sheets.py`), matched on its
key with what is stored and checked with the models' own `full_clean()`
(`plan.py`); the clerk sees every row as it will be saved and every error by
sheet, row and column, and confirms; then every row is saved in one transaction,
or none (`plan.py`, `views.py`).

A sheet is a declaration: a model, the columns that identify a row, and typed
columns. Adding a sheet (recipients, say) is a `Sheet` subclass in `sheets.py`
and its tests.

Why not django-import-export: see the README, "Importing from a spreadsheet".
"""
