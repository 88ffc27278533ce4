"""Alembic environment: runs on the connection crosswire hands over (see ``storage.store.migrate``)."""

from alembic import context

from crosswire.storage.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
