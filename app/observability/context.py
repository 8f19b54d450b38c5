"""What one request carries through every layer it reaches: its id (from `X-Request-ID`, or made here) and the
journal rows its writes made. Context variables: anyio copies them into the writers' threads, so the journal, the
outbox and the log lines of a request all see the same values without any parameter passed down."""

import re
import uuid
from contextvars import ContextVar

_request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
_journal_ids: ContextVar[list[int] | None] = ContextVar("journal_ids", default=None)

# A client's id is kept when it is short and plain (it ends up in logs and the journal); anything else is replaced.
_ACCEPTABLE_ID = re.compile(r"[A-Za-z0-9._:/+=-]{1,100}")


def new_request_id() -> str:
    return uuid.uuid4().hex


def accept_request_id(offered: str | None) -> str:
    return offered if offered and _ACCEPTABLE_ID.fullmatch(offered) else new_request_id()


def begin(request_id: str) -> tuple:
    """Starts a request's context; `end(begin(...))` restores the one before."""
    return _request_id.set(request_id), _journal_ids.set([])


def end(tokens: tuple) -> None:
    request_token, journal_token = tokens
    _request_id.reset(request_token)
    _journal_ids.reset(journal_token)


def request_id() -> str | None:
    return _request_id.get()


def journal_written(journal_id: int) -> None:
    """Called by the journal for each row it writes (in the writer's thread: the list object is shared)."""
    written = _journal_ids.get()
    if written is not None:
        written.append(journal_id)


def journal_ids() -> list[int]:
    return list(_journal_ids.get() or ())


# A write that journals many rows (a notice's tasks committed at once) names them by count: hundreds of ids would pass
# the header size a reverse proxy accepts (nginx's 4 kB buffer by default) and turn the answer into a 502.
MOST_JOURNAL_IDS = 50


def journal_headers() -> dict[str, str]:
    """`X-Journal-Id` (the rows this request's writes made, comma-separated), or past MOST_JOURNAL_IDS rows their
    number in `X-Journal-Count`; nothing for a request that journaled nothing."""
    written = journal_ids()
    if not written:
        return {}
    if len(written) > MOST_JOURNAL_IDS:
        return {"X-Journal-Count": str(len(written))}
    return {"X-Journal-Id": ",".join(map(str, written))}
