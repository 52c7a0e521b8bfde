"""The charts each page shows, built from the progress computation's figures."""

from django.utils.translation import gettext as _

from cooperation.formatting import money_value_text, number_text

from .charts import bar_chart, horizontal_bar_chart
from .report.wording import district_label


def _describe(what):
    def describe(points):
        parts = [f"{label}: {text}" for label, _value, text in points]
        return f"{what}. " + "; ".join(parts) + "." if parts else what

    return describe


def agreement_charts(overview):
    """Packages, people reached and value (per currency) for each year."""
    years = overview.years
    charts = [
        bar_chart(
            identifier="chart-packages",
            title=_("Gift packages per year"),
            value_heading=_("packages"),
            points=[
                (y.year, y.totals.packages, number_text(y.totals.packages))
                for y in years
            ],
            describe=_describe(_("Gift packages distributed per year")),
        ),
        bar_chart(
            identifier="chart-people",
            title=_("People reached per year"),
            value_heading=_("people reached"),
            points=[
                (y.year, y.totals.people_reached, number_text(y.totals.people_reached))
                for y in years
            ],
            describe=_describe(_("People reached per year")),
        ),
    ]
    currencies = sorted({m.currency for y in years for m in y.totals.values})
    for currency in currencies:
        points = []
        for summary in years:
            amount = next(
                (m for m in summary.totals.values if m.currency == currency), None
            )
            points.append(
                (
                    summary.year,
                    amount.amount if amount else 0,
                    money_value_text(amount) if amount else "–",
                )
            )
        charts.append(
            bar_chart(
                identifier=f"chart-value-{currency.lower()}",
                title=_("Value given per year (%(currency)s)") % {"currency": currency},
                value_heading=_("value"),
                points=points,
                describe=_describe(
                    _("Value of gifts per year in %(currency)s")
                    % {"currency": currency}
                ),
            )
        )
    return charts


# Beyond a dozen bars a chart stops being readable; the table lists every district.
CHART_BARS = 12


def year_charts(progress):
    if not progress.by_district:
        return []
    largest = sorted(progress.by_district, key=lambda t: -t.packages)
    shown, rest = largest[:CHART_BARS], largest[CHART_BARS:]
    points = [(district_label(t), t.packages, number_text(t.packages)) for t in shown]
    if rest:
        others = sum(t.packages for t in rest)
        points.append(
            (
                _("%(count)d other groups") % {"count": len(rest)},
                others,
                number_text(others),
            )
        )
    return [
        horizontal_bar_chart(
            identifier="chart-districts",
            title=_("Gift packages by district"),
            value_heading=_("packages"),
            points=points,
            describe=_describe(_("Gift packages by district")),
        )
    ]
