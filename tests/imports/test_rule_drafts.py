"""The drafts rule: a draft's title, objective, expected result and flags."""

from app.imports.parser import RULES
from tests.dates import year_ahead
from tests.imports.rule_state import HEAD, TAIL, read, state_after


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


def test_a_bracket_holding_only_the_deadline_leaves_the_title_with_it():
    state = read("1. Sở Y tế:\n"
                 "- Hoàn thiện quy trình cấp cứu ngoại viện, trình Ủy ban nhân dân tỉnh (hoàn thành trong tháng "
                 "9/2025).\n"
                 "- Mở rộng bệnh án điện tử tới trạm y tế xã (trước 30/11/2025).\n")
    assert [d.title for d in state.drafts] == [
        "Hoàn thiện quy trình cấp cứu ngoại viện, trình Ủy ban nhân dân tỉnh",
        "Mở rộng bệnh án điện tử tới trạm y tế xã"]
    assert [d.deadline_on.isoformat() for d in state.drafts] == ["2025-09-30", "2025-11-30"]


def test_sentences_that_give_no_work_make_no_draft_and_say_why():
    state = read("1. Đồng ý đề xuất của Sở Tài chính. Sở Tài chính chịu trách nhiệm toàn diện về tính chính xác của "
                 "số liệu đề xuất.\n"
                 "2. Các sở, ngành phải xác định chuyển đổi số là nhiệm vụ trọng tâm; người đứng đầu trực tiếp chỉ "
                 "đạo.\n"
                 "3. Yêu cầu các sở, ngành, chủ đầu tư quyết tâm cao nhất, “chỉ bàn làm, không bàn lùi”.\n"
                 "4. Các đồng chí Phó Chủ tịch theo lĩnh vực được phân công trực tiếp chỉ đạo, đôn đốc các đơn vị "
                 "thực hiện.\n"
                 "5. Sở Nội vụ tổng hợp kết quả, báo cáo Chủ tịch trước ngày 15/12/2025.\n")
    assert [d.lead.name if d.lead else d.unknown_lead for d in state.drafts] == ["Sở Nội vụ"]
    reasons = [g.reason for g in state.segments if g.fate == "not_task"]
    assert {"accountability", "principle", "oversight"} <= set(reasons)
    assert not [g for g in state.segments if g.fate == "unread"]


def test_a_principle_that_also_sets_a_cadence_is_still_a_task():
    (draft,) = read("a) Sở Kế hoạch xác định giải ngân vốn đầu tư công là nhiệm vụ trọng tâm; hằng tuần cập nhật, "
                    "báo cáo tình hình giải ngân.").drafts
    assert "standing_task" in draft.flags


def test_work_named_before_a_recalled_assignment_keeps_its_name():
    (draft,) = read("Nhiệm vụ xây dựng Kho dữ liệu dùng chung giao Sở Khoa học và Công nghệ tại Thông báo số "
                    "12/TB-UBND ngày 05 tháng 01 năm 2024 đến nay chưa hoàn thành; yêu cầu khẩn trương hoàn thành "
                    "trong quý II/2025.").drafts
    assert draft.title.startswith("Nhiệm vụ xây dựng Kho dữ liệu dùng chung")
    assert draft.deadline_on.isoformat() == "2025-06-30"


def test_learning_from_an_example_and_a_letters_closing_are_no_tasks():
    state = read("1. Chủ tịch biểu dương xã Mẫu Sơn; đề nghị các xã trong tỉnh nghiên cứu, học tập.\n"
                 "2. Sở Xây dựng kiểm tra các công trình trước ngày 30/6/2025.\n"
                 "Sở Nội vụ đề nghị Ủy ban nhân dân các xã quan tâm, chỉ đạo thực hiện.\n")
    assert [d.unknown_lead for d in state.drafts] == ["Sở Xây dựng"]


def test_agreeing_and_urging_to_work_at_once_make_no_drafts():
    state = read("1. Về đề nghị của xã Hòa Bình: Sở Giáo dục thống nhất với đề xuất của xã về việc mở thêm 5 lớp.\n"
                 "2. Các sở, ngành tập trung làm việc ngay, không để ảnh hưởng đến tiến độ nhiệm vụ năm 2025.\n"
                 "3. Sở Nội vụ tổng hợp kết quả, báo cáo Chủ tịch trước ngày 15/12/2025.\n"
                 "Sở Nông nghiệp và Môi trường đề nghị Ủy ban nhân dân các xã quan tâm, chỉ đạo thực hiện ngay.\n")
    assert [d.unknown_lead for d in state.drafts] == ["Sở Nội vụ"]


def test_a_plans_closing_on_raising_problems_and_a_pointer_to_rules_in_force_make_no_drafts():
    state = read("1. Đề nghị Sở Tư pháp tỉnh Mẫu căn cứ quy định hiện hành để hướng dẫn các xã thực hiện.\n"
                 "2. Sở Xây dựng căn cứ hướng dẫn của Bộ Xây dựng lập kế hoạch bảo trì đường tỉnh, trình trước ngày "
                 "20/3/2025.\n"
                 "Trong quá trình triển khai, nếu có vướng mắc phát sinh, các đơn vị báo cáo về Sở Nội vụ để tổng "
                 "hợp, trình Chủ tịch xem xét.\n")
    (draft,) = state.drafts
    # "căn cứ" opens the work; it is no modal word to strip ("cần" folds alike).
    assert draft.unknown_lead == "Sở Xây dựng" and draft.title.startswith("Căn cứ hướng dẫn của Bộ Xây dựng lập")
    reasons = [g.reason for g in state.segments if g.fate == "not_task"]
    assert "existing_rule" in reasons and "closing" in reasons
    assert not [g for g in state.segments if g.fate == "unread"]


def test_finishing_the_works_listed_in_the_appendix_points_to_its_rows():
    text = (HEAD + "1. Các chủ đầu tư tập trung nguồn lực, hoàn thành các dự án nêu tại Phụ lục kèm theo đúng thời "
            "hạn.\n"
            "2. Sở Xây dựng kiểm tra chất lượng các dự án, báo cáo trước ngày 30/9/2025.\n" + TAIL
            + "\nPhụ lục\nDANH MỤC DỰ ÁN\nSTT\tNhiệm vụ\tCơ quan chủ trì\tThời hạn\n"
            "1\tNâng cấp đường tỉnh 101\tSở Giao thông vận tải\tQuý IV/2025\n")
    state = state_after(text, RULES[-1])
    assert state.appendix is not None
    assert [d.unknown_lead for d in state.drafts] == ["Sở Xây dựng", "Sở Giao thông vận tải"]


def test_a_recalled_unfinished_task_keeps_its_work_and_a_part_done_within_another_makes_none():
    state = read("1. Về nhiệm vụ \"Sở Tài chính chủ trì xây dựng cơ chế hỗ trợ lãi suất cho hợp tác xã\" được giao tại "
                 "Thông báo số 12/TB-UBND ngày 10/01/2025, đến nay chưa hoàn thành: đề nghị Sở Tài chính khẩn trương "
                 "hoàn thành, báo cáo Chủ tịch trước ngày 30/9/2025.\n"
                 "2. Về đề nghị của xã Hòa Bình: Chủ tịch đồng ý về nguyên tắc; Sở Tài chính tổng hợp chung trong "
                 "phương án điều chỉnh nêu tại điểm a khoản 1 Mục này.\n")
    (draft,) = state.drafts
    assert "xây dựng cơ chế hỗ trợ lãi suất" in draft.title and draft.deadline_on.isoformat() == "2025-09-30"
    assert "covered" in [g.reason for g in state.segments]


def test_targets_reminders_of_rules_in_force_and_a_plans_summing_up_make_no_drafts():
    state = read("1. Chỉ tiêu: đón 5 triệu lượt khách du lịch; tổng thu từ du lịch đạt 20 nghìn tỷ đồng.\n"
                 "2. Việc vận hành hồ chứa tiếp tục tuân thủ quy trình liên hồ chứa đã ban hành.\n"
                 "3. Đề nghị tỉnh căn cứ quy định hiện hành để thực hiện theo thẩm quyền, không cần xin ý kiến Bộ.\n"
                 "4. Sở Du lịch xây dựng chương trình kích cầu, trình trước ngày 30/6/2025.\n"
                 "Trên đây là Kế hoạch phát triển du lịch năm 2025; đề nghị các cơ quan triển khai thực hiện.\n")
    assert [d.unknown_lead for d in state.drafts] == ["Sở Du lịch"]
    reasons = [g.reason for g in state.segments if g.fate == "not_task"]
    assert {"target", "existing_rule", "closing"} <= set(reasons)


def test_a_plans_standard_sentences_and_answering_for_results_make_no_drafts():
    state = read("III. KINH PHÍ THỰC HIỆN\n"
                 "Kinh phí được bảo đảm từ ngân sách nhà nước giao cho các cơ quan, đơn vị theo phân cấp hiện hành.\n"
                 "IV. TỔ CHỨC THỰC HIỆN\n"
                 "1. Thủ trưởng các đơn vị căn cứ nhiệm vụ được giao tại Kế hoạch này chủ động tổ chức triển khai.\n"
                 "2. Đề nghị Ủy ban nhân dân các xã phối hợp với Sở Nội vụ trong quá trình triển khai Kế hoạch này.\n"
                 "3. Sở Công Thương chịu trách nhiệm toàn diện trước Chủ tịch về việc bảo đảm cung ứng điện.\n"
                 "4. Các phòng chịu trách nhiệm trước Giám đốc nếu để chậm trễ.\n"
                 "5. Việc mở rộng dịch vụ công là yêu cầu cấp bách; Sở Tư pháp chịu trách nhiệm về tính chính xác của "
                 "số liệu.\n"
                 "6. Sở Tài chính tổng hợp kết quả, báo cáo trước ngày 15/12/2025.\n")
    assert [d.unknown_lead for d in state.drafts] == ["Sở Tài chính"]


def test_a_recalled_task_named_by_its_document_and_the_completion_date_over_the_objects():
    state = read("1. Đối với nhiệm vụ \"xây dựng Đề án hỗ trợ người cao tuổi dùng dịch vụ công trực tuyến\" giao Sở "
                 "Nội vụ tại văn bản số 12/UBND-KGVX ngày 10/01/2025, đến nay chưa hoàn thành: Chủ tịch yêu cầu Sở "
                 "Nội vụ khẩn trương hoàn thiện Đề án, trình Ủy ban nhân dân tỉnh.\n"
                 f"2. Sở Tài chính nghiên cứu, báo cáo Chủ tịch việc kéo dài gói hỗ trợ đến hết năm {year_ahead(4)}, "
                 "xong trước ngày 31/12/2025.\n")
    recalled, extension = state.drafts
    assert "hỗ trợ người cao tuổi dùng dịch vụ công trực tuyến" in recalled.title
    assert extension.deadline_on.isoformat() == "2025-12-31"


def test_the_vice_chairmen_overseeing_and_others_learning_from_a_good_example_make_no_drafts():
    state = read("1. Xã Hòa Bình có nhiều cách làm hay, đề nghị các xã khác học tập.\n"
                 "2. Các Phó Chủ tịch Ủy ban nhân dân tỉnh theo lĩnh vực được phân công trực tiếp chỉ đạo, đôn đốc "
                 "các cơ quan thực hiện.\n"
                 "3. Sở Nội vụ tổng hợp kết quả, báo cáo trước ngày 15/12/2025.\n")
    assert [d.unknown_lead for d in state.drafts] == ["Sở Nội vụ"]
