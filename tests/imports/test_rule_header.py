"""The header rule: number, dates, issuer, title and meeting, and where the body begins."""

from datetime import date

from app import messages
from app.imports.rules import header
from tests.imports.rule_state import HEAD, TAIL, state_after


def test_the_header_of_a_provincial_notice():
    state = state_after(HEAD + "1. Sở Xây dựng lập quy hoạch.\n" + TAIL, header.read)
    info = state.info
    assert info.number == "77/TB-UBND"
    assert info.issued_on == date(2025, 2, 3)
    assert info.meeting_date == date(2025, 1, 28)
    assert info.title == "Ý kiến kết luận của Chủ tịch tại buổi làm việc về hạ tầng số"
    assert info.meeting_name == "Buổi làm việc về hạ tầng số"
    assert state.s[state.paras[state.body].start:].startswith("1. so xay dung")
    assert state.warnings == []


def test_a_header_without_number_or_conclusion_line_is_warned_about():
    text = "THÔNG BÁO\nVề việc kiểm tra\n\nSở Y tế kiểm tra các trạm y tế xã trước ngày 30/6/2025.\n"
    state = state_after(text, header.read)
    assert state.info.number is None
    assert messages.IMPORT_WARNINGS["no_number"] in state.warnings
    assert messages.IMPORT_WARNINGS["no_body_start"] in state.warnings


def test_an_impossible_issue_date_is_left_out_with_a_warning():
    state = state_after(HEAD.replace("năm 2025\n", "năm 1901\n", 1) + "1. Việc.\n" + TAIL, header.read)
    assert state.info.issued_on is None
    assert any(w.startswith("Đã bỏ qua ngày ban hành đọc được (03/02/1901)") for w in state.warnings)


def test_an_impossible_meeting_date_is_left_out_too():
    state = state_after(HEAD.replace("năm 2025,", "năm 1901,", 1) + "1. Việc.\n" + TAIL, header.read)
    assert state.info.meeting_date is None and state.info.issued_on == date(2025, 2, 3)
    assert any(w.startswith("Đã bỏ qua ngày họp đọc được (28/01/1901)") for w in state.warnings)


def test_a_letters_addressees_are_no_part_of_its_body():
    from app.imports import parse_notice
    from tests.imports.rule_state import AGENCIES
    parsed = parse_notice("""SỞ TÀI CHÍNH
Số: 77/STC-NS
V/v đôn đốc quyết toán vốn
Thị trấn Mẫu, ngày 03 tháng 02 năm 2025
Kính gửi:
- Sở Y tế;
- Ủy ban nhân dân các huyện.
Sở Tài chính đã rà soát tình hình quyết toán vốn đầu tư công năm 2024.
1. Sở Y tế hoàn thành quyết toán dự án bệnh viện đa khoa trước ngày 31/3/2025.
Sở Tài chính trân trọng đề nghị Quý cơ quan quan tâm, phối hợp thực hiện./.
Nơi nhận:
- Lưu: VT.
""", AGENCIES)
    assert [(d.unknown_lead, d.title) for d in parsed.drafts] == [
        ("Sở Y tế", "Hoàn thành quyết toán dự án bệnh viện đa khoa")]
    closing = next(g for g in parsed.segments if g.text.startswith("Sở Tài chính trân trọng"))
    assert (closing.fate, closing.reason) == ("not_task", "closing")


def test_an_issuer_introducing_its_own_plan_is_no_lead_of_what_follows():
    from app.imports import parse_notice
    from tests.imports.rule_state import AGENCIES
    parsed = parse_notice("""BỘ NỘI VỤ
Số: 12/KH-BNV
Hà Nội, ngày 03 tháng 02 năm 2025
KẾ HOẠCH
Triển khai thi hành Luật Cán bộ, công chức
Căn cứ Luật Cán bộ, công chức;
Bộ Nội vụ ban hành Kế hoạch triển khai thi hành Luật Cán bộ, công chức như sau:
I. MỤC ĐÍCH, YÊU CẦU
1. Mục đích
Bảo đảm thi hành thống nhất Luật trong các cơ quan nhà nước.
II. NHIỆM VỤ
1. Vụ Công chức - Viên chức chủ trì xây dựng Thông tư hướng dẫn tuyển dụng, hoàn thành trong quý II/2025.
Nơi nhận:
- Lưu: VT.
""", AGENCIES)
    assert [(d.unknown_lead, d.deliverable_type) for d in parsed.drafts] == [("Vụ Công chức - Viên chức", "Thông tư")]


def test_a_party_bodys_number_written_without_a_colon():
    from app.imports import parse_notice
    from tests.imports.rule_state import AGENCIES
    parsed = parse_notice("BAN CHỈ ĐẠO\nSố 27-TB/BCĐ\nMẫu Sơn, ngày 17 tháng 11 năm 2025\nTHÔNG BÁO\n"
                          "Kết luận của Trưởng Ban Chỉ đạo\nTrưởng Ban Chỉ đạo kết luận như sau:\n"
                          "1. Sở Nội vụ tổng hợp kết quả trước ngày 15/12/2025.\n", AGENCIES)
    assert parsed.to_dict()["directive"]["number"] == "27-TB/BCĐ"
