# Vietnamese input formats: Django's "vi" module sets none, so it inherits the
# global month-first "%m/%d/%Y", and "03/04/2025" became 4 March. Vietnamese writes
# day first; ISO dates are accepted too. Everything else comes from Django's "vi".
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = [
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
]
