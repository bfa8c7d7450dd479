from vnnews.tasks.ingest.jsonl import read_jsonl
from vnnews.tasks.ingest.readers import HtmlRules, read_html

PAGE = """<html><head><title>T - Báo</title><meta property="og:title" content="Tiêu đề bài">
<meta name="author" content="Lan Hương"></head><body><nav>Trang chủ Thời sự</nav>
<article><h1>Tiêu đề bài</h1><p>Đoạn <b>một</b> có <a href="#">liên kết</a>.</p>
<script>alert(1)</script><div class="share">Chia sẻ</div><p>Đoạn hai<br>dòng ba</p>
<figure><img src="x.jpg"><figcaption>Chú thích ảnh. Ảnh: TTXVN</figcaption></figure></article>
<footer>© Báo</footer></body></html>"""


def test_html_reader_keeps_article_blocks_and_metadata():
    (article,) = read_html(PAGE, HtmlRules(drop=("script", "nav", "footer", ".share")))
    lines = [line.strip() for line in article.lines if line.strip()]
    assert article.title == "Tiêu đề bài"
    assert article.author == "Lan Hương"
    assert lines == ["Đoạn một có liên kết.", "Đoạn hai", "dòng ba"]
    assert article.captions == [{"text": "Chú thích ảnh. Ảnh: TTXVN", "credit": None}]


def test_jsonl_reader_reports_bad_lines_and_reads_the_rest():
    text = (
        '{"title": "A", "body": "x\\ny", "url": "http://a"}\n\n[1]\n{"title": "B"}\n'
        '{bad\n{"title": "C", "text": "z"}\n'
    )
    items = list(read_jsonl(text, HtmlRules()))
    good = [i for i in items if hasattr(i, "title")]
    bad = {i.locator: i.reason for i in items if not hasattr(i, "title")}
    assert [(a.title, a.lines, a.locator) for a in good] == [
        ("A", ["x", "y"], "L1"),
        ("C", ["z"], "L6"),
    ]
    assert good[0].url == "http://a"
    assert bad == {"L3": "bad_json", "L4": "missing_body", "L5": "bad_json"}
