"""The tables rule: a header row, then one draft per row with its lead, coordinators, deadline and product."""

from datetime import date

from app.imports import deliverables
from app.imports.parser import RULES
from app.imports.rules import tables
from tests.imports.rule_state import read, state_after

TABLE = """Danh mục nhiệm vụ:
STT | Nội dung công việc | Cơ quan chủ trì | Cơ quan phối hợp | Thời hạn | Sản phẩm
1 | Số hóa hồ sơ đất đai | Bộ Tài nguyên và Môi trường | Bộ Tư pháp | tháng 10/2025 | cơ sở dữ liệu đất đai
2 | Tập huấn cán bộ | Bộ Nội vụ | | hằng năm | báo cáo kết quả
"""


def test_each_row_is_a_draft_with_its_columns():
    state = read(TABLE)
    first, second = state.drafts
    assert (first.title, first.lead.name, [a.name for a in first.coordinating]) == (
        "Số hóa hồ sơ đất đai", "Bộ Tài nguyên và Môi trường", ["Bộ Tư pháp"])
    assert first.deadline_on == date(2025, 10, 31) and first.deliverable_type == deliverables.HE_THONG
    assert first.clause_ref.endswith(".1")
    assert second.deadline_text == "hằng năm" and "standing_task" in second.flags
    assert second.deliverable_type == deliverables.BAO_CAO


def test_columns_are_told_by_their_header_words():
    assert tables.columns(["tt", "ten nhiem vu", "don vi chu tri", "tien do"]) == {
        "number": 0, "work": 1, "lead": 2, "deadline": 3}


def test_an_empty_lead_cell_of_a_word_table_continues_the_lead_above():
    # Pasted from Word with tabs; the lead cell of row 2 was merged with row 1's.
    state = read("STT\tNội dung nhiệm vụ\tCơ quan chủ trì\tThời hạn\n"
                 "1\tSố hóa hồ sơ địa chính\tBộ Nông nghiệp và Môi trường\tQuý IV/2025\n"
                 "2\tCập nhật bản đồ đất lúa\t\t30/11/2025\n")
    assert [(d.title, d.lead.name, d.deadline_on.isoformat()) for d in state.drafts] == [
        ("Số hóa hồ sơ địa chính", "Bộ Nông nghiệp và Môi trường", "2025-12-31"),
        ("Cập nhật bản đồ đất lúa", "Bộ Nông nghiệp và Môi trường", "2025-11-30")]


def test_a_line_of_only_a_coordinator_cell_continues_the_row_above():
    # A cell that wrapped in Word comes out as a line of tabs with the rest of that one cell.
    state = read("STT\tNội dung nhiệm vụ\tCơ quan chủ trì\tCơ quan phối hợp\tThời hạn\n"
                 "1\tChuẩn hóa dữ liệu hộ tịch điện tử\tBộ Tư pháp\tBộ Công an,\tQuý III/2026\n"
                 "\t\t\tBộ Ngoại giao\t\n"
                 "2\tCông bố thủ tục liên thông khai sinh\tBộ Tư pháp\t\tTháng 8/2026\n")
    first, second = state.drafts
    assert [a.name for a in first.coordinating] == ["Bộ Công an", "Bộ Ngoại giao"]
    assert "Bộ Ngoại giao" in first.source.text and second.coordinating == []
    continuation = next(g for g in state.segments if g.text.strip() == "Bộ Ngoại giao")
    assert continuation.fate == "task" and continuation.drafts == [1]


def test_a_word_cell_of_two_paragraphs_keeps_its_row_whole():
    # Word pastes a cell that holds two paragraphs as two lines: the first line has fewer cells than the header.
    state = read("STT\tNhiệm vụ\tKết quả\tThời hạn\tCơ quan chủ trì\tCơ quan phối hợp\n"
                 "1\tLắp đặt trạm quan trắc mặn tự động.\n"
                 "Ưu tiên các cửa sông lớn\tHệ thống\tQuý II/2025\tBộ Nông nghiệp và Môi trường\t\n"
                 "2\tRà soát quy hoạch thủy lợi vùng ven biển\tBáo cáo\tNăm 2025\tBộ Xây dựng\tBộ Tài chính\n"
                 "Bộ Công an\n"
                 "3\tDiễn tập ứng phó triều cường\tBáo cáo\tQuý IV/2025\tBộ Quốc phòng\tBộ Y tế\n")
    first, second, third = state.drafts
    assert first.title.startswith("Lắp đặt trạm quan trắc mặn tự động") and "cửa sông lớn" in first.title
    assert (first.lead.name, first.deadline_on, first.coordinating) == (
        "Bộ Nông nghiệp và Môi trường", date(2025, 6, 30), [])
    # The coordinator cell of row 2 went on to a line of its own.
    assert [a.name for a in second.coordinating] == ["Bộ Tài chính", "Bộ Công an"]
    assert third.lead.name == "Bộ Quốc phòng"


STATUS_TABLE = """TT\tNhiệm vụ\tThời hạn\tĐơn vị thực hiện\tGhi chú
1\tSố hóa hồ sơ địa chính\tTháng 01/2025\tSở Nông nghiệp và Môi trường\tĐã hoàn thành (Báo cáo số 12/BC-SNN)
2\tCông bố thủ tục hành chính liên thông\tTháng 01/2025\tSở Tư pháp\tQuá hạn
3\tCải tạo trụ sở một cửa\tQuý IV/2025\tSở Xây dựng\tĐang thực hiện
4\tKết nối phần mềm hộ tịch\tTháng 01/2025\tSở Tư pháp\tQuá hạn; đăng ký hoàn thành trong tháng 6/2025
Các cơ quan có nhiệm vụ quá hạn nêu tại bảng trên khẩn trương hoàn thành trước ngày 30/4/2025.
"""


def test_a_row_the_table_says_is_done_is_no_task_and_says_why():
    state = read(STATUS_TABLE)
    titles = [d.title for d in state.drafts]
    assert "Số hóa hồ sơ địa chính" not in titles and len(titles) == 3
    done = next(g for g in state.segments if g.text.startswith("1\t"))
    assert (done.fate, done.reason) == ("not_task", "done")


def test_an_overdue_row_takes_the_time_the_notice_gives_it_or_its_own_note():
    state = read(STATUS_TABLE)
    by_title = {d.title: d for d in state.drafts}
    overdue = by_title["Công bố thủ tục hành chính liên thông"]
    assert overdue.deadline_on == date(2025, 4, 30) and "deadline_from_notice_body" in overdue.flags
    assert by_title["Kết nối phần mềm hộ tịch"].deadline_on == date(2025, 6, 30)
    assert by_title["Cải tạo trụ sở một cửa"].deadline_on == date(2025, 12, 31)
    # The sentence that sends the officer back to the table is no task of its own.
    assert not any("quá hạn nêu tại bảng" in t for t in by_title)


def test_an_investors_column_leads_and_an_empty_time_cell_continues_the_one_above():
    state = read("STT\tTên công trình\tChủ đầu tư\tThời hạn hoàn thành\n"
                 "1\tKè chống sạt lở bờ sông Lam\tBan Quản lý dự án tỉnh\tQuý III/2025\n"
                 "2\tNâng cấp đê tả Lam\t\t\n")
    first, second = state.drafts
    assert second.unknown_lead == "Ban Quản lý dự án tỉnh" and second.deadline_on == date(2025, 9, 30)
    assert "deadline_from_row_above" in second.flags and "deadline_from_row_above" not in first.flags


def test_a_table_with_no_number_column_whose_cells_run_over_lines():
    state = read("Nội dung\tCơ quan chủ trì\tCơ quan phối hợp\tThời gian\n"
                 "1. Thể chế\n"
                 "Ban hành quy chế phối hợp liên ngành\tSở Y tế\tSở Tư pháp\n"
                 "Sở Nội vụ\tQuý II/2025\n"
                 "Tổ chức khám sức khỏe cho học sinh\n"
                 "Ưu tiên vùng cao\tSở Giáo dục và Đào tạo\tSở Y tế\tTháng 5/2025\n"
                 "(trường học ở các xã biên giới)\n"
                 "Tập huấn giáo viên\tSở Giáo dục và Đào tạo\t\tQuý III/2025\n")
    first, second, third = state.drafts
    assert first.unknown_lead == "Sở Y tế" and first.unknown_agencies[1:] == ["Sở Tư pháp", "Sở Nội vụ"]
    assert first.deadline_on == date(2025, 6, 30)
    assert second.title.startswith("Tổ chức khám sức khỏe cho học sinh") and "Ưu tiên vùng cao" in second.title
    assert "xã biên giới" in second.source.text and second.deadline_on == date(2025, 5, 31)
    assert third.title == "Tập huấn giáo viên"


PORTAL_PAGE = """Trang chủ » Văn bản » Chỉ đạo điều hành
Sở Nội vụ ban hành Kế hoạch cải cách hành chính năm 2025
Cập nhật: 20/11/2025 08:30 | Lượt xem: 512
In trang | Gửi email

SỞ NỘI VỤ TỈNH MẪU
Số: 88/KH-SNV
Thị trấn Mẫu, ngày 20 tháng 11 năm 2025

KẾ HOẠCH
Cải cách hành chính năm 2025

Sở Nội vụ ban hành Kế hoạch như sau:
I. NHIỆM VỤ
Nhiệm vụ cụ thể, đơn vị chủ trì, đơn vị phối hợp và thời hạn tại bảng dưới đây:
STT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời hạn
1 | Rà soát quy trình nội bộ giải quyết thủ tục hành chính | Phòng Cải cách hành chính | Văn phòng Sở | Tháng 12/2025
2 | Tổ chức tập huấn kỹ năng số cho công chức,
kết hợp trực tiếp và trực tuyến | Phòng Tổ chức cán bộ | Văn phòng Sở | Quý I/2026
Sở Nội vụ đề nghị các đơn vị triển khai thực hiện./.
Nơi nhận:
- Lưu: VT.
"""


def test_a_portal_pages_text_before_the_document_and_a_wrapped_cell_of_a_pipe_table():
    state = state_after(PORTAL_PAGE, RULES[-1])
    assert [(d.unknown_lead, d.title) for d in state.drafts] == [
        ("Phòng Cải cách hành chính", "Rà soát quy trình nội bộ giải quyết thủ tục hành chính"),
        ("Phòng Tổ chức cán bộ", "Tổ chức tập huấn kỹ năng số cho công chức, kết hợp trực tiếp và trực tuyến")]
    assert state.drafts[1].deadline_on.isoformat() == "2026-03-31"


def test_a_ministry_in_the_cell_after_a_name_ending_in_viet_nam():
    (draft,) = read("DANH MỤC NHIỆM VỤ\nTT\tNhiệm vụ\tCơ quan chủ trì\tCơ quan phối hợp\tThời hạn\n"
                    "1\tLiên thông dữ liệu khám chữa bệnh\tBảo hiểm xã hội Việt Nam\tBộ Y tế\tQuý IV/2025\n").drafts
    assert [a.name for a in draft.coordinating] == ["Bộ Y tế"] and draft.unknown_agencies == []
