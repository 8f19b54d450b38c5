"""The journal queues its own events: app/webhooks/outbox.py writes webhook_outbox, no trigger does

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01
"""

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER tr_task_events_outbox ON task_events")
        op.execute("DROP FUNCTION task_events_to_outbox()")
    else:
        op.execute("DROP TRIGGER tr_task_events_outbox")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("""
            CREATE FUNCTION task_events_to_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                INSERT INTO webhook_outbox (task_event_id) VALUES (NEW.id);
                RETURN NULL;
            END $$""")
        op.execute("""CREATE TRIGGER tr_task_events_outbox AFTER INSERT ON task_events
                      FOR EACH ROW EXECUTE FUNCTION task_events_to_outbox()""")
    else:
        op.execute("""CREATE TRIGGER tr_task_events_outbox AFTER INSERT ON task_events
                      BEGIN INSERT INTO webhook_outbox (task_event_id) VALUES (NEW.id); END""")
