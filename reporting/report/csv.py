"""report.csv: one flat UTF-8 table of the year's visits, programmes, distributions.

An optional second header row of HXL hashtags lets humanitarian data tools (HDX,
the HXL Proxy, libhxl) read the columns without guessing.

Every numeric column can be summed by a tool and gives the page's figure: no
figure sits in a column twice (a programme's people reached already counts its
distributions' recipients, so those have a column of their own), and no tag
pattern matches two measures. HXL matches `#value` against `#value+cost` too, so
programme costs take their own hashtag, `#x_cost` (HXL's `x_` marks a hashtag of
our own), and gift recipients take `#x_recipients`, not a `#reached` that a
query for `#reached` would add to the programmes' figure. Money columns sum per
`#currency+code`.

Distribution rows also break their recipient list down by sex and age band, as
HXL does: `#reached+f+children`, `#reached+m+elderly`… (`+sex_unknown`,
`+age_unknown` where a list leaves one out). A query for `#reached+f` or
`#reached+children` adds up the listed women and girls or children, which is the
year page's table; no such pattern matches `#reached+ind`, nor does
`#reached+ind` match them (HXL matches a pattern's attributes as a subset). The
bands are OCHA's: +infants 0–4, +children 5–17, +adults 18–59, +elderly 60 and
over. A cell is empty where the distribution keeps no list.
"""

import csv
import io

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from programs.models import AgeBand, Sex

from .safe import neutralise

# (header, HXL hashtag, value of an ActivityRow)
COLUMNS = [
    (_("agreement"), "#meta+agreement", lambda r, report: report.agreement.slug),
    (_("year"), "#date+year", lambda r, report: report.year),
    # A stable code, not a translated word: tools filter on it.
    (_("record type"), "#meta+type", lambda r, report: r.record_type),
    (_("record id"), "#meta+id", lambda r, report: r.record_id),
    (_("programme id"), "#meta+programme", lambda r, report: r.programme_id),
    (_("kind"), "#activity+type", lambda r, report: r.kind),
    (_("title"), "#activity+name", lambda r, report: r.title),
    (_("start date"), "#date+start", lambda r, report: r.start_date),
    (_("end date"), "#date+end", lambda r, report: r.end_date),
    (_("organisation"), "#org+impl", lambda r, report: r.from_organisation),
    (_("partner or host"), "#org+partner", lambda r, report: r.to_organisation),
    (_("country code"), "#country+code", lambda r, report: r.country_code),
    (_("province"), "#adm1+name", lambda r, report: r.province),
    (_("province code"), "#adm1+code", lambda r, report: r.province_code),
    (_("districts"), "#adm2+name", lambda r, report: r.districts),
    (_("district codes"), "#adm2+code", lambda r, report: r.district_codes),
    (_("recipients"), "#beneficiary+type", lambda r, report: r.recipients),
    (_("packages"), "#output+num", lambda r, report: r.packages),
    (_("people reached"), "#reached+ind", lambda r, report: r.people_reached),
    (_("gift recipients"), "#x_recipients+ind", lambda r, report: r.gift_recipients),
    (_("gift value"), "#value", lambda r, report: r.value),
    (_("currency"), "#currency+code", lambda r, report: r.currency),
    (
        _("value is approximate"),
        "#meta+approximate",
        lambda r, report: "yes" if r.value_is_approximate else "",
    ),
    (_("programme cost"), "#x_cost", lambda r, report: r.cost),
    (_("programme status"), "#status", lambda r, report: r.status),
    # Every row of a made-up agreement is made up, whatever its own flag says.
    (
        _("example record"),
        "#meta+example",
        lambda r, report: "yes" if r.is_example or report.agreement.is_example else "",
    ),
]


HXL_SEXES = {Sex.FEMALE: "+f", Sex.MALE: "+m", Sex.NOT_RECORDED: "+sex_unknown"}
HXL_AGE_BANDS = {
    AgeBand.INFANTS: "+infants",
    AgeBand.CHILDREN: "+children",
    AgeBand.ADULTS: "+adults",
    AgeBand.ELDERLY: "+elderly",
    "": "+age_unknown",
}


def _listed_count(row, key):
    """How many of the distribution's list have this (sex, age band); None for a
    row without a list."""
    if not row.listed:
        return None
    return dict(row.listed).get(key, 0)


def recipient_columns():
    """(header, HXL hashtag, value) per sex and age band, headers in the active
    language: each column sums to a cell of the year's table of listed recipients."""
    columns = []
    for sex, sex_tag in HXL_SEXES.items():
        sex_text = gettext("sex not recorded") if sex == Sex.NOT_RECORDED else sex.label
        for band, band_tag in HXL_AGE_BANDS.items():
            age_text = AgeBand(band).label if band else gettext("age not recorded")
            columns.append(
                (
                    gettext("listed: %(sex)s, %(age)s")
                    % {"sex": sex_text, "age": age_text},
                    f"#reached{sex_tag}{band_tag}",
                    lambda r, report, key=(sex, band): _listed_count(r, key),
                )
            )
    return columns


def _text(value):
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return neutralise(str(value))


def report_csv(report, *, hxl=False):
    """The CSV as text (the caller encodes it as UTF-8)."""
    columns = [*COLUMNS, *recipient_columns()]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(str(header)) for header, _tag, _value in columns])
    if hxl:
        writer.writerow([tag for _header, tag, _value in columns])
    for row in report.activities:
        writer.writerow([_text(value(row, report)) for _h, _t, value in columns])
    return buffer.getvalue()
