# English input formats for a region that writes the day first: ISO dates, then
# day/month/year as the IFRC and both countries' partners write them. Django's
# "en" reads "03/04/2025" as 4 March (American); here it is 3 April in every
# language. Everything else comes from Django's "en".
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
]
