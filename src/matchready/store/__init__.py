"""The database (SQLAlchemy 2 + Alembic): SQLite in the data directory by default, PostgreSQL
by MATCHREADY_DATABASE_URL. Models, migrations, repositories and the unit of work; the domain
never sees the ORM (adapters map at the edge)."""
