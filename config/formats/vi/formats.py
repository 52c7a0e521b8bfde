# Vietnamese dates as documents write them, day first: 5/3/2022. Django's "vi" writes
# "Ngày 05 tháng 3 năm 2022", capitalised wherever a sentence puts it ("từ Ngày …")
# and three times as wide in a table's date column.
#
# Input: Django's "vi" module sets none, so it inherits the global month-first
# "%m/%d/%Y", and "03/04/2025" became 4 March. Vietnamese writes day first
# (config/formats/day_first.py); ISO dates are accepted too. Everything else comes
# from Django's "vi".
from config.formats.day_first import (  # noqa: F401 (read by Django's get_format)
    DATE_INPUT_FORMATS,
    DATETIME_INPUT_FORMATS,
)

DATE_FORMAT = "j/n/Y"
DATETIME_FORMAT = "j/n/Y H:i"
MONTH_DAY_FORMAT = "j/n"
YEAR_MONTH_FORMAT = "n/Y"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
