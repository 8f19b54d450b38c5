"""The service's log: one line per event, JSON by default (ROVIEC_LOG_FORMAT=json|text, ROVIEC_LOG_LEVEL), the same
for `roviec serve` (uvicorn's own loggers included) and `roviec worker`. Every line written while a request is being
answered carries its request id. Fields beyond the message are given as `extra={"fields": {...}}`."""

import logging
import logging.config
from datetime import UTC, datetime

import orjson

from app import errors
from app.observability import context

# Attributes every LogRecord has; anything else on a record was passed as `extra` and is written as a field.
_STANDARD = set(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message", "asctime", "request_id"}


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = context.request_id()
        return True


def _fields(record: logging.LogRecord) -> dict:
    fields = dict(getattr(record, "fields", None) or {})
    for name, value in record.__dict__.items():
        if name not in _STANDARD and name != "fields" and not name.startswith("_") and name not in ("color_message",):
            fields.setdefault(name, value)
    return fields


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {"time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
                "level": record.levelname.lower(), "logger": record.name, "message": record.getMessage()}
        if getattr(record, "request_id", None):
            line["request_id"] = record.request_id
        line |= _fields(record)
        if record.exc_info:
            line["error"] = self.formatException(record.exc_info)
        return orjson.dumps(line, default=str).decode()


class TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        extras = _fields(record)
        if getattr(record, "request_id", None):
            extras = {"request_id": record.request_id, **extras}
        return text + "".join(f" {name}={value}" for name, value in extras.items())


def config(log_format: str, level: str, requests: bool = True) -> dict:
    """A dictConfig for the process, uvicorn's loggers included (uvicorn.run takes it as `log_config`). uvicorn's
    access log is off: the request middleware writes one richer line per request instead (`requests`)."""
    formatter = {"()": JsonFormatter} if log_format == "json" else {"()": TextFormatter}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": RequestIdFilter}},
        "formatters": {"line": formatter},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "line", "filters": ["request_id"],
                                "stream": "ext://sys.stderr"}},
        "loggers": {
            "uvicorn": {"handlers": ["stderr"], "level": level.upper(), "propagate": False},
            "uvicorn.error": {"level": level.upper()},
            "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
            "roviec.request": {"level": level.upper() if requests else "WARNING"},
        },
        "root": {"handlers": ["stderr"], "level": level.upper()},
    }


def configure(log_format: str, level: str) -> None:
    logging.config.dictConfig(config(log_format, level))


class StateChangeLog:
    """One line when something goes away and one when it is back, not a traceback at every poll: a worker polls
    every second, and an operator reading the log of an outage wants to know when it began and ended."""

    def __init__(self, logger: logging.Logger, what: str):
        self.logger, self.what = logger, what
        self.down_since: datetime | None = None

    def failed(self, error: BaseException) -> None:
        if self.down_since is None:
            self.down_since = datetime.now(UTC)
            self.logger.error("%s unavailable: %s", self.what, _one_line(error),
                              extra={"fields": {"event": "unavailable", "what": self.what}})

    def attempt(self, call):
        """`call()`'s answer; None while the database is away (said once by `failed`, and once when back): a job
        that polls waits for the next tick rather than failing with a traceback. Any other error goes up."""
        try:
            answer = call()
        except errors.DATABASE_UNAVAILABLE as exc:
            if not errors.is_database_unavailable(exc):
                raise
            self.failed(exc)
            return None
        self.succeeded()
        return answer

    def succeeded(self) -> None:
        if self.down_since is not None:
            seconds = (datetime.now(UTC) - self.down_since).total_seconds()
            self.down_since = None
            self.logger.warning("%s available again after %.1f s", self.what, seconds,
                                extra={"fields": {"event": "recovered", "what": self.what,
                                                  "down_seconds": round(seconds, 3)}})


def _one_line(error: BaseException) -> str:
    original = getattr(error, "orig", None) or error
    return f"{type(original).__name__}: {str(original).strip().splitlines()[0] if str(original).strip() else ''}"
