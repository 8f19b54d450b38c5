"""Text from the files a secretariat uploads, built in the test run; and every bad file refused with a reason in
both languages."""

import io
import json
import unicodedata
import zipfile

import docx
import pytest

from app.config import get_settings
from app.imports import ImportInputError, extract_text, load_seed_agencies, parse_notice, read_notice
from bench.import_eval import CORPUS, evaluate
from tests.imports.builders import corpus_notice, notice_docx, notice_pdf, scanned_pdf, zip_bomb_docx

AGENCIES = load_seed_agencies()


def expected(name: str) -> dict:
    return json.loads((CORPUS / "dev" / f"{name}.expected.json").read_text(encoding="utf-8"))


def assert_reads_like_the_text(text: str, name: str) -> None:
    score = evaluate(text, expected(name), AGENCIES)
    assert score.matched == score.expected == score.drafted, score.misses
    assert (score.lead, score.coordinators, score.deadline, score.type) == (score.matched,) * 4, score.misses
    assert score.header_right == score.header_fields, score.misses


# ---- DOCX ----

@pytest.mark.parametrize("name", ["tb15_cai_cach_tthc", "tb45_kinh_te_so"])
def test_a_docx_with_word_lists_and_tables_reads_like_its_text(name):
    data = notice_docx(corpus_notice(name))
    text = extract_text(f"{name}.docx", data, None)
    assert_reads_like_the_text(text, name)


def test_word_list_labels_come_out_although_paragraph_text_leaves_them_out():
    data = notice_docx(corpus_notice("tb15_cai_cach_tthc"))
    document = docx.Document(io.BytesIO(data))
    numbered = [p for p in document.paragraphs if p._p.pPr is not None and p._p.pPr.numPr is not None]
    assert numbered and not any(p.text.startswith(("a)", "b)", "-", "+")) for p in numbered)
    text = extract_text("notice.docx", data, None)
    assert "\na) Rà soát, công bố danh mục thủ tục hành chính" in text
    assert "\nb) Thực hiện số hóa hồ sơ" in text
    assert "\n- Chủ trì, phối hợp với Bộ Công an" in text
    drafts = parse_notice(text, AGENCIES).drafts
    assert [d.clause_ref for d in drafts if d.collective_lead][:2] == ["II.3.a", "II.3.b"]


def test_docx_tables_keep_their_place_and_their_columns():
    text = extract_text("notice.docx", notice_docx(corpus_notice("tb15_cai_cach_tthc")), None)
    lines = text.split("\n")
    header = lines.index("STT | Nội dung nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời hạn | Sản phẩm")
    assert lines.index("PHỤ LỤC") < header
    assert lines[header + 1].startswith("1 | Xây dựng Nghị định thay thế Nghị định số 45/2020/NĐ-CP")
    # the header's layout table is read cell by cell, before "THÔNG BÁO"
    assert lines.index("Số: 15/TB-VPCP") < lines.index("THÔNG BÁO")
    drafts = parse_notice(text, AGENCIES).drafts
    table = [d for d in drafts if d.clause_ref and d.clause_ref.startswith("PL.")]
    assert [d.clause_ref for d in table] == ["PL.1", "PL.2", "PL.3", "PL.4"]
    assert table[0].deliverable_description == "Nghị định của Chính phủ"


def test_read_notice_returns_the_text_the_sources_point_into():
    text, parsed = read_notice("notice.docx", notice_docx(corpus_notice("tb45_kinh_te_so")), None, AGENCIES)
    for draft in parsed.drafts:
        assert text[draft.source.start:draft.source.end] == draft.source.text


# ---- PDF ----

@pytest.mark.parametrize("name", ["tb502_phien_hop_thu_tu", "tb210_nghe_an"])
def test_a_text_pdf_reads_like_its_text(name):
    text = extract_text(f"{name}.pdf", notice_pdf(corpus_notice(name)), "application/pdf")
    assert unicodedata.is_normalized("NFC", text)
    assert "Kết luận của Thủ tướng Chính phủ" in text
    assert_reads_like_the_text(text, name)


def test_pdf_lines_are_joined_into_paragraphs():
    text = extract_text("n.pdf", notice_pdf(corpus_notice("tb502_phien_hop_thu_tu")), None)
    assert ("a) Giao Bộ Thông tin và Truyền thông chủ trì, phối hợp với Bộ Tư pháp, Văn phòng Chính phủ xây dựng "
            "Nghị định về quản lý, kết nối và chia sẻ dữ liệu số của cơ quan nhà nước, trình Chính phủ trong tháng "
            "12 năm 2022.") in text.split("\n")


# ---- plain text ----

def windows_1258(text: str) -> bytes:
    """As Windows-1258 stores Vietnamese: letters it has (ă, ơ, ư, đ) precomposed, the tone as a combining mark."""
    out = b""
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            decomposed = unicodedata.normalize("NFD", ch)
            tones = "".join(c for c in decomposed if c in "\u0300\u0301\u0303\u0309\u0323")
            base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in tones))
            out += base.encode("cp1258") + tones.encode("cp1258")
    return out


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1258"])
def test_text_in_the_encodings_offices_save(encoding):
    original = corpus_notice("tb356_y_te_so")
    data = windows_1258(original) if encoding == "cp1258" else original.encode(encoding)
    text = extract_text("notice.txt", data, "text/plain")
    assert text == original


# ---- bad input ----

def refused(filename: str, content: bytes, content_type: str | None = None) -> ImportInputError:
    with pytest.raises(ImportInputError) as raised:
        extract_text(filename, content, content_type)
    error = raised.value
    assert error.message_en and error.message_vi and error.message_vi != error.message_en
    return error


def test_empty_files():
    assert refused("notice.txt", b"").code == "empty"
    assert refused("notice.txt", b" \n\t \n").code == "empty"
    empty_docx = io.BytesIO()
    docx.Document().save(empty_docx)
    assert refused("notice.docx", empty_docx.getvalue()).code == "empty"


def test_a_scanned_pdf_without_a_text_layer():
    error = refused("scan.pdf", scanned_pdf())
    assert error.code == "scanned_pdf"
    assert error.message_vi.startswith("Tệp PDF không có lớp chữ (bản quét")


def test_a_zip_bomb_docx_is_refused_from_its_directory():
    bomb = zip_bomb_docx(60)
    assert len(bomb) < 200 * 1024
    error = refused("bomb.docx", bomb)
    assert error.code == "zip_bomb" and "zip bomb" in error.message_vi


def test_a_highly_compressed_member_under_the_total_limit_is_refused_too():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\0" * (20 * 1024 * 1024))
    assert refused("bomb.docx", buffer.getvalue()).code == "zip_bomb"


def test_corrupted_files():
    good = notice_docx(corpus_notice("tb45_kinh_te_so"))
    assert refused("broken.docx", good[: len(good) // 2]).code == "corrupted"
    assert refused("broken.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage").code == "corrupted"
    not_word = io.BytesIO()
    with zipfile.ZipFile(not_word, "w") as archive:
        archive.writestr("hello.txt", "xin chào")
    assert refused("archive.docx", not_word.getvalue()).code == "unsupported_type"


def test_unsupported_types():
    assert refused("notice.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100).code == "unsupported_type"
    assert refused("photo.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 100).code == "unsupported_type"
    assert refused("data.txt", bytes(range(256)) * 4).code == "unsupported_type"


def test_an_upload_over_the_limit_is_413():
    limit = get_settings().import_max_bytes  # the API's and the page's one limit
    assert limit == 10_000_000
    error = refused("big.txt", b"a" * (limit + 1))
    assert (error.code, error.http_status) == ("too_large", 413)
    assert error.message_vi == "Tệp lớn hơn 10 MB."


def test_a_text_that_is_not_a_notice():
    text = extract_text("recipe.txt", "Phở bò: xương bò, bánh phở, hành, gừng, quế, hồi.".encode(), None)
    with pytest.raises(ImportInputError) as raised:
        parse_notice(text, AGENCIES)
    assert raised.value.code == "not_a_notice" and raised.value.to_dict()["message_vi"]
