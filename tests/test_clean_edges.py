"""The edge classifier: furniture no rule names is told from prose by its shape, at the edges."""

from collections import Counter
from datetime import UTC, datetime

from tests.test_clean_rules import PACK
from vnnews.tasks.clean.clean import clean_article
from vnnews.tasks.clean.edges import dateline, is_prose, name_line, trim_edges

PROSE = [
    "Mưa lớn kéo dài từ đêm qua khiến nhiều tuyến đường ở các huyện miền núi bị sạt lở.",
    "Chính quyền địa phương đã di dời hơn 200 hộ dân đến nơi an toàn.",
]


def found() -> dict:
    return {"captions": [], "source": None, "author": None, "published_at": None}


def test_prose_is_a_sentence_with_lowercase_words():
    assert is_prose(PROSE[0], PACK.edges)
    assert not is_prose("Tin mới nhất", PACK.edges)  # too short
    assert not is_prose("Chương trình Chuyến xe Công đoàn năm nay có gì mới?", PACK.edges)
    assert not is_prose("Báo Điện Tử Của Hội Nhà Văn Việt Nam.", PACK.edges)  # all capitalised


def test_datelines_in_several_outlets_formats_give_the_time_in_utc():
    assert dateline("28-11-2024 - 03:30 PM | Công đoàn", PACK.edges) == datetime(
        2024, 11, 28, 8, 30, tzinfo=UTC
    )
    assert dateline("Thứ Bảy, 15-11-2025, 19:10", PACK.edges) == datetime(
        2025, 11, 15, 12, 10, tzinfo=UTC
    )
    assert dateline("07:15 02/12/2025", PACK.edges) == datetime(2025, 12, 2, 0, 15, tzinfo=UTC)
    assert dateline("Ngày 20/03/2025, Quốc hội khai mạc kỳ họp bất thường.", PACK.edges) is None


def test_name_lines():
    assert name_line("Hà Ánh") == "Hà Ánh"
    assert name_line("NGỌC QUÝ") == "NGỌC QUÝ"
    assert name_line("(Xuân Khu/TTXVN)") == "Xuân Khu"
    assert name_line("Báo Tiền Phong") is None
    assert name_line("Xã hội") is None
    assert name_line("#Hà Nội") is None


def test_only_the_edges_go_and_their_metadata_is_kept():
    body = ["Xã hội", "Thứ Năm, 28/11/2024 06:50", "Nguyễn Dương", PROSE[0], "Bước tiếp theo",
            PROSE[1], "(Xuân Khu/TTXVN)", "cầu vượt sông Hồng", "Xem thêm bình luận"]  # fmt: skip
    meta, removed = found(), Counter()
    trim_edges(body, PACK, meta, removed)
    assert body == [PROSE[0], "Bước tiếp theo", PROSE[1]]  # the subheading between stays
    assert removed["edge_line"] == 6
    assert meta["author"] == "Nguyễn Dương" and meta["source"] == "TTXVN"
    assert meta["published_at"] == datetime(2024, 11, 27, 23, 50, tzinfo=UTC)


def test_a_body_without_prose_is_left_whole():
    body = ["Lịch thi đấu", "Hà Nội - Nam Định", "Viettel - Bình Dương"]
    trim_edges(body, PACK, found(), Counter())
    assert body == ["Lịch thi đấu", "Hà Nội - Nam Định", "Viettel - Bình Dương"]


def test_the_agency_end_mark_goes():
    body = [PROSE[0], "Ngành du lịch đóng góp khoảng 12% tổng sản phẩm quốc nội của Thái Lan./."]
    trim_edges(body, PACK, found(), Counter())
    assert body[-1].endswith("Thái Lan.")


def test_a_credit_on_its_own_line_makes_the_line_above_a_caption():
    text = "\n".join([PROSE[0], "Rau xanh bày bán tại chợ Long Biên", "ẢNH: ĐÌNH HUY", PROSE[1]])
    removed = Counter()
    cleaned = clean_article(text, PACK, removed)
    assert cleaned["body"].split("\n") == PROSE
    assert cleaned["captions"] == [
        {"text": "Rau xanh bày bán tại chợ Long Biên", "credit": "ĐÌNH HUY"}
    ]
    assert removed["caption_credit_line"] == 2


def test_a_lead_marker_after_the_page_furniture_goes_to_source():
    text = "\n".join(["Kinh tế", "28/11/2024 08:30", f"TPO - {PROSE[0]}", PROSE[1]])
    cleaned = clean_article(text, PACK, Counter())
    assert cleaned["body"].split("\n") == PROSE
    assert cleaned["source"] == "TPO"


# A photo story, as outlets lay them out: a lead, then paragraphs between the photos that end
# without a full stop, and a list of related headlines at the foot.
PHOTO_STORY = [
    "Ảnh",
    "Những cánh đồng bậc thang ở vùng cao phía Bắc đang vào mùa lúa chín vàng rực rỡ.",
    "Từ đầu tháng chín, du khách từ khắp nơi đổ về các bản làng ven sườn núi để ngắm những thửa "
    "ruộng bậc thang uốn lượn, nơi người dân vẫn giữ cách cấy trồng truyền thống của cha ông",
    "Theo người dân địa phương, mỗi năm chỉ có một vụ lúa nên thời điểm lúa chín kéo dài chừng "
    "hai tuần, sau đó cả bản lại cùng nhau gặt hái và phơi thóc ngay trên những con đường đất",
    "Nhiều nhiếp ảnh gia chọn lúc bình minh hoặc hoàng hôn để có được những khung hình đẹp nhất "
    "khi ánh nắng vàng trải đều lên từng thửa ruộng và sương mù còn vương trên các đỉnh núi xa",
    "Tin liên quan",
    "Mùa nước đổ trên những thửa ruộng bậc thang ở Mù Cang Chải",
    "Du khách đổ về vùng cao ngắm hoa tam giác mạch nở rộ",
]


def test_a_photo_story_keeps_its_unpunctuated_paragraphs():
    body, removed = list(PHOTO_STORY), Counter()
    trim_edges(body, PACK, found(), removed)
    assert body == PHOTO_STORY[1:5]
    assert removed["edge_line"] == 4  # the photo label and the related headlines only


def test_long_lowercase_lines_are_prose_and_headlines_are_not():
    assert all(is_prose(line, PACK.edges) for line in PHOTO_STORY[2:5])
    assert not is_prose(PHOTO_STORY[7], PACK.edges)  # a headline, however lowercase
    capitalised = " ".join(["Hội Nghị Toàn Quốc"] * 8)  # long, but not prose
    assert not is_prose(capitalised, PACK.edges)
