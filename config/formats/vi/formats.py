# Vietnamese dates as documents write them, day first: 5/3/2022. Django's "vi" writes
# "Ngày 05 tháng 3 năm 2022", capitalised wherever a sentence puts it ("từ Ngày …")
# and three times as wide in a table's date column.
DATE_FORMAT = "j/n/Y"
DATETIME_FORMAT = "j/n/Y H:i"
MONTH_DAY_FORMAT = "j/n"
YEAR_MONTH_FORMAT = "n/Y"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"

# Input: Django's "vi" module sets none, so it inherits the global month-first
# "%m/%d/%Y", and "03/04/2025" became 4 March. Vietnamese writes day first; ISO
# dates are accepted too. Everything else comes from Django's "vi".
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = [
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
]
