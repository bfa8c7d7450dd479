"""The lead between the headline and the article container is read; nothing else there is."""

from vnnews.tasks.ingest.readers import HtmlRules, read_html

LEAD = "Giá lúa tại miền Tây tăng mạnh trong tuần qua nhờ nhu cầu xuất khẩu lớn từ Philippines."
BODY = "Thương lái cho biết lúa thơm được thu mua với giá cao hơn tuần trước khoảng 500 đồng."
CAPTION = "Thu hoạch lúa ở Cần Thơ - Ảnh: HOÀI THƯƠNG"
LATER = (
    "Ý kiến của bạn đọc về giá lúa gạo trong thời gian tới sẽ được tổng hợp gửi cơ quan chức năng."
)


def page(between: str, *, h1: str = "Giá lúa tăng mạnh", inside: str = "") -> str:
    return f"""<html><head><meta property="og:title" content="Giá lúa tăng mạnh"></head><body>
<div class="header"><a>Trang chủ</a> <a>Kinh tế</a></div>
<div class="wrap"><div class="cate"><a>Nông nghiệp</a></div><h1 class="title">{h1}</h1>
{between}
<div class="outer"><div class="detail-content">{inside}<p>{BODY}</p></div></div>
<div class="comments"><p>{LATER}</p></div></div></body></html>"""


def read(html: str):
    (article,) = read_html(html, HtmlRules(content=(".detail-content",)))
    return [" ".join(x.split()) for x in article.lines if x.strip()], article.captions


def test_the_lead_above_the_container_comes_first_and_bylines_there_do_not():
    between = f"""<div class="meta"><div class="author"><a>NGỌC AN</a></div>
<div class="time">25/11/2024 09:45 GMT+7</div></div>
<h2 class="sapo">{LEAD}</h2>
<figure><img src="a.jpg"><figcaption><p>{CAPTION}</p></figcaption></figure>"""
    lines, captions = read(page(between))
    assert lines == [LEAD, BODY]
    assert captions == [{"text": CAPTION, "credit": None}]


def test_a_lead_nested_in_wrappers_is_read_once():
    between = (
        f'<div class="row summary"><div class="col"><p><strong>{LEAD}</strong></p></div></div>'
    )
    assert read(page(between))[0] == [LEAD, BODY]


def test_a_lead_inside_the_container_is_not_read_twice():
    lines, _ = read(page("", inside=f"<h2>{LEAD}</h2>"))
    assert lines == [LEAD, BODY]


def test_without_the_headline_nothing_above_the_container_is_guessed():
    lines, _ = read(page(f"<p>{LEAD}</p>", h1="Trang chủ"))
    assert lines == [BODY]


def test_short_or_unpunctuated_blocks_above_the_container_are_not_a_lead():
    between = (
        "<p>Giá lúa gạo hôm nay tại Đồng bằng sông Cửu Long tăng mạnh nhất trong năm</p>"
        "<p>Xem thêm.</p>"
    )
    assert read(page(between))[0] == [BODY]
