"""The deadlines rule: the deadline a draft takes, an unreadable one kept as written, a "Thời hạn" line after."""

from datetime import date

from tests.imports.rule_state import read


def test_the_deadline_said_outright_wins_over_a_date_in_the_work():
    (draft,) = read("Sở Tài chính trình phương án vay vốn trước ngày 15/4/2025; thời hạn: tháng 5/2025.").drafts
    assert draft.deadline_on == date(2025, 5, 31)


def test_a_deadline_that_is_no_date_is_kept_and_flagged():
    (draft,) = read("Sở Xây dựng hoàn thiện đề án nhà ở xã hội. Thời hạn: trước kỳ họp Hội đồng nhân dân.").drafts
    assert draft.deadline_on is None
    assert draft.deadline_text == "trước kỳ họp Hội đồng nhân dân"
    assert "deadline_unreadable" in draft.flags


def test_a_line_of_its_own_completes_the_drafts_before_it():
    state = read("1. Sở Y tế đánh giá chất lượng trạm y tế xã.\nThời hạn: quý II/2025.\n2. Sở Nội vụ rà soát.")
    first = state.drafts[0]
    assert first.deadline_on == date(2025, 6, 30)
    assert first.source.text.endswith("quý II/2025.")
    assert "no_deadline" in state.drafts[1].flags


def test_a_month_without_its_year_is_the_next_one_after_the_notice():
    (draft,) = read("Sở Công Thương báo cáo kết quả trong tháng 1.").drafts
    assert draft.deadline_on == date(2026, 1, 31)
    assert "deadline_year_inferred" in draft.flags


def test_a_day_of_the_year_that_comes_back_every_year_is_a_standing_task_with_its_cadence():
    state = read("5. Sở Tài chính tổng hợp báo cáo quyết toán vốn đầu tư công, gửi Ủy ban nhân dân tỉnh trước ngày "
                 "20 tháng 01 hằng năm.\n")
    (draft,) = state.drafts
    assert draft.deadline_on is None
    assert draft.deadline_text == "trước ngày 20 tháng 01 hằng năm"
    assert "standing_task" in draft.flags and "deadline_unreadable" not in draft.flags
    assert "hằng năm" not in draft.title


def test_a_campaign_then_its_report_takes_the_report_date():
    state = read("6. Công an tỉnh mở đợt cao điểm kiểm tra nồng độ cồn từ ngày 01/8/2026 đến hết ngày 31/8/2026; "
                 "báo cáo kết quả Ủy ban nhân dân tỉnh trước ngày 10/9/2026.\n"
                 "7. Sở Y tế tổ chức tiêm chủng bổ sung từ ngày 01/10/2026 đến hết ngày 15/10/2026.\n")
    assert [d.deadline_on for d in state.drafts] == [date(2026, 9, 10), date(2026, 10, 15)]
    assert all(set(d.flags) <= {"unknown_lead", "unknown_agency", "suggested_accountable_official"}
               for d in state.drafts)


def test_a_period_from_one_month_or_day_to_another_ends_on_its_last_day():
    state = read("STT\tĐơn vị chủ trì\tNội dung công việc\tThời gian\n"
                 "1\tSở Xây dựng\tKiểm định khí thải xe gắn máy tại các phường\tTừ tháng 10/2025 đến tháng 3/2026\n")
    assert [d.deadline_on.isoformat() for d in state.drafts] == ["2026-03-31"]
    (draft,) = read("Sở Công Thương chỉ đạo đóng điện trạm biến áp 110 kV trong tuần từ ngày 23/6 đến ngày "
                    "27/6/2025.").drafts
    assert draft.deadline_on.isoformat() == "2025-06-27"


def test_days_counted_from_an_event_the_notice_does_not_date_give_no_date():
    (draft,) = read("Sở Xây dựng tổ chức thẩm định trong thời hạn 10 ngày kể từ ngày nhận đủ hồ sơ hợp lệ.").drafts
    assert draft.deadline_on is None


def test_the_first_week_of_a_month_and_a_time_in_what_must_not_happen():
    first_week, no_pile_up = read(
        "1. Ban Quản lý dự án giao thông khởi công cầu Bến Mẫu trong tuần đầu tháng 01/2026.\n"
        "2. Kho bạc Nhà nước Khu vực V kiểm soát chi kịp thời; không để tồn đọng hồ sơ thanh toán cuối năm.\n").drafts
    assert first_week.deadline_on == date(2026, 1, 7)
    assert no_pile_up.deadline_on is None


def test_a_report_due_at_a_meeting_of_a_month_is_due_by_its_end():
    (draft,) = read("1. Văn phòng Ủy ban nhân dân tỉnh tổng hợp kết quả, báo cáo Chủ tịch tại phiên họp thường kỳ "
                    "tháng 11/2025 của Ủy ban nhân dân tỉnh.\n").drafts
    assert draft.deadline_on == date(2025, 11, 30)


def test_a_time_written_before_the_subject_and_a_place_named_after_a_day():
    before, within, place = read(
        "1. Trước ngày 15/12/2025, Tổng công ty Điện lực miền Bắc hoàn thành đóng điện trạm biến áp 220 kV Mẫu.\n"
        "2. Trong 15 ngày kể từ ngày ký Thông báo này, các đơn vị xây dựng kế hoạch triển khai của đơn vị.\n"
        "3. Sở Xây dựng chỉnh trang vỉa hè khu vực Quảng trường 2 Tháng 9; hoàn thành trước ngày 30/4/2025.\n"
    ).drafts
    assert before.deadline_on == date(2025, 12, 15)
    assert within.deadline_on == date(2025, 2, 18)  # 03/02/2025 and 15 days
    assert place.deadline_on == date(2025, 4, 30)


def test_a_day_before_the_notice_and_a_yearless_day_of_a_periodic_report_are_no_deadlines():
    covered, periodic = read(
        "1. Sở Nội vụ giải quyết dứt điểm hồ sơ tồn đọng, kể cả các hồ sơ nhận trước ngày 01/12/2024.\n"
        "2. Định kỳ 6 tháng và hằng năm, Sở Ngoại vụ tổng hợp tình hình hợp tác quốc tế, gửi Ủy ban nhân dân tỉnh "
        "trước ngày 15 tháng 6 và ngày 15 tháng 12.\n").drafts
    assert covered.deadline_on is None
    assert periodic.deadline_on is None and "standing_task" in periodic.flags
