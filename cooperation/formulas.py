"""Cell text that a spreadsheet will never run as a formula: one rule for every
file the app writes (the annual report's XLSX and CSV, the import template)."""

# A leading =, +, -, @, tab or carriage return makes Excel, LibreOffice and Google
# Sheets read a cell as a formula (or strip into one); OWASP's CSV injection advice.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def could_run_as_formula(value):
    """True for text a spreadsheet would read as a formula if it were typed."""
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def neutralise(value):
    """Text prefixed with an apostrophe when it could start a formula; else as is.

    Numbers and dates pass untouched: only text that users typed can carry a
    formula, and a negative number is never text here.
    """
    if could_run_as_formula(value):
        return "'" + value
    return value
