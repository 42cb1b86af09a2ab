"""The PostgreSQL backend: the only code that knows psycopg (see store.postgres.store)."""
