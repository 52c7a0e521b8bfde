"""Public pages: no login, published records only, aggregates and public officials."""

from django.db.models import Count, Max, OuterRef, Q, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from exchanges.models import DelegationVisit

from .models import Agreement
from .page_charts import agreement_charts, year_charts
from .progress import agreement_overview, agreement_progress


def agreement_list(request):
    """Agreements in force first; straight to the agreement when there is only one."""
    today = timezone.localdate()
    latest_visit = (
        DelegationVisit.objects.published()
        .filter(agreement=OuterRef("pk"))
        .order_by("-start_date")
        .values("start_date")[:1]
    )
    agreements = list(
        Agreement.objects.active_first(today=today)
        .annotate(
            published_visits=Count(
                "visits", filter=Q(visits__is_published=True), distinct=True
            ),
            published_programmes=Count(
                "programs", filter=Q(programs__is_published=True), distinct=True
            ),
            latest_programme_year=Max(
                "programs__year", filter=Q(programs__is_published=True)
            ),
            latest_visit=Subquery(latest_visit),
        )
        .prefetch_related("party_signatures__organisation")
    )
    if len(agreements) == 1:
        return redirect(agreements[0])
    return render(
        request,
        "cooperation/agreement_list.html",
        {"agreements": agreements, "today": today},
    )


def _agreement_or_404(slug):
    return get_object_or_404(Agreement.objects.select_related("predecessor"), slug=slug)


def agreement_detail(request, slug):
    agreement = _agreement_or_404(slug)
    overview = agreement_overview(agreement=agreement, today=timezone.localdate())
    return render(
        request,
        "cooperation/agreement_detail.html",
        {
            "agreement": agreement,
            "overview": overview,
            "charts": agreement_charts(overview),
        },
    )


def agreement_year(request, slug, year):
    agreement = _agreement_or_404(slug)
    if not agreement.covers_year(year):
        raise Http404(
            _("The agreement runs from %(start)s to %(end)s; %(year)s is outside it.")
            % {
                "start": agreement.start_date.year,
                "end": agreement.end_date.year,
                "year": year,
            }
        )
    progress = agreement_progress(
        agreement=agreement, year=year, today=timezone.localdate()
    )
    return render(
        request,
        "cooperation/agreement_year.html",
        {
            "agreement": agreement,
            "progress": progress,
            "charts": year_charts(progress),
            "years": list(agreement.years),
        },
    )
