"""Alembic's environment: run on the connection that layers/store/db.py passes in."""

from alembic import context

from layers.store.models import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata,
                  render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
