"""A made-up agreement with busy years, so staff see what the views look like full.

None of it is real, and none of it touches the real memorandum: the agreement is
flagged `is_example` (every page and file of it says it is made up), its two
parties are fictional branches in fictional provinces, every record is flagged
`is_example` and says "[Example]" in its text, and every figure agrees with
itself (each distribution's value is the sum of its priced items).

It copies the real memorandum's structure (six commitments of the same kinds and
targets, 2022–2027, two parties hosting in turn), not its facts. What it shows:
2022 a first exchange and a gift programme with the school's list of its pupils;
2023 a check-up programme and both parties' results on one day; 2024 two gift
programmes (one with the list of the families' heads), results from one side only;
2025 no yearly exchange (a missed year) and a programme in kip; 2026 an exchange
hosted in turn; 2027 a programme still planned.
"""

import datetime
from decimal import Decimal

from cooperation.models import (
    Agreement,
    AgreementParty,
    Area,
    Commitment,
    Organisation,
)
from exchanges.models import DelegationVisit, InformationExchange, VisitMember
from programs.models import (
    DistributionItem,
    GiftDistribution,
    JointProgram,
    Recipient,
    Sex,
)

from .loading import EXAMPLE, upsert

EXAMPLE_AGREEMENT_SLUG = "example-cooperation-2022-2027"
EXAMPLE_FLAGS = {"is_example": True, "is_published": True}
FICTIONAL_PLACE_NOTE = "Made up for the example agreement: no such place exists."


def _fictional_area(report, level, parent, name_en, name_vi, name_lo):
    return upsert(
        report,
        Area,
        {"level": level, "parent": parent, "name_en": name_en},
        {"name_vi": name_vi, "name_lo": name_lo, "notes": FICTIONAL_PLACE_NOTE},
    )


def load_example_places(report, countries):
    """Two fictional provinces (one in each country) and two fictional districts."""
    north = _fictional_area(
        report,
        Area.Level.PROVINCE,
        countries["vietnam"],
        "Example Province North (fictional)",
        "tỉnh Ví Dụ Bắc (hư cấu)",
        "ແຂວງຕົວຢ່າງເໜືອ (ສົມມຸດ)",
    )
    south = _fictional_area(
        report,
        Area.Level.PROVINCE,
        countries["laos"],
        "Example Province South (fictional)",
        "tỉnh Ví Dụ Nam (hư cấu)",
        "ແຂວງຕົວຢ່າງໃຕ້ (ສົມມຸດ)",
    )
    east = _fictional_area(
        report,
        Area.Level.DISTRICT,
        south,
        "Example District East (fictional)",
        "huyện Ví Dụ Đông (hư cấu)",
        "ເມືອງຕົວຢ່າງຕາເວັນອອກ (ສົມມຸດ)",
    )
    west = _fictional_area(
        report,
        Area.Level.DISTRICT,
        south,
        "Example District West (fictional)",
        "huyện Ví Dụ Tây (hư cấu)",
        "ເມືອງຕົວຢ່າງຕາເວັນຕົກ (ສົມມຸດ)",
    )
    return {"north": north, "south": south, "east": east, "west": west}


def load_example_organisations(report, countries, places):
    """Two fictional provincial branches, attached to no real national society."""
    north = upsert(
        report,
        Organisation,
        {"kind": Organisation.Kind.PROVINCIAL_BRANCH, "home_area": places["north"]},
        {
            "name_vi": "Hội Chữ thập đỏ tỉnh Ví Dụ Bắc (hư cấu)",
            "name_lo": "ກາແດງແຂວງຕົວຢ່າງເໜືອ (ສົມມຸດ)",
            "name_en": "Example North Provincial Red Cross (fictional)",
            "acronym": "EXN",
            "country": countries["vietnam"],
        },
    )
    south = upsert(
        report,
        Organisation,
        {"kind": Organisation.Kind.PROVINCIAL_BRANCH, "home_area": places["south"]},
        {
            "name_vi": "Hội Chữ thập đỏ tỉnh Ví Dụ Nam (hư cấu)",
            "name_lo": "ກາແດງແຂວງຕົວຢ່າງໃຕ້ (ສົມມຸດ)",
            "name_en": "Example South Provincial Red Cross (fictional)",
            "acronym": "EXS",
            "country": countries["laos"],
        },
    )
    return {"north": north, "south": south}


# The real memorandum's six kinds and targets, in example wording:
# kind, target min, target max, rotation, Vietnamese, English.
EXAMPLE_COMMITMENTS = [
    (
        Commitment.Kind.YEARLY_EXCHANGE,
        1,
        1,
        True,
        "Hằng năm, hai hội trao đổi đoàn thăm, làm việc và chia sẻ kinh nghiệm, "
        "luân phiên đăng cai.",
        "Each year, the two branches exchange delegations to visit and share "
        "experience, hosting in turn.",
    ),
    (
        Commitment.Kind.VISITS_ON_REQUEST,
        None,
        None,
        False,
        "Khi có yêu cầu, mỗi hội có thể cử thêm đoàn hoặc cùng tham gia nhiệm vụ "
        "chung.",
        "Either branch may send an extra delegation on request, or join a common task.",
    ),
    (
        Commitment.Kind.INFORMATION_SHARING,
        None,
        None,
        False,
        "Hai hội chia sẻ thông tin về kinh tế - xã hội và văn hóa của hai tỉnh.",
        "The branches share news of their provinces' economy, society and culture.",
    ),
    (
        Commitment.Kind.JOINT_PROGRAMMES,
        1,
        2,
        False,
        "Mỗi năm hai hội tổ chức một đến hai chương trình nhân đạo chung: khám "
        "bệnh, cấp thuốc miễn phí, tặng quà.",
        "The branches hold one or two joint humanitarian programmes a year: "
        "check-ups, free medicine, gifts.",
    ),
    (
        Commitment.Kind.DISEASE_PREVENTION,
        None,
        None,
        False,
        "Hai hội phối hợp phòng chống các bệnh truyền nhiễm lây lan qua biên giới.",
        "The branches work together against infectious diseases that cross the border.",
    ),
    (
        Commitment.Kind.RESULTS_EXCHANGE,
        1,
        1,
        False,
        "Hằng năm hai hội trao đổi kết quả hoạt động và kế hoạch của năm sau.",
        "Each year, the branches exchange their results and their plan for the "
        "next year.",
    ),
]


def load_example_agreement(report, organisations):
    agreement = upsert(
        report,
        Agreement,
        {"slug": EXAMPLE_AGREEMENT_SLUG},
        {
            "is_example": True,
            "title_vi": "[Ví dụ] Thỏa thuận hợp tác giả định giữa hai hội Chữ thập "
            "đỏ hư cấu, giai đoạn 2022–2027 (không có thật)",
            "title_lo": "[ຕົວຢ່າງ] ຂໍ້ຕົກລົງການຮ່ວມມືສົມມຸດ ລະຫວ່າງສອງສາຂາກາແດງ"
            "ສົມມຸດ, 2022–2027 (ບໍ່ແມ່ນຂໍ້ມູນຈິງ)",
            "title_en": "[Example] Made-up cooperation agreement between two "
            "fictional Red Cross branches, 2022–2027",
            "status": Agreement.Status.IN_FORCE,
            "start_date": datetime.date(2022, 1, 1),
            "end_date": datetime.date(2027, 12, 31),
            "source": "Made up for demonstration; taken from no document.",
            "notes": "Every party, place, record and figure of this agreement is "
            "invented, to show what busy years look like. It copies the structure "
            "of the Kon Tum – Attapeu memorandum (six commitments, hosts in turn), "
            "not its facts.",
        },
    )
    for order, key in enumerate(["north", "south"], start=1):
        upsert(
            report,
            AgreementParty,
            {"agreement": agreement, "organisation": organisations[key]},
            {"order": order},
        )
    for ordinal, (kind, low, high, rotation, text_vi, text_en) in enumerate(
        EXAMPLE_COMMITMENTS, start=1
    ):
        upsert(
            report,
            Commitment,
            {"agreement": agreement, "ordinal": ordinal},
            {
                "kind": kind,
                "yearly_target_min": low,
                "yearly_target_max": high,
                "host_rotation": rotation,
                "text_vi": f"[Ví dụ] {text_vi}",
                "text_en": f"{EXAMPLE}{text_en}",
            },
        )
    return agreement


def _visit(report, agreement, start, sender, host, area):
    visit = upsert(
        report,
        DelegationVisit,
        {"agreement": agreement, "kind": "yearly_exchange", "start_date": start},
        {
            "end_date": start + datetime.timedelta(days=2),
            "sending_party": sender,
            "host_party": host,
            "area": area,
            "place": f"{EXAMPLE}{area.name_en}",
            "purpose_en": f"{EXAMPLE}Yearly exchange visit (made-up record).",
            **EXAMPLE_FLAGS,
        },
    )
    upsert(
        report,
        VisitMember,
        {"visit": visit, "full_name": f"{EXAMPLE}Head of delegation"},
        {"title": "Example title", "organisation": sender, "leads_delegation": True},
    )
    return visit


def _program(report, agreement, year, title, lead, districts, **values):
    values = {"status": JointProgram.Status.COMPLETED, **values}
    return upsert(
        report,
        JointProgram,
        {"agreement": agreement, "year": year, "title_en": f"{EXAMPLE}{title}"},
        {"lead_organisation": lead, **values, **EXAMPLE_FLAGS},
        many={"districts": districts},
    )


def _distribution(report, program, day, group, packages, people, items):
    """A distribution whose value is the sum of its items, each priced."""
    value = sum((quantity * Decimal(unit) for _kind, quantity, unit in items), 0)
    distribution = upsert(
        report,
        GiftDistribution,
        {"program": program, "start_date": day},
        {
            "recipient_group": group,
            "recipient_description": f"{EXAMPLE}{group.label}",
            "packages": packages,
            "people_reached": people,
            "currency": program.currency,
            "total_value": Decimal(value),
            **EXAMPLE_FLAGS,
        },
        many={"districts": list(program.districts.all())},
    )
    for item_kind, quantity, unit_value in items:
        upsert(
            report,
            DistributionItem,
            {"distribution": distribution, "item_kind": item_kind},
            {"quantity": quantity, "unit_value": Decimal(unit_value)},
        )
    return distribution


def _recipients(report, distribution, people):
    """A made-up recipient list: `people` is (name, sex, year of birth) per line.

    Names say "[Example]" and a number: no real person's, nor one that looks
    real. Only counts of them reach a page or a report.
    """
    place = f"{EXAMPLE}{distribution.districts.first()}"
    for number, (name, sex, birth_year) in enumerate(people, start=1):
        upsert(
            report,
            Recipient,
            {"distribution": distribution, "list_number": number},
            {
                "full_name": f"{EXAMPLE}{name}",
                "sex": sex,
                "birth_year": birth_year,
                "school_or_village": place,
            },
        )


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


def load_example_records(report, agreement, places, organisations, items):
    north, south = organisations["north"], organisations["south"]
    east, west = places["east"], places["west"]
    students = GiftDistribution.RecipientGroup.STUDENTS
    families = GiftDistribution.RecipientGroup.FAMILIES

    # 2022: the first exchange, hosted by the south, and gifts during the visit.
    visit = _visit(
        report, agreement, datetime.date(2022, 9, 20), north, south, places["south"]
    )
    gifts = _program(
        report,
        agreement,
        2022,
        "School gifts in Example District East",
        north,
        [east],
        includes_gifts=True,
        start_date=datetime.date(2022, 9, 21),
        currency="VND",
        visit=visit,
    )
    school_gifts = _distribution(
        report,
        gifts,
        datetime.date(2022, 9, 21),
        students,
        120,
        120,
        [
            (items["school-backpack"], 120, "350000"),
            (items["school-supplies"], 120, "150000"),
        ],
    )
    # One school's list, typed in: 40 of the 120 pupils, aged 6 to 14, girls and
    # boys in turn (the other schools' lists stay on paper).
    _recipients(
        report,
        school_gifts,
        [
            (f"Pupil {n}", Sex.FEMALE if n % 2 else Sex.MALE, 2008 + n % 9)
            for n in range(1, 41)
        ],
    )
    _information(
        report, agreement, 2022, north, south, datetime.date(2022, 12, 15), 1, 2
    )

    # 2023: the north hosts in turn; check-ups; both parties report on one day.
    _visit(
        report, agreement, datetime.date(2023, 10, 10), south, north, places["north"]
    )
    checkups = _program(
        report,
        agreement,
        2023,
        "Free check-ups and medicine in Example District West",
        north,
        [west],
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
        families,
        80,
        80,
        [(items["medicine-kit"], 80, "500000"), (items["rice"], 800, "30000")],
    )
    for sender, recipient in ((north, south), (south, north)):
        _information(
            report,
            agreement,
            2023,
            sender,
            recipient,
            datetime.date(2023, 12, 20),
            1,
            2,
        )

    # 2024: the south hosts in turn; two gift programmes; one side reports.
    _visit(report, agreement, datetime.date(2024, 9, 16), north, south, places["south"])
    for title, district, day, packages in [
        ("Gifts for families in Example District East", east, 17, 100),
        ("Gifts for families in Example District West", west, 18, 90),
    ]:
        program = _program(
            report,
            agreement,
            2024,
            title,
            north,
            [district],
            includes_gifts=True,
            start_date=datetime.date(2024, 9, day),
            currency="VND",
        )
        # Per package 10 kg of rice and a blanket: 550,000 đồng.
        family_gifts = _distribution(
            report,
            program,
            datetime.date(2024, 9, day),
            families,
            packages,
            packages * 4,
            [
                (items["rice"], packages * 10, "30000"),
                (items["blanket"], packages, "250000"),
            ],
        )
        if district == east:
            # The first page of the list of the families' heads, who signed for
            # the packages: 20 of the 400 people reached, aged 25 to 79; one line
            # gives no sex.
            _recipients(
                report,
                family_gifts,
                [
                    (
                        f"Head of family {n}",
                        Sex.NOT_RECORDED
                        if n == 20
                        else (Sex.FEMALE if n % 3 else Sex.MALE),
                        1945 + n * 29 % 55,
                    )
                    for n in range(1, 21)
                ],
            )
    _information(
        report, agreement, 2024, north, south, datetime.date(2024, 12, 18), 1, 1
    )

    # 2025: no yearly exchange, on purpose (a missed year); a programme in kip.
    prevention = _program(
        report,
        agreement,
        2025,
        "Cross-border dengue prevention",
        south,
        [east],
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
        families,
        300,
        1200,
        [(items["mosquito-net"], 300, "60000")],
    )

    # 2026: the north's turn to host again, the missed year keeping the turn.
    _visit(report, agreement, datetime.date(2026, 6, 15), south, north, places["north"])

    # 2027: a programme that is only planned, with no date yet.
    _program(
        report,
        agreement,
        2027,
        "Joint check-ups (planned)",
        south,
        [west],
        includes_checkups=True,
        currency="VND",
        status=JointProgram.Status.PLANNED,
    )


def load_examples(report, countries, items):
    """The example agreement, its fictional parties and places, and its records."""
    places = load_example_places(report, countries)
    organisations = load_example_organisations(report, countries, places)
    agreement = load_example_agreement(report, organisations)
    load_example_records(report, agreement, places, organisations, items)
    return agreement
