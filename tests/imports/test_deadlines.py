"""Deadlines read against the notice's own date (9/11/2022 here); none is ever invented."""

from datetime import date

import pytest

from app.imports.deadlines import choose, find_deadlines
from app.imports.folding import Folded
from tests.imports.notices import drafts

NOTICE_DATE = date(2022, 11, 9)


def deadline(phrase: str, notice_date: date | None = NOTICE_DATE):
    folded = Folded(phrase)
    return choose(find_deadlines(folded, 0, len(folded.s), notice_date))


@pytest.mark.parametrize(("phrase", "expected"), [
    ("hoàn thành trước ngày 10/01/2023.", date(2023, 1, 10)),
    ("chậm nhất ngày 31/7/2023.", date(2023, 7, 31)),
    ("chậm nhất là ngày 15 tháng 9 năm 2023.", date(2023, 9, 15)),
    ("trước 28/2/2023.", date(2023, 2, 28)),
    ("trình Chính phủ trong tháng 1 năm 2023.", date(2023, 1, 31)),
    ("báo cáo Thủ tướng Chính phủ tháng 3/2023.", date(2023, 3, 31)),
    ("hoàn thành trong quý I năm 2023.", date(2023, 3, 31)),
    ("thời hạn: quý III/2023.", date(2023, 9, 30)),
    ("trong năm 2023.", date(2023, 12, 31)),
    ("Thời hạn: năm 2023.", date(2023, 12, 31)),
    ("hoàn thành năm 2024.", date(2024, 12, 31)),
    ("hoàn thành cuối năm 2023.", date(2023, 12, 31)),
    ("bảo đảm hoàn thành trong 6 tháng đầu năm 2023.", date(2023, 6, 30)),
    ("trong 6 tháng cuối năm 2023.", date(2023, 12, 31)),
    ("thời hạn hoàn thành: tháng 2 năm 2023.", date(2023, 2, 28)),
    ("Thời gian hoàn thành: Quý IV/2023.", date(2023, 12, 31)),
    ("báo cáo Thủ tướng Chính phủ trong 30 ngày.", date(2022, 12, 9)),
    ("trong 15 ngày kể từ ngày ký Thông báo này.", date(2022, 11, 24)),
    ("báo cáo trước ngày 15/8 để tổng hợp.", date(2023, 8, 15)),       # no year: the next 15 August
    ("trước ngày 30/11.", date(2022, 11, 30)),                           # no year, still ahead this year
    ("(Bộ Nội vụ chủ trì; thời hạn: quý II/2023).", date(2023, 6, 30)),
    ("thời hạn: 30/6/2024;", date(2024, 6, 30)),
    ("trước tháng 6/2023.", date(2023, 5, 31)),                          # before June begins
])
def test_deadline_wordings(phrase, expected):
    found = deadline(phrase)
    assert found is not None and found.on == expected


@pytest.mark.parametrize("phrase", [
    "áp dụng từ ngày 01/01/2026.",                                        # a start date
    "thực hiện từ năm 2025.",
    "sửa đổi Nghị định số 123/2020/NĐ-CP ngày 19 tháng 10 năm 2020 quy định về hóa đơn",   # a document's date
    "triển khai Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị",
    "bố trí kinh phí trong dự toán ngân sách năm 2023 cho các dự án",    # the budget's year
    "Quy hoạch tỉnh thời kỳ 2021 - 2030, tầm nhìn đến năm 2050,",         # a horizon (fixed date: parser input)
    "Kế hoạch chuyển đổi số đến năm 2025, định hướng đến năm 2030,",      # fixed date: parser input
    "thực hiện thường xuyên.",
    "chỉ tiêu chuyển đổi số năm 2025 của các địa phương",
])
def test_not_deadlines(phrase):
    assert deadline(phrase) is None


def test_the_deadline_sentence_wins_over_dates_in_the_work():
    found = deadline("trình Chính phủ trước ngày 15/3/2023 để ban hành. Thời hạn: quý II/2023.")
    assert found.on == date(2023, 6, 30)


def test_a_day_without_its_year_and_no_notice_date_is_unreadable():
    found = deadline("trước ngày 15/8.", notice_date=None)
    assert found.on is None and "deadline_unreadable" in found.flags


def test_working_days_are_counted_without_weekends_and_flagged():
    found = deadline("trong 10 ngày làm việc.")
    assert found.on == date(2022, 11, 23)
    assert "deadline_working_days_approx" in found.flags


def test_drafts_flag_what_has_no_deadline():
    got = drafts("""1. Bộ Tài chính chủ trì tổng hợp, báo cáo kết quả thực hiện; thực hiện thường xuyên.
2. Bộ Y tế xây dựng Thông tư quy định về bệnh án điện tử.
3. Bộ Công an nâng cấp Cơ sở dữ liệu quốc gia về dân cư, áp dụng từ ngày 01/01/2026.
4. Bộ Tư pháp báo cáo Thủ tướng Chính phủ hằng quý.""")
    # A standing task's cadence is its deadline as written (no date); the others have none.
    assert [(d.deadline_on, d.deadline_text) for d in got] == [(None, "thường xuyên"), (None, None), (None, None),
                                                              (None, "hằng quý")]
    assert ["no_deadline" in d.flags for d in got] == [False, True, True, False]
    assert "standing_task" in got[0].flags and "standing_task" in got[3].flags
    assert "standing_task" not in got[1].flags


def test_drafts_keep_the_wording_and_the_flags_of_a_computed_deadline():
    (draft,) = drafts("1. Bộ Tài chính xem xét, báo cáo Thủ tướng Chính phủ trong 30 ngày.")
    assert draft.deadline_on == date(2022, 12, 9)
    assert draft.deadline_text == "trong 30 ngày"
    assert "deadline_relative" in draft.flags and "no_deadline" not in draft.flags
