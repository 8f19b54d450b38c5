"""The field lines rule: an item with its own "- Cơ quan chủ trì: …", "- Cơ quan phối hợp: …", "- Thời gian thực
hiện: …" lines is one task, whose lead, coordinators and time those lines give."""

from datetime import date

from tests.imports.rule_state import read

PLAN = """II. NHIỆM VỤ CỤ THỂ
1. Chuyển đổi số trong giáo dục
a) Triển khai học bạ số cho toàn bộ học sinh tiểu học và trung học cơ sở trên địa bàn.
- Cơ quan chủ trì: Sở Giáo dục và Đào tạo.
- Cơ quan phối hợp: Sở Khoa học và Công nghệ, Viễn thông tỉnh, các trường học.
- Thời gian thực hiện: Quý III/2025.
b) Số hóa sổ gốc cấp văn bằng, chứng chỉ từ năm 2000 đến nay.
- Đơn vị chủ trì: Các sở, ban, ngành; Ủy ban nhân dân các huyện.
- Thời gian thực hiện: Hằng năm.
c) Trung tâm Lưu trữ lịch sử tỉnh chủ trì, phối hợp với Sở Nội vụ chỉnh lý tài liệu giấy tồn đọng.
Thời gian thực hiện: Tháng 11/2025.
"""


def test_the_lines_under_an_item_give_its_lead_coordinators_and_time():
    state = read(PLAN)
    first = state.drafts[0]
    assert first.title == "Triển khai học bạ số cho toàn bộ học sinh tiểu học và trung học cơ sở trên địa bàn"
    assert first.unknown_lead == "Sở Giáo dục và Đào tạo"
    assert first.unknown_agencies[1:] == ["Sở Khoa học và Công nghệ", "Viễn thông tỉnh"]  # "các trường học": nobody
    assert first.deadline_on == date(2025, 9, 30)
    assert "Thời gian thực hiện: Quý III/2025." in first.source.text


def test_a_collective_lead_line_with_a_semicolon_is_one_collective_task_and_a_cadence_is_its_time():
    second = read(PLAN).drafts[1]
    assert second.collective_lead and second.title.startswith("Số hóa sổ gốc")
    assert second.deadline_on is None and "standing_task" in second.flags
    assert len([d for d in read(PLAN).drafts if d.title.startswith("Số hóa sổ gốc")]) == 1


def test_an_item_that_names_its_lead_in_prose_takes_the_time_line_below_it():
    third = read(PLAN).drafts[2]
    assert third.unknown_lead == "Trung tâm Lưu trữ lịch sử tỉnh"
    assert third.deadline_on == date(2025, 11, 30)


def test_the_field_lines_are_no_drafts_of_their_own_and_each_piece_belongs_to_its_task():
    state = read(PLAN)
    assert len(state.drafts) == 3
    assert not any(d.title.startswith(("Cơ quan", "Đơn vị", "Thời gian")) for d in state.drafts)
    for g in state.segments:
        if g.text.startswith(("- Cơ quan", "- Đơn vị", "- Thời gian", "Thời gian")):
            assert g.fate == "task", g.text


def test_a_youth_union_of_a_province_is_an_organisation_not_the_province():
    (draft,) = read("1. Tỉnh đoàn Hòa Bình chủ trì tổ chức chiến dịch tình nguyện hè, hoàn thành trong tháng "
                    "8/2025.").drafts
    assert draft.unknown_lead == "Tỉnh đoàn Hòa Bình" and draft.lead is None


def test_one_time_line_before_the_plans_next_part_times_the_item_above():
    state = read("Phần thứ hai\nNHIỆM VỤ CỤ THỂ\n"
                 "I. Sở Nội vụ\n"
                 "1. Rà soát, sắp xếp vị trí việc làm của các cơ quan hành chính cấp tỉnh.\n"
                 "- Thời gian thực hiện: Thường xuyên.\n\n"
                 "Phần thứ ba\nTỔ CHỨC THỰC HIỆN\n"
                 "1. Sở Tài chính tổng hợp, báo cáo kết quả trước ngày 15/12/2025.\n")
    assert [(d.unknown_lead, d.title[:20]) for d in state.drafts] == [
        ("Sở Nội vụ", "Rà soát, sắp xếp vị "), ("Sở Tài chính", "Tổng hợp, báo cáo kế")]
    assert state.drafts[0].deadline_text == "thường xuyên"


def test_a_work_written_under_its_heading_takes_the_lines_below_and_unit_names_keep_their_commas():
    state = read("II. NỘI DUNG THỰC HIỆN\n"
                 "1. Rà soát thủ tục hành chính\n"
                 "Rà soát các thủ tục hành chính về đất đai, xây dựng để đề xuất cắt giảm.\n"
                 "Cơ quan chủ trì: Phòng Kinh tế, hạ tầng và đô thị; Sở Xây dựng (đối với thủ tục cấp phép).\n"
                 "Cơ quan phối hợp: Trung tâm Phục vụ hành chính công, một cửa; Sở Nội vụ các tỉnh, thành phố.\n"
                 "Thời gian trình Chủ tịch: Tháng 9/2025.\n")
    first, second = state.drafts
    assert first.title.startswith("Rà soát các thủ tục hành chính về đất đai")
    assert [first.unknown_lead, second.unknown_lead] == ["Phòng Kinh tế, hạ tầng và đô thị", "Sở Xây dựng"]
    # "Sở Nội vụ các tỉnh, thành phố": the department of every province, no one body to list.
    assert first.unknown_agencies[1:] == ["Trung tâm Phục vụ hành chính công, một cửa"]
    assert first.deadline_on == second.deadline_on == date(2025, 9, 30)
    assert not [g for g in state.segments if g.fate == "unread"]
