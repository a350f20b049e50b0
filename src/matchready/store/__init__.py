"""The database (SQLAlchemy 2 + Alembic): SQLite in the data directory by default, PostgreSQL
by MATCHREADY_DATABASE_URL. Domain objects never see the ORM; adapters map at the edge."""
