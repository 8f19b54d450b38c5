"""The status machine against the workflow of the product brief, written out by hand."""

import pytest

from app.errors import ApiError
from app.tasks import status
from app.tasks.status import Move, TaskStatus

N, P, R, C, W, X = (TaskStatus.new, TaskStatus.in_progress, TaskStatus.reported_done, TaskStatus.completed,
                    TaskStatus.withdrawn, TaskStatus.removed)
# new -> in_progress -> reported_done -> completed, or back to in_progress when rejected; withdrawn only on an
# approved withdrawal request, from any open status; removed (recorded by mistake) only while new; completed,
# withdrawn and removed are final.
EXPECTED = {
    (N, Move.progress): P, (N, Move.report_done): R, (N, Move.withdraw): W, (N, Move.remove): X,
    (P, Move.progress): P, (P, Move.report_done): R, (P, Move.withdraw): W,
    (R, Move.accept): C, (R, Move.reject): P, (R, Move.withdraw): W,
}


@pytest.mark.parametrize("current", list(TaskStatus))
@pytest.mark.parametrize("step", list(Move))
def test_every_move_from_every_status(current, step):
    expected = EXPECTED.get((current, step))
    if expected is not None:
        assert status.move(current, step) == expected
        return
    with pytest.raises(ApiError) as refused:
        status.move(current, step)
    assert refused.value.status_code == 409
    assert refused.value.extra["current_status"] == current
    allowed = {(current, m) for (s, m) in EXPECTED if s == current}
    assert len(refused.value.extra["allowed_transitions"]) == len(allowed)
    assert refused.value.message_vi and "_" not in refused.value.message_vi  # statuses by their Vietnamese names


def test_named_sets():
    assert {N, P, R} == status.OPEN
    assert {N, P} == status.CHASED
    assert {C, W, X} == status.FINAL
    assert all(not status.TRANSITIONS[s] for s in status.FINAL)
