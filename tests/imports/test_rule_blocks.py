"""The blocks rule: lines into paragraphs, and each paragraph's label."""

from app.imports.rules import blocks
from tests.imports.rule_state import state_after


def texts(text: str) -> list[str]:
    state = state_after(text, blocks.read)
    return [state.original(p.start, p.end) for p in state.paras]


def test_a_line_starting_in_lower_case_goes_on_the_paragraph_before():
    assert texts("1. Sở Y tế rà soát danh mục thuốc\nthiết yếu của tỉnh.\n2. Xong.") == [
        "1. Sở Y tế rà soát danh mục thuốc\nthiết yếu của tỉnh.", "2. Xong."]


def test_a_labelled_line_and_a_blank_line_start_new_paragraphs():
    assert texts("Mở đầu\n\nđoạn sau\n- mục một,\n- mục hai") == ["Mở đầu", "đoạn sau", "- mục một,", "- mục hai"]


def test_inside_a_paragraph_a_line_break_reads_as_a_space():
    state = state_after("Giao Sở Tài chính chủ\ntrì thẩm định.", blocks.read)
    assert "chu tri" in state.s and len(state.s) == len(state.text)


def test_labels_by_kind():
    state = state_after("II. Phần hai\n3.1. Mục\nb) Điểm\n– Gạch\n(4) Số", blocks.read)
    kinds = [blocks.label_at(state, p.start)[:2] for p in state.paras]
    assert kinds == [("roman", "II"), ("multi1", "3.1"), ("lower", "b"), ("bullet-", "–"), ("pnum", "4")]


def test_a_table_row_is_told_by_its_separators():
    assert blocks.is_row("1 | Lập kế hoạch | Sở Nội vụ")
    assert not blocks.is_row("Sở Nội vụ | lập kế hoạch")


def test_a_pdfs_page_numbers_inside_a_paragraph_are_no_part_of_it():
    from app.imports import parse_notice
    from tests.imports.rule_state import AGENCIES
    line = "Sở Nội vụ chủ trì, phối hợp với Sở Tài chính rà soát, sắp xếp đội ngũ công chức cấp xã theo vị"
    parsed = parse_notice("""ỦY BAN NHÂN DÂN TỈNH MẪU
Số: 77/TB-UBND
Thị trấn Mẫu, ngày 03 tháng 02 năm 2025
THÔNG BÁO
Kết luận của Chủ tịch tại cuộc họp về tổ chức bộ máy cấp xã trên địa bàn tỉnh năm 2025
Chủ tịch Ủy ban nhân dân tỉnh kết luận như sau: tiếp tục rà soát tổ chức bộ máy, bảo đảm tinh gọn hiệu
quả, phục vụ người dân tốt hơn trong giai đoạn mới của tỉnh và các địa phương trong cả nước hiện nay.
1. """ + line + """
Trang 2/3
trí việc làm, hoàn thành trong quý II/2025.
2. Sở Tài chính bố trí kinh phí đào tạo công chức cấp xã năm 2025, hoàn thành trước ngày 31/3/2025.
Ủy ban nhân dân tỉnh thông báo để các cơ quan biết, thực hiện./.
Nơi nhận:
- Lưu: VT.
""", AGENCIES)
    first = parsed.drafts[0]
    assert "Trang" not in first.title and first.title.endswith("theo vị trí việc làm")
    assert first.deadline_on.isoformat() == "2025-06-30"  # "2/3" is a page, no date


def test_a_pdfs_page_footer_and_running_header_between_two_lines_of_one_item():
    got = texts("1. Sở Xây dựng lắp đặt trạm xử lý nước tại các xã\n"
                "Trang 2/4\n"
                "UBND TỈNH MẪU – Chỉ thị số 07/CT-UBND\n"
                "ven biển, hoàn thành trong tháng 3/2025.\n"
                "2. Sở Y tế kiểm tra chất lượng nước.\n"
                "Trang 3/4\n"
                "UBND TỈNH MẪU – Chỉ thị số 07/CT-UBND\n"
                "3. Sở Tài chính bố trí kinh phí.\n")
    assert [" ".join(t.split()) for t in got] == [
        "1. Sở Xây dựng lắp đặt trạm xử lý nước tại các xã ven biển, hoàn thành trong tháng 3/2025.",
        "2. Sở Y tế kiểm tra chất lượng nước.", "3. Sở Tài chính bố trí kinh phí."]


def test_items_numbered_in_lower_roman():
    state = state_after("i) Lập kế hoạch;\nii) Tổ chức thực hiện;\niv) Báo cáo.", blocks.read)
    assert [blocks.label_at(state, p.start)[:2] for p in state.paras] == [
        ("lroman", "i"), ("lroman", "ii"), ("lroman", "iv")]
