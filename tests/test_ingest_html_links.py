"""Inside the article container: boxes of links to other stories go, and related-story cards
are not taken for the story's container."""

from vnnews.tasks.ingest.readers import HtmlRules, read_html

PARAGRAPHS = [
    "Giá cà phê nhân xô tại Đắk Lắk sáng nay đạt khoảng 128.000 đồng mỗi kg, cao nhất từ trước.",
    "Chuyên gia cho rằng giá tăng do nguồn cung từ Brazil sụt giảm.",
    "Các doanh nghiệp rang xay châu Âu đã quay lại mua hàng sau nhiều tháng chờ đợi.",
]


def lines(page: str) -> list[str]:
    (article,) = read_html(page, HtmlRules())
    return [line.strip() for line in article.lines if line.strip()]


def test_a_box_of_links_inside_the_article_goes_and_a_linked_phrase_stays():
    page = f"""<html><body><article><h1>Cà phê</h1><p>{PARAGRAPHS[0]}</p>
    <div class="box"><h4><a href="/a">Xuất khẩu thép giảm mạnh</a></h4>
    <p>Doanh nghiệp báo lãi</p></div>
    <p>Chuyên gia cho rằng giá tăng do nguồn cung từ <a href="/b">Brazil</a> sụt giảm.</p>
    <p>{PARAGRAPHS[2]}</p></article></body></html>"""
    assert lines(page) == PARAGRAPHS  # the <h1> is the title


def test_related_cards_are_not_the_container():
    cards = "".join(f"<article><a href='/{i}'>Tin khác số {i}</a></article>" for i in range(3))
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    page = f"""<html><body><div class="story"><p>Bước tiếp theo</p>{body}</div>
    <div class="more">{cards}</div></body></html>"""
    assert "Bước tiếp theo" in lines(page)
    assert all(p in lines(page) for p in PARAGRAPHS)


def test_the_site_name_leaves_the_title():
    from vnnews.tasks.ingest.html_title import without_site_name

    assert without_site_name("Giá vàng giảm - VTC News", "https://vtcnews.vn/a", None) == (
        "Giá vàng giảm"
    )
    assert without_site_name("Lũ về | Báo Lao Động", "https://laodong.vn/a", None) == "Lũ về"
    assert without_site_name("Lũ về - Tin nhanh", None, "Tin nhanh") == "Lũ về"
    # A dash inside a headline stays: "Hoài Nhơn" is not the site.
    assert without_site_name("Cao tốc Quảng Ngãi - Hoài Nhơn", "https://tienphong.vn/a", None) == (
        "Cao tốc Quảng Ngãi - Hoài Nhơn"
    )
