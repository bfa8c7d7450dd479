"""Who speaks a quote, for each way Vietnamese news attributes one (spans given, no model)."""

import re

import pytest

from vnnews.tasks.extract.quotes import find_quotes

TITLES = re.compile(r"(?:Bộ trưởng|Thống đốc|ông|bà|anh|chị|Ông|Bà|Anh|Chị)")


def spans(body: str, *names: tuple[str, str]) -> list[tuple]:
    """(start, end, name, type) of each (name, type), at its first place in the body."""
    return [(body.index(n), body.index(n) + len(n), n, t) for n, t in names]


@pytest.mark.parametrize(
    ("body", "names", "speaker"),
    [
        (  # verb before, the subject with an appositive; a person wins over an organisation
            "Ông Trần Thế Cương, Giám đốc Sở Giáo dục Hà Nội, trấn an: “Mọi học sinh có chỗ”.",
            [("Trần Thế Cương", "PER"), ("Sở Giáo dục Hà Nội", "ORG")],
            "Trần Thế Cương",
        ),
        (  # verb after, with an appositive between the name and the verb
            "“Con tôi học trái tuyến”, chị Hoàng Thu Hà, phụ huynh ở Cầu Giấy, chia sẻ.",
            [("Hoàng Thu Hà", "PER")],
            "Hoàng Thu Hà",
        ),
        (  # Theo X, “…”
            "Theo Bộ Công Thương, “giá thế giới giảm mạnh”.",
            [("Bộ Công Thương", "ORG")],
            "Bộ Công Thương",
        ),
        (  # a verb with its object before the quote
            "Ông Phạm Minh Chính yêu cầu các bộ, ngành “không đùn đẩy trách nhiệm”.",
            [("Phạm Minh Chính", "PER")],
            "Phạm Minh Chính",
        ),
        (  # a bare pronoun after the quote: the person last named before it
            "Ông Nguyễn Văn Bình trồng sầu riêng. “Giá năm nay tốt”, ông nói.",
            [("Nguyễn Văn Bình", "PER")],
            "Nguyễn Văn Bình",
        ),
        (  # a bare title before the quote, across a sentence
            "Bộ trưởng Nguyễn Kim Sơn dự hội nghị. Bộ trưởng cho biết: “Không dạy thêm tràn lan”.",
            [("Nguyễn Kim Sơn", "PER")],
            "Nguyễn Kim Sơn",
        ),
        (  # an organisation that speaks
            "Ngân hàng Nhà nước yêu cầu: “Các ngân hàng giảm chi phí”.",
            [("Ngân hàng Nhà nước", "ORG")],
            "Ngân hàng Nhà nước",
        ),
        (  # an indefinite subject names nobody, even with a person named before
            "Ông Lê Văn A đến muộn. “Chúng tôi chỉ biết ngồi chờ”, một hành khách bức xúc.",
            [("Lê Văn A", "PER")],
            None,
        ),
        (  # an unnamed official names nobody either
            "Ông Lê Văn A bay chuyến này. Đại diện hãng giải thích rằng “máy bay hỏng”.",
            [("Lê Văn A", "PER")],
            None,
        ),
        (  # a title in quotes is not speech
            "Ông Lê Văn A dự chương trình “Nông dân giỏi” của tỉnh.",
            [("Lê Văn A", "PER")],
            None,
        ),
    ],
)
def test_the_speaker_is_the_subject_of_the_speech_verb(body, names, speaker):
    (quote,) = find_quotes(body, spans(body, *names), TITLES)
    assert quote.speaker == speaker
    assert body[quote.start : quote.end] == quote.text


def test_each_quote_of_a_paragraph_gets_its_own_speaker():
    body = (
        "Đại biểu Trần Văn Lâm hỏi: “Vì sao lãi suất vẫn cao?”. "
        "Thống đốc Nguyễn Thị Hồng trả lời: “Chính sách có độ trễ”."
    )
    names = spans(body, ("Trần Văn Lâm", "PER"), ("Nguyễn Thị Hồng", "PER"))
    quotes = find_quotes(body, names, TITLES)
    assert [(q.speaker, q.verb) for q in quotes] == [
        ("Trần Văn Lâm", "hỏi"),
        ("Nguyễn Thị Hồng", "trả lời"),
    ]
