"""The database adapter: SQLAlchemy 2 models, Alembic migrations, repositories, unit of work."""
