"""Made-up records for 2023–2025 so the multi-year views have something to show.

Every record here is flagged `is_example` and says "[Example]" in its text: none of it
is in the source, and pages and reports label it wherever it appears.
"""

import datetime
from decimal import Decimal

from exchanges.models import DelegationVisit, InformationExchange, VisitMember
from programs.models import DistributionItem, GiftDistribution, JointProgram

from .loading import EXAMPLE, upsert

EXAMPLE_FLAGS = {"is_example": True, "is_published": True}


def _visit(report, agreement, start, days, sender, host, area, place):
    return upsert(
        report,
        DelegationVisit,
        {"agreement": agreement, "kind": "yearly_exchange", "start_date": start},
        {
            "end_date": start + datetime.timedelta(days=days - 1),
            "sending_party": sender,
            "host_party": host,
            "area": area,
            "place": f"{EXAMPLE}{place}",
            "purpose": f"{EXAMPLE}Yearly exchange visit (made-up record).",
            **EXAMPLE_FLAGS,
        },
    )


def _program(report, agreement, year, title, lead, districts, **values):
    return upsert(
        report,
        JointProgram,
        {"agreement": agreement, "year": year, "title_en": f"{EXAMPLE}{title}"},
        {"lead_organisation": lead, "status": "completed", **values, **EXAMPLE_FLAGS},
        many={"districts": districts},
    )


def _distribution(report, program, day, districts, packages, people, value, items):
    distribution = upsert(
        report,
        GiftDistribution,
        {"program": program, "start_date": day},
        {
            "recipient_group": GiftDistribution.RecipientGroup.FAMILIES,
            "recipient_description": f"{EXAMPLE}families in difficult circumstances",
            "packages": packages,
            "people_reached": people,
            "currency": program.currency,
            "total_value": Decimal(value),
            **EXAMPLE_FLAGS,
        },
        many={"districts": districts},
    )
    for item_kind, quantity, unit_value in items:
        upsert(
            report,
            DistributionItem,
            {"distribution": distribution, "item_kind": item_kind},
            {"quantity": quantity, "unit_value": Decimal(unit_value)},
        )
    return distribution


def _information(report, agreement, year, sender, recipient, day, visits, programs):
    return upsert(
        report,
        InformationExchange,
        {"agreement": agreement, "year_covered": year, "from_party": sender},
        {
            "to_party": recipient,
            "exchanged_on": day,
            "covers_results": True,
            "covers_models_and_experience": True,
            "covers_next_year_plan": True,
            "covers_disease_situation": True,
            "summary": f"{EXAMPLE}Results of {year} and the plan for {year + 1}.",
            "planned_visits": visits,
            "planned_programmes": programs,
            **EXAMPLE_FLAGS,
        },
    )


def load_examples(report, agreement, places, organisations, items):
    kon_tum, attapeu = organisations["kon_tum"], organisations["attapeu"]
    sanxay, phouvong = places["sanxay"], places["phouvong"]

    _information(
        report, agreement, 2022, kon_tum, attapeu, datetime.date(2022, 12, 15), 1, 2
    )
    visit_2023 = _visit(
        report,
        agreement,
        datetime.date(2023, 10, 10),
        3,
        attapeu,
        kon_tum,
        places["kon_tum"],
        "Kon Tum city, Vietnam",
    )
    upsert(
        report,
        VisitMember,
        {"visit": visit_2023, "full_name": f"{EXAMPLE}Head of delegation"},
        {"title": "Example title", "organisation": attapeu, "leads_delegation": True},
    )
    checkups = _program(
        report,
        agreement,
        2023,
        "Free check-ups and medicine in Phouvong",
        kon_tum,
        [phouvong],
        includes_checkups=True,
        includes_free_medicine=True,
        start_date=datetime.date(2023, 11, 20),
        currency="VND",
        actual_cost=Decimal("95000000"),
        people_reached=420,
    )
    _distribution(
        report,
        checkups,
        datetime.date(2023, 11, 21),
        [phouvong],
        80,
        80,
        "64000000",
        [(items["medicine-kit"], 80, "500000"), (items["rice"], 800, "30000")],
    )
    _information(
        report, agreement, 2023, attapeu, kon_tum, datetime.date(2023, 12, 20), 1, 2
    )

    _visit(
        report,
        agreement,
        datetime.date(2024, 9, 16),
        3,
        kon_tum,
        attapeu,
        places["attapeu"],
        "Samakkhixay, Attapeu, Laos",
    )
    for title, district, day, packages in [
        ("Gifts for families in Sanxay", sanxay, datetime.date(2024, 9, 17), 100),
        ("Gifts for families in Phouvong", phouvong, datetime.date(2024, 9, 18), 90),
    ]:
        program = _program(
            report,
            agreement,
            2024,
            title,
            kon_tum,
            [district],
            includes_gifts=True,
            start_date=day,
            currency="VND",
        )
        _distribution(
            report,
            program,
            day,
            [district],
            packages,
            packages * 4,
            str(packages * 1_000_000),
            [
                (items["rice"], packages * 10, "30000"),
                (items["blanket"], packages, "250000"),
            ],
        )
    _information(
        report, agreement, 2024, kon_tum, attapeu, datetime.date(2024, 12, 18), 1, 1
    )
    # 2025 deliberately has no yearly exchange: the scorecard shows a missed year.
    prevention = _program(
        report,
        agreement,
        2025,
        "Cross-border dengue prevention",
        attapeu,
        [sanxay],
        includes_disease_prevention=True,
        start_date=datetime.date(2025, 5, 5),
        currency="LAK",
        actual_cost=Decimal("45000000"),
        people_reached=1200,
    )
    _distribution(
        report,
        prevention,
        datetime.date(2025, 5, 6),
        [sanxay],
        300,
        1200,
        "18000000",
        [(items["mosquito-net"], 300, "60000")],
    )
