from functools import lru_cache

import orjson
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine, create_engine
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlmodel import Session, SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from app.config import PROJECT_DIR, get_settings

metadata: MetaData = SQLModel.metadata


def _json_dumps(value) -> str:
    return orjson.dumps(value).decode()


def _engine_options(url: str) -> dict:
    # Connections beyond pool_size are opened and closed per checkout: keep the pool as large as the usual
    # number of requests in flight, or every request pays a connect (and SQLite a schema read).
    settings = get_settings()
    options = {"pool_size": settings.db_pool_size, "max_overflow": 10, "pool_timeout": settings.db_pool_timeout_seconds,
               "json_serializer": _json_dumps, "json_deserializer": orjson.loads}
    if url.startswith("sqlite"):
        return options
    # No pool_pre_ping: it costs a round trip on every checkout. A connection the server dropped fails one
    # request, and SQLAlchemy then discards the whole pool; connections are also renewed hourly.
    # Server-side prepared statements from the first use (psycopg's default waits for five): every request
    # repeats the same few statements, and planning was a third of a list request.
    # A database that went away answers a connection attempt within the connect timeout: a request then gets its 503
    # in bounded time instead of waiting on the operating system's TCP timeout. On a connection already open, a host
    # that stops answering (a network cut, a machine gone) is found by TCP: unacknowledged data within the user
    # timeout, or an idle connection by keepalives. (A server process that hangs on a host that still answers TCP is
    # not found so: its requests wait for it.)
    return options | {"pool_recycle": 3600, "connect_args": {
        "prepare_threshold": 0, "connect_timeout": settings.db_connect_timeout_seconds,
        "keepalives": 1, "keepalives_idle": 10, "keepalives_interval": 5, "keepalives_count": 3,
        "tcp_user_timeout": int(settings.db_connect_timeout_seconds * 3000)}}


def make_engine(url: str) -> Engine:
    options = _engine_options(url)
    if not url.startswith("sqlite"):
        return create_engine(url, **options)

    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30}, **options)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # SQLAlchemy's documented pysqlite recipe: the driver must not BEGIN on its own, we do it in "begin".
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")  # readers do not block the writer
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        # A deferred transaction that read and then tries to write fails at once with SQLITE_BUSY when
        # another writer committed meanwhile; writers therefore take the lock at BEGIN and wait their turn.
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        if mode is not None:
            conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


# The process's engines (the writers' and, on PostgreSQL, the readers' on the event loop): when one finds the server
# gone, both pools are renewed, so the first request after a restart does not meet a dead connection in the other.
_process_engines: list[Engine] = []
_after_renewal: list = []


def after_pools_renewed(callback) -> None:
    """`callback()` runs after the pools were renewed (the metrics watch the new ones)."""
    if callback not in _after_renewal:
        _after_renewal.append(callback)


def _renew_every_pool(context) -> None:
    if context.is_disconnect:
        for engine in _process_engines:
            engine.dispose(close=False)  # the old connections are dropped, not closed: the server closed them
        for callback in _after_renewal:
            callback()


def _known(engine: Engine) -> Engine:
    if engine not in _process_engines:
        _process_engines.append(engine)
        event.listen(engine, "handle_error", _renew_every_pool)
    return engine


def alembic_config():
    """The migrations' configuration, wherever a command runs from (`roviec migrate`, readiness, backups)."""
    from alembic.config import Config

    config = Config(str(PROJECT_DIR / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_DIR / "migrations"))
    return config


@lru_cache
def get_engine() -> Engine:
    return _known(make_engine(get_settings().sqlalchemy_url))


@lru_cache
def get_async_engine() -> AsyncEngine:
    """PostgreSQL only, for the reads done on the event loop: the same driver (psycopg 3) in its asyncio mode.

    Its connections are in autocommit from the start and are not reset when returned to the pool: a read is
    mostly one statement, and switching the mode at every checkout and back at every return cost more than it.
    No overflow: every request of the process can be reading at once here (there is no thread pool to bound
    them), and an overflow connection is opened, and its statements prepared, for a single checkout; a read
    beyond the pool waits for a connection instead."""
    url = get_settings().sqlalchemy_url
    options = _engine_options(url) | {"max_overflow": 0}
    engine = create_async_engine(url, **options, isolation_level="AUTOCOMMIT", pool_reset_on_return=None)
    _known(engine.sync_engine)
    return engine


def is_sqlite(engine: Engine | None = None) -> bool:
    return (engine or get_engine()).dialect.name == "sqlite"


@lru_cache
def _sync_bind(write: bool) -> Engine:
    # Built once: execution_options() makes a new engine proxy and registers its events on every call.
    engine = get_engine()
    if is_sqlite(engine):
        return engine.execution_options(sqlite_begin="IMMEDIATE" if write else None)
    return engine if write else engine.execution_options(isolation_level="AUTOCOMMIT")


def open_session(*, write: bool = False) -> Session:
    """A write session holds one transaction. A read session runs each statement on its own (autocommit): a
    read is mostly one statement, and this saves the BEGIN and ROLLBACK round trips around it."""
    return Session(_sync_bind(write), expire_on_commit=False)


def open_async_session() -> AsyncSession:
    """The PostgreSQL counterpart of open_session() for reads, on the event loop."""
    return AsyncSession(get_async_engine(), expire_on_commit=False)


@lru_cache
def _snapshot_bind() -> Engine:
    engine = get_engine()
    if is_sqlite(engine):
        return engine.execution_options(sqlite_begin="DEFERRED")
    return engine.execution_options(isolation_level="REPEATABLE READ")


def open_snapshot_session() -> Session:
    """A long read (an export) in one read-only transaction: every statement sees the same snapshot, and PostgreSQL
    streams the rows through a server-side cursor, which needs a transaction."""
    return Session(_snapshot_bind(), expire_on_commit=False)
