from alembic import context

from app import models  # noqa: F401  (registers every table on the metadata)
from app.config import get_settings
from app.db import make_engine, metadata


def run_migrations() -> None:
    connectable = context.config.attributes.get("connection")
    if connectable is not None:
        _run(connectable)
        return
    engine = make_engine(get_settings().sqlalchemy_url)
    with engine.connect() as connection:
        _run(connection)
    engine.dispose()


def _run(connection) -> None:
    if connection.dialect.name == "sqlite":
        # Batch operations rebuild a table (copy, drop, rename); with foreign keys enforced, dropping a table other
        # tables point at fails. Checked once all migrations have run (below).
        # On the driver's connection: the pragma is a no-op inside a transaction, and SQLAlchemy would begin one.
        connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
        if connection.dialect.name == "sqlite":
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise RuntimeError(f"the migrations left rows pointing at nothing: {broken[:10]}")


run_migrations()
