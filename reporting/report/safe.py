"""Cell text that a spreadsheet will never run as a formula (the rule itself is
`cooperation.formulas`, which the import template follows too)."""

from cooperation.formulas import FORMULA_TRIGGERS, neutralise

__all__ = ["FORMULA_TRIGGERS", "neutralise"]
