# Lao formats: Django has none. Lao writes day/month/year. Numbers follow CLDR's
# "lo" locale, as Babel formats money and figures everywhere else (decimal comma,
# thousands point: ₭161.700.000), so a figure reads the same in a form and a report.
# Input is day first (config/formats/day_first.py), as in Vietnamese.
from config.formats.day_first import (  # noqa: F401 (read by Django's get_format)
    DATE_INPUT_FORMATS,
    DATETIME_INPUT_FORMATS,
)

DATE_FORMAT = "j/n/Y"
SHORT_DATE_FORMAT = "d/m/Y"
DATETIME_FORMAT = "j/n/Y H:i"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
MONTH_DAY_FORMAT = "j/n"
YEAR_MONTH_FORMAT = "n/Y"
TIME_FORMAT = "H:i"
FIRST_DAY_OF_WEEK = 0
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
