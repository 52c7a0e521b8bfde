"""The admin on a laptop screen, in chromium: every list keeps its columns in view,
forms fit the screen, a long title clears the History / View on site buttons, and
the app's colours pass axe in the light and the dark theme.

The records have the long names and titles of real Vietnamese and Lao records.
Screenshots land in /tmp/browser-shots/ for a person to look at.
"""

import datetime
from decimal import Decimal

import pytest
from django.contrib import admin
from django.urls import reverse

from cooperation.models import Agreement
from programs.models import GiftDistribution, ItemKind
from tests import factories
from tests.browser.conftest import SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

USERNAME = "chief"
PASSWORD = "a-long-test-password"
LAPTOPS = {
    "1280": {"width": 1280, "height": 800},
    "1366": {"width": 1366, "height": 768},
}
# Blocking for a reader using assistive technology; "moderate" and "minor" are not.
BLOCKING_IMPACTS = {"serious", "critical"}

AGREEMENT_TITLE = {
    "vi": "Biên bản ghi nhớ hợp tác hoạt động nhân đạo, từ thiện giữa Hội Chữ thập "
    "đỏ tỉnh Kon Tum (Việt Nam) và Hội Chữ thập đỏ tỉnh Attapư (Lào) giai đoạn "
    "2022–2027",
    "lo": "ບົດບັນທຶກຄວາມເຂົ້າໃຈ ວ່າດ້ວຍການຮ່ວມມືໃນການເຄື່ອນໄຫວວຽກງານມະນຸດສະທຳ ແລະ "
    "ການກຸສົນ ລະຫວ່າງ ກາແດງແຂວງກອນຕູມ ແລະ ກາແດງແຂວງອັດຕະປື ໄລຍະປີ 2022–2027",
    "en": "Memorandum of Understanding on cooperation in humanitarian and "
    "charitable activities between the Kon Tum and Attapeu Provincial Red Cross, "
    "2022–2027",
}
PROGRAMME_TITLE = {
    "vi": "Tặng quà cho học sinh có hoàn cảnh đặc biệt khó khăn tại các bản biên "
    "giới huyện Sản-Xay và huyện Phu-Vong nhân dịp khai giảng năm học mới",
    "lo": "ມອບຂອງຂວັນໃຫ້ແກ່ນັກຮຽນທີ່ມີຄວາມຫຍຸ້ງຍາກ ຢູ່ບັນດາບ້ານຊາຍແດນ ເມືອງຊານໄຊ "
    "ແລະ ເມືອງພູວົງ ເນື່ອງໃນໂອກາດເປີດສົກຮຽນໃໝ່",
    "en": "Gifts for students in particularly difficult circumstances in the border "
    "villages of Sanxay and Phouvong at the start of the school year",
}
DISTRICTS = [
    ("huyện Sản-Xay", "ເມືອງຊານໄຊ", "Sanxay"),
    ("huyện Phu-Vong", "ເມືອງພູວົງ", "Phouvong"),
    ("huyện Sa Thầy", "ເມືອງຊາເທີຍ", "Sa Thay"),
]


def save_screenshot(page, name):
    """The tab's whole page as /tmp/browser-shots/<name>.png, for a person to look
    at (the `screenshot` fixture photographs the `page` fixture's own tab)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def titles(texts, field="title"):
    return {f"{field}_{code}": text for code, text in texts.items()}


@pytest.fixture
def long_records(transactional_db):
    """Three of every record a clerk keeps, named as real ones are."""
    country = factories.CountryFactory(name_en="Laos", name_vi="Lào", name_lo="ລາວ")
    province = factories.ProvinceFactory(
        parent=country, name_en="Attapeu", name_vi="tỉnh Attapư", name_lo="ແຂວງອັດຕະປື"
    )
    districts = [
        factories.DistrictFactory(
            parent=province, name_vi=vi, name_lo=lo, name_en=en, pcode=f"LA170{n}"
        )
        for n, (vi, lo, en) in enumerate(DISTRICTS)
    ]
    kon_tum = factories.home_branch()
    kon_tum.name_vi, kon_tum.name_lo = "Hội Chữ thập đỏ tỉnh Kon Tum", "ກາແດງແຂວງກອນຕູມ"
    kon_tum.name_en = "Kon Tum Provincial Red Cross Society"
    kon_tum.save()
    attapeu = factories.OrganisationFactory(
        name_vi="Hội Chữ thập đỏ tỉnh Attapư",
        name_lo="ສະມາຄົມກາແດງແຂວງອັດຕະປື",
        name_en="Attapeu Provincial Red Cross",
        acronym="",
        home_area=province,
    )
    ended = factories.AgreementFactory(
        slug="kontum-attapeu-2019-2022",
        **titles(
            {
                code: text.replace("2022–2027", "2019–2022")
                for code, text in AGREEMENT_TITLE.items()
            }
        ),
        status=Agreement.Status.ENDED,
        start_date=datetime.date(2019, 1, 1),
        end_date=datetime.date(2022, 12, 31),
        parties=[kon_tum, attapeu],
    )
    agreement = factories.AgreementFactory(
        slug="kontum-attapeu-2022-2027",
        **titles(AGREEMENT_TITLE),
        predecessor=ended,
        parties=[kon_tum, attapeu],
    )
    for ordinal in (1, 2, 3):
        factories.CommitmentFactory(
            agreement=agreement,
            ordinal=ordinal,
            text_vi="Hằng năm tổ chức từ 1 đến 2 chương trình nhân đạo phối hợp tại "
            "các huyện biên giới của hai tỉnh",
        )
    kinds = [
        factories.ItemKindFactory(
            code=f"school-backpack-{n}",
            name_vi="Cặp sách và đồ dùng học tập cho học sinh",
            name_lo="ກະເປົາ ແລະ ອຸປະກອນການຮຽນສຳລັບນັກຮຽນ",
            unit=ItemKind.Unit.SET,
        )
        for n in range(3)
    ]
    for year in (2022, 2023, 2024):
        programme = factories.JointProgramFactory(
            agreement=agreement,
            year=year,
            **titles(PROGRAMME_TITLE),
            districts=districts,
            budget=Decimal("300000000"),
            actual_cost=Decimal("269500000"),
        )
        distribution = factories.GiftDistributionFactory(
            program=programme,
            districts=districts[:2],
            recipient_group=GiftDistribution.RecipientGroup.STUDENTS,
            recipient_description="Học sinh các trường tiểu học và trung học cơ sở",
            packages=1250,
            people_reached=1250,
            total_value=Decimal("269500000"),
            value_is_approximate=True,
        )
        for kind in kinds:
            factories.DistributionItemFactory(
                distribution=distribution, item_kind=kind, quantity=1250
            )
        factories.ProgramAttachmentFactory(
            program=programme,
            caption="Trao quà cho học sinh tại trường tiểu học bản biên giới",
        )
        factories.DistributionAttachmentFactory(
            distribution=distribution,
            caption="ນັກຮຽນຮັບຂອງຂວັນ ຢູ່ໂຮງຮຽນປະຖົມ ບ້ານຊາຍແດນ",
        )
        visit = factories.DelegationVisitFactory(
            agreement=agreement,
            start_date=datetime.date(year, 9, 26),
            place="Thành phố Samakkhixay, tỉnh Attapư, Cộng hòa Dân chủ Nhân dân Lào",
            area=province,
        )
        for n in range(3):
            factories.VisitMemberFactory(
                visit=visit,
                full_name=f"Nguyễn Thị Phương Thảo {n}",
                title="Phó Chủ tịch Thường trực Hội Chữ thập đỏ tỉnh",
            )
        factories.VisitAttachmentFactory(
            visit=visit, caption="Hai đoàn làm việc tại trụ sở Hội Chữ thập đỏ tỉnh"
        )
        factories.InformationExchangeFactory(
            agreement=agreement,
            year_covered=year,
            covers_socio_economic=True,
            covers_disease_situation=True,
        )
        factories.ExchangeRateFactory(
            year=year, currency="LAK", units_per_reporting_unit=Decimal("16650.5")
        )
    factories.confirm_year(agreement, 2022)
    return agreement


@pytest.fixture
def sign_in(browser, live_server, django_user_model):
    """A new tab for `language` at `viewport`, signed in as a superuser."""
    django_user_model.objects.create_superuser(USERNAME, password=PASSWORD)
    contexts = []

    def open_tab(language="vi", viewport=LAPTOPS["1280"], color_scheme="light"):
        context = browser.new_context(
            locale=language,
            extra_http_headers={"Accept-Language": language},
            viewport=viewport,
            color_scheme=color_scheme,
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(f"{live_server.url}{reverse('admin:login')}")
        page.fill("#id_username", USERNAME)
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
        page.wait_for_url(f"{live_server.url}{reverse('admin:index')}")
        return page

    yield open_tab
    for context in contexts:
        context.close()


def changelist_paths():
    return sorted(
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for model in admin.site._registry
    )


# What a list shows a reader: the page's sideways overflow, the list's own (its
# box scrolls sideways when the table is wider), and the headings that end right
# of the screen.
LIST_FIT = """() => {
    const box = document.querySelector('#changelist-form .results');
    const table = box && box.querySelector('table');
    return {
        page: document.documentElement.scrollWidth - window.innerWidth,
        rows: table ? table.tBodies[0].rows.length : 0,
        hidden: table ? table.scrollWidth - box.clientWidth : 0,
        outside: table ? [...table.tHead.rows[0].cells]
            .filter(cell => cell.getBoundingClientRect().right > window.innerWidth)
            .map(cell => cell.innerText.trim()) : [],
    };
}"""


@pytest.mark.parametrize(
    ("laptop", "language"), [("1280", "vi"), ("1280", "lo"), ("1366", "en")]
)
def test_every_list_shows_all_its_columns_on_a_laptop_screen(
    long_records, live_server, sign_in, laptop, language
):
    page = sign_in(language, LAPTOPS[laptop])
    cut = {}
    listed = 0
    for path in changelist_paths():
        page.goto(f"{live_server.url}{path}")
        fit = page.evaluate(LIST_FIT)
        listed += fit["rows"] > 0
        if fit["page"] > 0 or fit["hidden"] > 0 or fit["outside"]:
            cut[path] = fit
    # Every list of the records above had rows to lay out (not the auth groups).
    assert listed >= 15
    assert cut == {}
    page.goto(
        f"{live_server.url}{reverse('admin:programs_giftdistribution_changelist')}"
    )
    save_screenshot(page, f"admin-distributions-{language}-{laptop}")


# The gaps, in pixels, between help texts of fields side by side on one line.
HELP_GAPS = """() => {
    const gaps = [];
    const textBox = (element) => {
        const range = document.createRange();
        range.selectNodeContents(element);
        return range.getBoundingClientRect();
    };
    for (const row of document.querySelectorAll('.form-multiline')) {
        const helps = [...row.querySelectorAll(':scope > div > .help')]
            .filter(help => help.offsetParent !== null)
            .map(textBox);
        for (let i = 0; i + 1 < helps.length; i++) {
            if (Math.abs(helps[i].top - helps[i + 1].top) < 4) {
                gaps.push(helps[i + 1].left - helps[i].right);
            }
        }
    }
    return gaps;
}"""


def boxes_overlap(first, second):
    return not (
        first["x"] + first["width"] <= second["x"]
        or second["x"] + second["width"] <= first["x"]
        or first["y"] + first["height"] <= second["y"]
        or second["y"] + second["height"] <= first["y"]
    )


@pytest.mark.parametrize("language", ["vi", "lo"])
def test_forms_fit_the_screen_and_a_long_title_clears_its_buttons(
    long_records, live_server, sign_in, language
):
    agreement = long_records
    programme = agreement.programs.get(year=2023)
    distribution = programme.distributions.get()
    visit = agreement.visits.first()
    page = sign_in(language)
    forms = {
        "agreement": reverse("admin:cooperation_agreement_change", args=[agreement.pk]),
        "programme": reverse("admin:programs_jointprogram_change", args=[programme.pk]),
        "distribution": reverse(
            "admin:programs_giftdistribution_change", args=[distribution.pk]
        ),
        "visit": reverse("admin:exchanges_delegationvisit_change", args=[visit.pk]),
        "new visit": reverse("admin:exchanges_delegationvisit_add"),
    }
    side_by_side = 0
    for name, path in forms.items():
        page.goto(f"{live_server.url}{path}")
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - window.innerWidth"
        )
        assert overflow <= 0, (name, overflow)
        if name == "new visit":
            continue
        heading = page.locator(".object-heading h2").bounding_box()
        buttons = page.locator(".object-heading .object-tools").bounding_box()
        assert not boxes_overlap(heading, buttons), name
        # Help texts side by side never run together ("…downloads.Made-up…").
        gaps = page.evaluate(HELP_GAPS)
        assert all(gap >= 8 for gap in gaps), (name, gaps)
        side_by_side += len(gaps)
    # Some were: a commitment's yearly targets, a distribution's two ticks.
    assert side_by_side >= 2
    # The agreement's title is long enough to take two lines beside the buttons.
    page.goto(f"{live_server.url}{forms['agreement']}")
    heading = page.locator(".object-heading h2")
    assert heading.inner_text().startswith(AGREEMENT_TITLE[language][:20])
    assert heading.bounding_box()["height"] > 40
    save_screenshot(page, f"admin-agreement-{language}-1280")


AXE_PAGES = {
    "index": lambda records: reverse("admin:index"),
    "distributions": lambda records: reverse(
        "admin:programs_giftdistribution_changelist"
    ),
    "programme": lambda records: reverse(
        "admin:programs_jointprogram_change",
        args=[records.programs.get(year=2024).pk],
    ),
}


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
@pytest.mark.parametrize("name", list(AXE_PAGES))
def test_admin_colours_pass_axe_in_light_and_dark(
    long_records, live_server, sign_in, axe, name, color_scheme
):
    page = sign_in("vi", color_scheme=color_scheme)
    page.goto(f"{live_server.url}{AXE_PAGES[name](long_records)}")
    # The system's choice reaches the page: Django's "auto" theme follows it.
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == (
        "rgb(18, 18, 18)" if color_scheme == "dark" else "rgb(255, 255, 255)"
    )

    # Django's autocomplete boxes are its vendored Select2, whose markup axe
    # faults (a list holding spans, a search field without a label); that is
    # Django's to fix, not this app's colours or layout.
    results = axe.run(page, context={"exclude": [[".select2-container"]]})

    blocking = [
        violation
        for violation in results.response["violations"]
        if violation["impact"] in BLOCKING_IMPACTS
    ]
    assert not blocking, results.generate_report()
    if name == "programme":
        save_screenshot(page, f"admin-programme-{color_scheme}")


def test_theme_toggle_turns_the_dark_colours_on_by_hand(
    long_records, live_server, sign_in
):
    page = sign_in("en")
    header = page.locator("#header")
    light = header.evaluate("element => getComputedStyle(element).backgroundColor")
    # Django's toggle goes auto → dark → light when the system is light.
    page.locator("#header .theme-toggle").click()
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    dark = header.evaluate("element => getComputedStyle(element).backgroundColor")
    assert (light, dark) == ("rgb(38, 38, 38)", "rgb(28, 28, 28)")
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == (
        "rgb(18, 18, 18)"
    )


def test_admin_pages_ask_for_nothing_that_is_missing(
    long_records, live_server, sign_in
):
    page = sign_in("en")
    failed = []
    page.on(
        "response",
        lambda response: (
            response.status >= 400 and failed.append((response.status, response.url))
        ),
    )
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    for path in (
        reverse("admin:index"),
        reverse("admin:programs_jointprogram_changelist"),
        reverse(
            "admin:programs_jointprogram_change",
            args=[long_records.programs.first().pk],
        ),
    ):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
    assert failed == []
    assert not [url for url in requested if url.endswith("/favicon.ico")]
    icon = page.locator("link[rel=icon]").get_attribute("href")
    assert icon.endswith(".svg")
    response = page.request.get(f"{live_server.url}{icon}")
    assert response.status == 200
    assert response.headers["content-type"].startswith("image/svg+xml")
