"""Every encoding and normal form of one article gives one doc_id and one body."""

import codecs
import unicodedata

import pytest

from benchmarks.corpus import cp1258
from tests.conftest import write
from vnnews.tasks.clean.clean import clean
from vnnews.tasks.ingest.encoding import DecodeError, decode
from vnnews.tasks.ingest.ingest import discover, ingest

ARTICLE = (
    "Thủ tướng chủ trì hội nghị về hòa bình và phát triển bền vững\n"
    "Chia sẻ\n"
    "Sáng nay, Thủ tướng chủ trì hội nghị trực tuyến với các bộ, ngành và địa phương về "
    "chăm sóc sức khỏe nhân dân, bảo đảm hòa bình, ổn định và phát triển bền vững.\n"
    "Hội nghị thống nhất nhiều giải pháp thúc đẩy tăng trưởng kinh tế trong quý cuối năm.\n"
)


def new_style(text: str) -> str:
    return text.replace("hòa", "hoà").replace("khỏe", "khoẻ")


VARIANTS = {
    "utf8.txt": ARTICLE.encode("utf-8"),
    "bom.txt": codecs.BOM_UTF8 + ARTICLE.encode("utf-8"),
    "utf16.txt": ARTICLE.encode("utf-16"),
    "utf16le.txt": ARTICLE.encode("utf-16-le"),
    "utf16be.txt": ARTICLE.encode("utf-16-be"),
    "cp1258.txt": cp1258(ARTICLE),
    "nfd.txt": unicodedata.normalize("NFD", ARTICLE).encode("utf-8"),
    "newstyle.txt": new_style(ARTICLE).encode("utf-8"),
    "crlf.txt": ARTICLE.replace("\n", "\r\n").encode("utf-8"),
}


def test_every_variant_gives_one_doc_id_and_one_body(tmp_path, rule_pack):
    for name, data in VARIANTS.items():
        write(tmp_path / name, data)
    raw, rejects = ingest(discover([tmp_path]))
    assert rejects.num_rows == 0, rejects.to_pylist()
    assert raw.num_rows == len(VARIANTS)
    docs, _ = clean(raw, rule_pack)
    assert len(set(docs["doc_id"].to_pylist())) == 1
    assert len(set(docs["body"].to_pylist())) == 1
    assert len(set(docs["title"].to_pylist())) == 1
    assert "hòa bình" in docs["body"][0].as_py()
    encodings = dict(zip(raw["source_uri"].to_pylist(), raw["encoding"].to_pylist(), strict=True))
    assert encodings[(tmp_path / "cp1258.txt").as_uri()] == "cp1258"


@pytest.mark.parametrize(
    "mojibake",
    [
        "Thuû töôùng Nguyeãn Xuaân Phuùc ñieän ñaøm vôùi Thuû töôùng Trung Quoác",  # VNI
        "Thñ t\xadíng NguyÔn Xu©n Phóc ®iÖn ®µm víi Thñ t\xadíng Trung Quèc",  # TCVN3
    ],
)
def test_legacy_font_encodings_are_refused_with_a_reason(mojibake):
    with pytest.raises(DecodeError) as caught:
        decode(mojibake.encode("cp1252"))
    assert caught.value.reason == "legacy_encoding"
    assert "UTF-8" in caught.value.detail


def test_binary_is_undecodable():
    with pytest.raises(DecodeError) as caught:
        decode(bytes(range(256)) * 8)
    assert caught.value.reason == "undecodable"
