"""The only SQL: the Store over SQLite (default) or PostgreSQL, with Alembic migrations."""
