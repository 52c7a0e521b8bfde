"""The real 2022–2027 Kon Tum – Attapeu memorandum, as the source article states it.

Everything here is traceable to `shared/source/` (the article) or `shared/facts.md`
(places and the 2025 merger). What the article does not state is left empty: no
signatories, no signing date, no split of the 150 packages, no value per item.
Made-up records never come here: `examples` puts them on an agreement of their own.
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
from exchanges.models import DelegationVisit
from programs.models import (
    DistributionItem,
    GiftDistribution,
    ItemKind,
    JointProgram,
    ProgramAttachment,
)

from .loading import upsert

AGREEMENT_SLUG = "kontum-attapeu-2022-2027"
PREDECESSOR_SLUG = "kontum-attapeu-2019-2022"
SOURCE = (
    "Vietnam Red Cross Society news article “Kon Tum và Attapư (Lào) tăng cường trao "
    "đổi kinh nghiệm trong công tác hoạt động nhân đạo, từ thiện” (redcross.org.vn). "
    "Photo of the signing: Hoàng Minh/redcross.org.vn."
)
PERIOD_NOTE = "The source gives the years only; day and month are not stated."
PHOTO_CREDIT = "Hoàng Minh/redcross.org.vn"
# The source's one statement about the 2019–2022 agreement, in its words and ours.
PREDECESSOR_NOTE = (
    "The source says that in 2019–2022 the contents signed between the Kon Tum "
    "Provincial Red Cross Society and the Attapeu Provincial Red Cross Organisation "
    "“were given attention and implemented well” (“đã được quan tâm triển khai thực "
    "hiện tốt”). It does not list those contents or any activity under them."
)


ITEM_CATALOGUE = [
    # code, Vietnamese, Lao, English, unit
    ("bicycle", "Xe đạp", "ລົດຖີບ", "Bicycle", ItemKind.Unit.PIECE),
    ("school-backpack", "Balo học sinh", "ກະເປົ໋ານັກຮຽນ", "School backpack", "piece"),
    ("school-supplies", "Dụng cụ học tập", "ອຸປະກອນການຮຽນ", "School supplies", "set"),
    ("milk", "Sữa", "ນົມ", "Milk", ItemKind.Unit.BOX),
    ("sweets", "Bánh kẹo", "ເຂົ້າໜົມ", "Sweets", ItemKind.Unit.PACKAGE),
    ("rice", "Gạo", "ເຂົ້າສານ", "Rice", ItemKind.Unit.KILOGRAM),
    ("medicine-kit", "Túi thuốc", "ຊຸດຢາ", "Medicine kit", ItemKind.Unit.SET),
    ("mosquito-net", "Màn chống muỗi", "ມຸ້ງ", "Mosquito net", ItemKind.Unit.PIECE),
    ("blanket", "Chăn", "ຜ້າຫົ່ມ", "Blanket", ItemKind.Unit.PIECE),
    ("hygiene-kit", "Bộ vệ sinh cá nhân", "ຊຸດອະນາໄມ", "Hygiene kit", "set"),
]


def load_item_catalogue(report):
    return {
        code: upsert(
            report,
            ItemKind,
            {"code": code},
            {"name_vi": vi, "name_lo": lo, "name_en": en, "unit": unit},
        )
        for code, vi, lo, en, unit in ITEM_CATALOGUE
    }


def load_places(report):
    vietnam = upsert(
        report,
        Area,
        {"level": Area.Level.COUNTRY, "iso_code": "VN"},
        {"name_vi": "Việt Nam", "name_lo": "ຫວຽດນາມ", "name_en": "Vietnam"},
    )
    laos = upsert(
        report,
        Area,
        {"level": Area.Level.COUNTRY, "iso_code": "LA"},
        {"name_vi": "Lào", "name_lo": "ລາວ", "name_en": "Laos"},
    )
    quang_ngai_2025 = upsert(
        report,
        Area,
        {"level": Area.Level.PROVINCE, "parent": vietnam, "name_en": "Quảng Ngãi"},
        {
            "name_vi": "tỉnh Quảng Ngãi",
            "name_lo": "ແຂວງກວາງງາຍ",
            "valid_from": datetime.date(2025, 7, 1),
            "notes": "The province formed by merging Kon Tum and Quảng Ngãi under "
            "Resolution 202/2025/QH15 (12 June 2025), working from 1 July 2025.",
        },
    )
    kon_tum = upsert(
        report,
        Area,
        {"level": Area.Level.PROVINCE, "iso_code": "VN-28"},
        {
            "parent": vietnam,
            "name_vi": "tỉnh Kon Tum",
            "name_lo": "ແຂວງກອນຕູມ",
            "name_en": "Kon Tum",
            "valid_until": datetime.date(2025, 6, 30),
            "successor": quang_ngai_2025,
            "notes": "GSO code 62. Merged into the new Quảng Ngãi province from "
            "1 July 2025 (Resolution 202/2025/QH15).",
        },
    )
    attapeu = upsert(
        report,
        Area,
        {"level": Area.Level.PROVINCE, "iso_code": "LA-AT"},
        {
            "parent": laos,
            "pcode": "LA17",
            "name_vi": "tỉnh Attapư",
            "name_lo": "ແຂວງອັດຕະປື",
            "name_en": "Attapeu",
        },
    )
    sanxay = upsert(
        report,
        Area,
        {"level": Area.Level.DISTRICT, "pcode": "LA1704"},
        {
            "parent": attapeu,
            "name_vi": "huyện Sản-Xay",
            "name_lo": "ເມືອງຊານໄຊ",
            "name_en": "Sanxay",
            "notes": "Not to be confused with Sanamxay (LA1703).",
        },
    )
    phouvong = upsert(
        report,
        Area,
        {"level": Area.Level.DISTRICT, "pcode": "LA1705"},
        {
            "parent": attapeu,
            "name_vi": "huyện Phu-Vong",
            "name_lo": "ເມືອງພູວົງ",
            "name_en": "Phouvong",
        },
    )
    return {
        "vietnam": vietnam,
        "laos": laos,
        "kon_tum": kon_tum,
        "attapeu": attapeu,
        "sanxay": sanxay,
        "phouvong": phouvong,
    }


def load_organisations(report, places):
    vietnam_red_cross = upsert(
        report,
        Organisation,
        {"kind": Organisation.Kind.NATIONAL_SOCIETY, "acronym": "VNRC"},
        {
            "name_vi": "Hội Chữ thập đỏ Việt Nam",
            "name_lo": "ສະມາຄົມກາແດງຫວຽດນາມ",
            "name_en": "Viet Nam Red Cross Society",
            "original_language": "vi",
            "country": places["vietnam"],
            "website": "https://redcross.org.vn/",
        },
    )
    lao_red_cross = upsert(
        report,
        Organisation,
        {"kind": Organisation.Kind.NATIONAL_SOCIETY, "acronym": "LRC"},
        {
            "name_vi": "Hội Chữ thập đỏ Lào",
            "name_lo": "ສະພາກາແດງລາວ",
            "name_en": "Lao Red Cross",
            "country": places["laos"],
        },
    )
    kon_tum = upsert(
        report,
        Organisation,
        {"kind": Organisation.Kind.PROVINCIAL_BRANCH, "home_area": places["kon_tum"]},
        {
            "name_vi": "Hội Chữ thập đỏ tỉnh Kon Tum",
            "name_lo": "ກາແດງແຂວງກອນຕູມ",
            "name_en": "Kon Tum Provincial Red Cross Society",
            "original_language": "vi",
            "country": places["vietnam"],
            "parent": vietnam_red_cross,
        },
    )
    attapeu = upsert(
        report,
        Organisation,
        {"kind": Organisation.Kind.PROVINCIAL_BRANCH, "home_area": places["attapeu"]},
        {
            "name_vi": "Hội Chữ thập đỏ tỉnh Attapư",
            "name_lo": "ກາແດງແຂວງອັດຕະປື",
            "name_en": "Attapeu Provincial Red Cross",
            "original_language": "vi",
            "country": places["laos"],
            "parent": lao_red_cross,
        },
    )
    return {"kon_tum": kon_tum, "attapeu": attapeu}


COMMITMENTS = [
    # kind, target min, target max, rotation, Vietnamese (the article), English, Lao
    # (both translations made for this app; the article is the original)
    (
        Commitment.Kind.YEARLY_EXCHANGE,
        1,
        1,
        True,
        "Hàng năm, tổ chức việc trao đổi đoàn thăm, làm việc và trao đổi kinh nghiệm "
        "trong công tác hoạt động nhân đạo ở mỗi địa phương theo hình thức luân phiên.",
        "Every year, exchange delegations to visit, work and share experience in "
        "humanitarian activities in each locality, hosted in rotation.",
        "ໃນແຕ່ລະປີ, ຈັດໃຫ້ມີການແລກປ່ຽນຄະນະຜູ້ແທນ ໄປຢ້ຽມຢາມ, ເຮັດວຽກ "
        "ແລະ ແລກປ່ຽນບົດຮຽນ ກ່ຽວກັບວຽກງານມະນຸດສະທຳ ຢູ່ແຕ່ລະທ້ອງຖິ່ນ "
        "ໂດຍໝູນວຽນກັນເປັນເຈົ້າພາບ.",
    ),
    (
        Commitment.Kind.VISITS_ON_REQUEST,
        None,
        None,
        False,
        "Khi cần thiết, mỗi bên có thể cử đoàn thăm, làm việc, trao đổi kinh nghiệm "
        "theo yêu cầu của mỗi bên hoặc tham gia các nhiệm vụ chung.",
        "When necessary, each side may send delegations to visit, work and share "
        "experience at the request of either side, or take part in joint tasks.",
        "ໃນກໍລະນີທີ່ມີຄວາມຈຳເປັນ, ແຕ່ລະຝ່າຍສາມາດສົ່ງຄະນະຜູ້ແທນ "
        "ໄປຢ້ຽມຢາມ, ເຮັດວຽກ ແລະ ແລກປ່ຽນບົດຮຽນ ຕາມການສະເໜີຂອງແຕ່ລະຝ່າຍ "
        "ຫຼື ເຂົ້າຮ່ວມປະຕິບັດໜ້າທີ່ຮ່ວມກັນ.",
    ),
    (
        Commitment.Kind.INFORMATION_SHARING,
        None,
        None,
        False,
        "Thông tin về tình hình phát triển kinh tế - xã hội; giới thiệu quảng bá hình "
        "ảnh văn hóa, con người, tiềm năng, thế mạnh, truyền thống lịch sử của 2 tỉnh.",
        "Share information on socio-economic development; introduce and promote the "
        "image, culture, people, potential, strengths and historical traditions of "
        "the two provinces.",
        "ແລກປ່ຽນຂໍ້ມູນຂ່າວສານ ກ່ຽວກັບສະພາບການພັດທະນາເສດຖະກິດ-ສັງຄົມ; "
        "ແນະນຳ ແລະ ເຜີຍແຜ່ພາບລັກດ້ານວັດທະນະທຳ, ຜູ້ຄົນ, ທ່າແຮງ, ຈຸດແຂງ "
        "ແລະ ມູນເຊື້ອທາງປະຫວັດສາດ ຂອງທັງສອງແຂວງ.",
    ),
    (
        Commitment.Kind.JOINT_PROGRAMMES,
        1,
        2,
        False,
        "Tuỳ điều kiện, khả năng và nhu cầu cần hỗ trợ của 02 tỉnh để thống nhất phối "
        "hợp tổ chức từ 01 đến 02 chương trình nhân đạo/năm, bằng các hoạt động phúc "
        "lợi xã hội khác nhau, như: Khám, chữa bệnh, cấp thuốc miễn phí, tặng quà cho "
        "các gia đình có hoàn cảnh khó khăn.",
        "Depending on the conditions, capacities and support needs of the two "
        "provinces, organise 1 to 2 humanitarian programmes a year: medical check-ups "
        "and treatment, free medicine, gifts for families in difficult circumstances.",
        "ອີງຕາມເງື່ອນໄຂ, ຄວາມສາມາດ ແລະ "
        "ຄວາມຕ້ອງການການຊ່ວຍເຫຼືອຂອງທັງສອງແຂວງ, "
        "ສອງຝ່າຍຕົກລົງເປັນເອກະພາບ "
        "ປະສານສົມທົບກັນຈັດຕັ້ງປະຕິບັດໂຄງການມະນຸດສະທຳ ຈາກ 1 ຫາ 2 "
        "ໂຄງການຕໍ່ປີ ດ້ວຍກິດຈະກຳສະຫວັດດີການສັງຄົມຕ່າງໆ ເຊັ່ນ: ກວດ ແລະ "
        "ປິ່ນປົວພະຍາດ, ສະໜອງຢາໂດຍບໍ່ເສຍຄ່າ, "
        "ມອບຂອງຂວັນໃຫ້ແກ່ຄອບຄົວທີ່ມີຄວາມຫຍຸ້ງຍາກ.",
    ),
    (
        Commitment.Kind.DISEASE_PREVENTION,
        None,
        None,
        False,
        "Phối hợp chặt chẽ trong công tác phòng chống dịch Covid-19 và các bệnh truyền "
        "nhiễm khác lây lan qua biên giới có nguy cơ bùng phát thành dịch.",
        "Coordinate closely in preventing Covid-19 and other infectious diseases that "
        "spread across the border and risk breaking out into epidemics.",
        "ປະສານສົມທົບກັນຢ່າງໃກ້ຊິດ ໃນວຽກງານປ້ອງກັນ ແລະ "
        "ຄວບຄຸມພະຍາດໂຄວິດ-19 ແລະ ພະຍາດຕິດຕໍ່ອື່ນໆ "
        "ທີ່ແຜ່ເຊື້ອຂ້າມຊາຍແດນ ແລະ "
        "ມີຄວາມສ່ຽງທີ່ຈະລະບາດຂະຫຍາຍວົງກວ້າງ.",
    ),
    (
        Commitment.Kind.RESULTS_EXCHANGE,
        1,
        1,
        False,
        "Hàng năm chủ động trao đổi thông tin về kết quả công tác Hội và phong trào "
        "Chữ thập đỏ ở mỗi địa phương như mô hình, kinh nghiệm trong hoạt động "
        "nhân đạo; "
        "chương trình hợp tác của năm sau.",
        "Every year, exchange information on the results of the Society's work and "
        "the Red Cross movement in each locality, such as models and experience in "
        "humanitarian activities, and the cooperation programme for the following "
        "year.",
        "ໃນແຕ່ລະປີ, ໃຫ້ເປັນເຈົ້າການແລກປ່ຽນຂໍ້ມູນຂ່າວສານ "
        "ກ່ຽວກັບຜົນການເຄື່ອນໄຫວວຽກງານກາແດງ ແລະ ຂະບວນການກາແດງ "
        "ຢູ່ແຕ່ລະທ້ອງຖິ່ນ ເຊັ່ນ: ຕົວແບບ ແລະ "
        "ບົດຮຽນໃນການເຄື່ອນໄຫວວຽກງານມະນຸດສະທຳ; "
        "ແຜນງານການຮ່ວມມືຂອງປີຕໍ່ໄປ.",
    ),
]


def load_agreements(report, organisations):
    predecessor = upsert(
        report,
        Agreement,
        {"slug": PREDECESSOR_SLUG},
        {
            "title_vi": "Hợp tác giữa Hội Chữ thập đỏ tỉnh Kon Tum và Tổ chức Chữ thập "
            "đỏ tỉnh Attapư giai đoạn 2019–2022",
            "title_lo": "ການຮ່ວມມືລະຫວ່າງ ກາແດງແຂວງກອນຕູມ ແລະ "
            "ກາແດງແຂວງອັດຕະປື ໄລຍະປີ 2019–2022",
            "title_en": "Kon Tum – Attapeu Red Cross cooperation, 2019–2022",
            "original_language": "vi",
            "status": Agreement.Status.ENDED,
            "start_date": datetime.date(2019, 1, 1),
            "end_date": datetime.date(2022, 12, 31),
            "period_note": PERIOD_NOTE,
            "source": SOURCE,
            "notes": PREDECESSOR_NOTE,
        },
    )
    agreement = upsert(
        report,
        Agreement,
        {"slug": AGREEMENT_SLUG},
        {
            "title_vi": "Biên bản ghi nhớ hợp tác hoạt động nhân đạo, từ thiện giai "
            "đoạn 2022–2027",
            "title_lo": "ບົດບັນທຶກຄວາມເຂົ້າໃຈ "
            "ວ່າດ້ວຍການຮ່ວມມືໃນການເຄື່ອນໄຫວວຽກງານມະນຸດສະທຳ ແລະ ການກຸສົນ "
            "ໄລຍະປີ 2022–2027",
            "title_en": "Memorandum of Understanding on cooperation in humanitarian "
            "and charitable activities, 2022–2027",
            "original_language": "vi",
            "status": Agreement.Status.IN_FORCE,
            "start_date": datetime.date(2022, 1, 1),
            "end_date": datetime.date(2027, 12, 31),
            "period_note": PERIOD_NOTE,
            "predecessor": predecessor,
            "source": SOURCE,
            "notes": "Signing date, place and signatories are not stated in the "
            "source.",
        },
    )
    for order, key in enumerate(["kon_tum", "attapeu"], start=1):
        for each in (predecessor, agreement):
            upsert(
                report,
                AgreementParty,
                {"agreement": each, "organisation": organisations[key]},
                {"order": order},
            )
    for ordinal, (kind, low, high, rotation, text_vi, text_en, text_lo) in enumerate(
        COMMITMENTS, start=1
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
                "text_vi": text_vi,
                "text_lo": text_lo,
                "text_en": text_en,
                "original_language": "vi",
            },
        )
    return agreement


def load_2022_activities(report, agreement, places, organisations, items):
    visit = upsert(
        report,
        DelegationVisit,
        {
            "agreement": agreement,
            "kind": DelegationVisit.Kind.YEARLY_EXCHANGE,
            "start_date": datetime.date(2022, 9, 28),
        },
        {
            "end_date": datetime.date(2022, 9, 30),
            "sending_party": organisations["kon_tum"],
            "host_party": organisations["attapeu"],
            "place": "Attapeu province, Laos",
            "area": places["attapeu"],
            # The article's Vietnamese is the original; English and Lao are ours.
            "original_language": "vi",
            "purpose_vi": "Chuyến thăm và làm việc của Hội Chữ thập đỏ tỉnh Kon Tum "
            "với Tổ chức Chữ thập đỏ tỉnh Attapư (Lào) từ ngày 28-30/9.",
            "purpose_lo": "ການຢ້ຽມຢາມ ແລະ ເຮັດວຽກຂອງກາແດງແຂວງກອນຕູມ "
            "ກັບກາແດງແຂວງອັດຕະປື ແຕ່ວັນທີ 28-30/9.",
            "purpose_en": "Visit and working session of the Kon Tum Provincial Red "
            "Cross Society with the Attapeu Provincial Red Cross Organisation.",
            "outcomes_vi": "Trao 150 suất quà (xe đạp, balo học sinh, dụng cụ học tập "
            "và sữa, bánh kẹo) cho các em học sinh có hoàn cảnh khó khăn tại 02 "
            "huyện Sản-Xay và huyện Phu-Vong với tổng số tiền gần 270 triệu đồng.",
            "outcomes_lo": "ມອບຂອງຂວັນ 150 ຊຸດ (ລົດຖີບ, ກະເປົ໋ານັກຮຽນ, "
            "ອຸປະກອນການຮຽນ, ນົມ ແລະ ເຂົ້າໜົມ) ໃຫ້ແກ່ນັກຮຽນທີ່ມີຄວາມຫຍຸ້ງຍາກ "
            "ຢູ່ເມືອງຊານໄຊ ແລະ ເມືອງພູວົງ, ມູນຄ່າລວມເກືອບ 270 ລ້ານດົ່ງ.",
            "outcomes_en": "150 gift packages presented to students in difficult "
            "circumstances in Sanxay and Phouvong districts.",
            "is_published": True,
        },
    )
    program = upsert(
        report,
        JointProgram,
        {"agreement": agreement, "year": 2022, "visit": visit},
        {
            "title_vi": "Tặng quà cho học sinh có hoàn cảnh khó khăn tại huyện Sản-Xay "
            "và huyện Phu-Vong",
            "title_en": "Gifts for students in difficult circumstances in Sanxay and "
            "Phouvong",
            "title_lo": "ມອບຂອງຂວັນໃຫ້ແກ່ນັກຮຽນທີ່ມີຄວາມຫຍຸ້ງຍາກ ຢູ່ເມືອງຊານໄຊ ແລະ ເມືອງພູວົງ",
            "original_language": "vi",
            "description_vi": "Xe đạp, balo học sinh, dụng cụ học tập và sữa, bánh "
            "kẹo, trao trong chuyến thăm ngày 28-30/9/2022.",
            "description_lo": "ລົດຖີບ, ກະເປົ໋ານັກຮຽນ, ອຸປະກອນການຮຽນ, ນົມ ແລະ "
            "ເຂົ້າໜົມ, ມອບໃນລະຫວ່າງການຢ້ຽມຢາມວັນທີ 28-30/9/2022.",
            "description_en": "Bicycles, school backpacks, school supplies, milk and "
            "sweets presented during the visit of 28–30 September 2022.",
            "includes_gifts": True,
            "start_date": datetime.date(2022, 9, 28),
            "end_date": datetime.date(2022, 9, 30),
            "lead_organisation": organisations["kon_tum"],
            "currency": "VND",
            "status": JointProgram.Status.COMPLETED,
            "is_published": True,
        },
        many={"districts": [places["sanxay"], places["phouvong"]]},
    )
    distribution = upsert(
        report,
        GiftDistribution,
        {"program": program, "start_date": datetime.date(2022, 9, 28)},
        {
            "end_date": datetime.date(2022, 9, 30),
            "recipient_group": GiftDistribution.RecipientGroup.STUDENTS,
            "recipient_description": "học sinh có hoàn cảnh khó khăn (students in "
            "difficult circumstances)",
            "packages": 150,
            "currency": "VND",
            "total_value": Decimal("270000000.00"),
            "value_is_approximate": True,
            "notes": "The source gives one total (“nearly 270 million đồng”) for both "
            "districts and all items; it states no split and no value per item.",
            "is_published": True,
        },
        many={"districts": [places["sanxay"], places["phouvong"]]},
    )
    for code in ["bicycle", "school-backpack", "school-supplies", "milk", "sweets"]:
        upsert(
            report,
            DistributionItem,
            {"distribution": distribution, "item_kind": items[code]},
        )
    upsert(
        report,
        ProgramAttachment,
        {"program": program, "credit": PHOTO_CREDIT},
        {
            "kind": ProgramAttachment.Kind.PHOTO,
            "caption": "The Kon Tum Provincial Red Cross Society presented gifts and "
            "bicycles to students in difficult circumstances in Attapeu province.",
            "is_published": True,
        },
    )
