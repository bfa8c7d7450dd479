"""Decode article bytes: UTF-8 (BOM or not), UTF-16, Windows-1258, and recognise TCVN3/VNI.

Order: byte-order marks, strict UTF-8, BOM-less UTF-16 (many NUL bytes), then single-byte
candidates judged by a Vietnamese-aware check (do the non-ASCII words use the Vietnamese
alphabet?). TCVN3 and VNI text read as Windows-1258 fails that check; such files are refused
with `legacy_encoding` rather than published as mojibake.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from charset_normalizer import from_bytes

from vnnews.tasks.text.orthography import letter_validity

BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
MIN_VALIDITY = 0.9
# Characters no text file holds: C0/C1 controls (tab and line breaks aside), U+FFFD and private
# use. Random or binary bytes that some codec happens to accept are full of them.
NOT_TEXT = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffd\ue000-\uf8ff]")
MAX_NOT_TEXT = 0.02


class DecodeError(ValueError):
    def __init__(self, reason: str, detail: str):
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str


def _utf16_without_bom(data: bytes) -> str | None:
    if len(data) < 4 or len(data) % 2 or data.count(0) < len(data) // 4:
        return None
    even_nuls = data[0::2].count(0)
    odd_nuls = data[1::2].count(0)
    return "utf-16-be" if even_nuls > odd_nuls else "utf-16-le"


def _damaged_utf8(data: bytes) -> bool:
    """Mostly well-formed UTF-8 with a few bad bytes: a cut or corrupted UTF-8 file.

    Read as Windows-1258 such a file would pass as text (mojibake like "Viá»‡t"), so it is
    caught before the single-byte candidates are tried.
    """
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = sum(1 for c in text if ord(c) > 0x7F) - bad
    return good >= 3 and good >= 10 * bad


def decode(data: bytes) -> Decoded:
    """Text and the encoding it was read with; DecodeError(reason, detail) when it cannot be
    (binary data that some codec accepts included)."""
    decoded = _decode(data)
    sample = decoded.text[:65536]
    if sample and (share := len(NOT_TEXT.findall(sample)) / len(sample)) > MAX_NOT_TEXT:
        detail = f"{share:.0%} of the characters are control codes: binary data, not text"
        raise DecodeError("undecodable", detail)
    return decoded


def decode_declared(data: bytes, content_type: str) -> Decoded:
    """Bytes an HTTP server sent: in the charset its Content-Type declares when the bytes agree
    with it, else as decode() reads them (servers often declare wrong)."""
    for param in content_type.partition(";")[2].split(";"):
        name, _, value = param.strip().partition("=")
        if name.lower() == "charset" and value:
            try:
                charset = codecs.lookup(value.strip("\"' ")).name
                return Decoded(data.decode(charset), charset)
            except (LookupError, UnicodeDecodeError):
                break
    return decode(data)


def _decode(data: bytes) -> Decoded:
    for bom, name in BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data.decode(name), name)
            except UnicodeDecodeError as exc:
                raise DecodeError("undecodable", f"invalid {name} at byte {exc.start}") from exc
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    if _damaged_utf8(data):
        detail = f"invalid UTF-8 at byte {utf8_error.start} (truncated or damaged); re-export it"
        raise DecodeError("undecodable", detail)
    if name := _utf16_without_bom(data):
        try:
            return Decoded(data.decode(name), name)
        except UnicodeDecodeError:
            pass
    candidates = ["cp1258"]
    if (guess := from_bytes(data[:65536]).best()) is not None and guess.encoding not in candidates:
        candidates.append(guess.encoding)
    scored = []
    for name in candidates:
        try:
            text = data.decode(name)
        except (UnicodeDecodeError, LookupError):
            continue
        scored.append((letter_validity(text), name, text))
    if scored:
        validity, name, text = max(scored)
        if validity >= MIN_VALIDITY:
            return Decoded(text, name)
        if name == "cp1258" or validity < 0.5:
            detail = (
                "bytes look like a legacy Vietnamese font encoding (TCVN3/ABC or VNI); convert "
                "the file to UTF-8 (e.g. with UniKey's converter) and ingest it again"
            )
            raise DecodeError("legacy_encoding", detail)
    detail = (
        f"invalid UTF-8 at byte {utf8_error.start} and no other encoding fits; re-save as UTF-8"
    )
    raise DecodeError("undecodable", detail)
