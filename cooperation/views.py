from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from .models import Agreement


def agreement_list(request):
    agreements = Agreement.objects.active_first(
        today=timezone.localdate()
    ).prefetch_related("party_signatures__organisation")
    return render(
        request, "cooperation/agreement_list.html", {"agreements": agreements}
    )


def agreement_detail(request, slug):
    agreement = get_object_or_404(
        Agreement.objects.select_related("predecessor").prefetch_related(
            "party_signatures__organisation", "commitments"
        ),
        slug=slug,
    )
    return render(
        request, "cooperation/agreement_detail.html", {"agreement": agreement}
    )
