"""The drafts rule: a draft's title, objective, expected result and flags."""

from tests.imports.rule_state import read


def test_the_title_leaves_out_a_trailing_coordinator_and_the_deadline():
    text = "Giao Sở Y tế nâng cấp bệnh án điện tử, phối hợp với Bộ Y tế, hoàn thành trong tháng 9/2025."
    (draft,) = read(text).drafts
    assert draft.title == "Nâng cấp bệnh án điện tử"
    assert [a.name for a in draft.coordinating] == ["Bộ Y tế"]


def test_objective_and_result_come_from_their_phrases():
    (draft,) = read("Sở Giáo dục mở lớp kỹ năng số cho giáo viên nhằm nâng cao chất lượng giảng dạy trực tuyến, "
                    "phấn đấu đạt 90% giáo viên được tập huấn.").drafts
    assert draft.objective == "nhằm nâng cao chất lượng giảng dạy trực tuyến"
    assert draft.expected_result == "phấn đấu đạt 90% giáo viên được tập huấn"


def test_standing_and_continuing_work_is_flagged():
    (draft,) = read("Bộ Công an tiếp tục kiểm tra an ninh mạng thường xuyên.").drafts
    assert {"standing_task", "continuing", "suggested_accountable_official"} <= set(draft.flags)
    assert draft.suggested_accountable_official == "Bộ trưởng Bộ Công an"
    # A standing task's deadline is its cadence, as written: the draft has its "rõ thời gian".
    assert draft.deadline_text == "thường xuyên" and draft.deadline_on is None and "no_deadline" not in draft.flags


def test_a_standing_task_keeps_its_reporting_cadence_as_its_deadline():
    state = read("1. Sở Tư pháp rà soát văn bản quy phạm pháp luật của tỉnh thường xuyên, báo cáo kết quả hằng "
                 "tháng.\n"
                 "2. Sở Nội vụ kiểm tra công tác cải cách hành chính định kỳ.\n")
    monthly, periodic = state.drafts
    assert monthly.deadline_text == "thường xuyên, hằng tháng" and "standing_task" in monthly.flags
    assert monthly.deadline_on is None and "no_deadline" not in monthly.flags
    # "định kỳ" names no period a task can report on: it stays flagged, the deadline left to the officer.
    assert periodic.deadline_text is None and {"standing_task", "no_deadline"} <= set(periodic.flags)


def test_a_budget_line_called_recurrent_is_no_standing_task_and_stays_in_the_title():
    state = read("1. Giao Bộ Tài chính bố trí kinh phí bảo trì Cổng dịch vụ công từ nguồn chi thường xuyên trong "
                 "năm 2025.\n"
                 "2. Giao Bộ Y tế theo dõi tổng chi ngân sách hằng năm cho y tế cơ sở, báo cáo trước ngày "
                 "30/11/2025.\n")
    first, second = state.drafts
    assert first.title == "Bố trí kinh phí bảo trì Cổng dịch vụ công từ nguồn chi thường xuyên"
    assert "standing_task" not in first.flags and "standing_task" not in second.flags
    assert second.deadline_on.isoformat() == "2025-11-30"


def test_the_formulas_of_answering_for_the_notice_are_no_tasks():
    from tests.imports.rule_state import read as read_notice
    state = read_notice("""1. Sở Y tế rà soát trạm y tế xã, hoàn thành trong quý II/2025.
2. Giám đốc các sở chịu trách nhiệm trước Chủ tịch Ủy ban nhân dân tỉnh nếu để xảy ra dịch bệnh do buông lỏng quản lý.
3. Các nhiệm vụ khác tiếp tục thực hiện theo văn bản đã ban hành.
4. Các cơ quan, tổ chức có liên quan chịu trách nhiệm thi hành Quyết định này.
""")
    assert [d.title for d in state.drafts] == ["Rà soát trạm y tế xã"]
