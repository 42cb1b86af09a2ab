"""The PostgreSQL schema, created and migrated by the program: a numbered list of steps.

`schema_migrations` records every step applied (version, name, when). Opening a database runs
the steps it lacks, one transaction each, under an advisory lock, so two programs starting at
once do not both migrate; a database migrated by a newer version is refused, not guessed at.

Why JSONB documents and not a table per class (ARCHITECTURE.md, "PostgreSQL"): every registry
object is one row of `registry` keyed by (collection, id), its validated pydantic dump in a JSONB
column beside a version and who changed it when. A new registry collection is then one name in
the domain's COLLECTIONS, not a migration; the domain model stays the one schema of the data
(pydantic validates every read); and `secretary/1` import, export and backups move documents
as they are. Meetings have their own table because lists and the start screen read the index
columns (body, year, start, status, title, minutes, open actions) without the agenda.
"""

from __future__ import annotations

MIGRATIONS: list[tuple[int, str, str]] = [
    (
        1,
        "documents, meetings, generations, revocations, backups",
        """
        CREATE TABLE registry (
            collection text NOT NULL,
            id         text NOT NULL,
            version    bigint NOT NULL,
            changed_at timestamptz NOT NULL DEFAULT now(),
            changed_by text NOT NULL DEFAULT current_user,
            doc        jsonb NOT NULL,
            PRIMARY KEY (collection, id)
        );
        CREATE TABLE meetings (
            id         text PRIMARY KEY,
            body       text NOT NULL,
            year       integer NOT NULL,
            start_at   text NOT NULL,
            version    bigint NOT NULL,
            changed_at timestamptz NOT NULL DEFAULT now(),
            changed_by text NOT NULL DEFAULT current_user,
            row        jsonb NOT NULL,
            doc        jsonb NOT NULL
        );
        CREATE INDEX meetings_partition ON meetings (body, year);
        -- One row per (body, year) that has held a meeting: its change generation.
        CREATE TABLE partitions (
            body       text NOT NULL,
            year       integer NOT NULL,
            generation bigint NOT NULL,
            PRIMARY KEY (body, year)
        );
        -- 'change' counts every committed write; 'registry' and 'index' are the port's generations.
        CREATE TABLE counters (
            name  text PRIMARY KEY,
            value bigint NOT NULL
        );
        INSERT INTO counters (name, value) VALUES ('change', 0), ('registry', 0), ('index', 0);
        -- Hashes of feed tokens that must never work again: not in a backup, untouched by restore.
        CREATE TABLE revoked_tokens (
            digest  text PRIMARY KEY,
            revoked text NOT NULL
        );
        CREATE TABLE backups (
            name  text PRIMARY KEY,
            taken timestamptz NOT NULL DEFAULT now()
        );
        CREATE TABLE backup_registry (
            backup     text NOT NULL REFERENCES backups (name) ON DELETE CASCADE,
            collection text NOT NULL,
            id         text NOT NULL,
            doc        jsonb NOT NULL,
            PRIMARY KEY (backup, collection, id)
        );
        CREATE TABLE backup_meetings (
            backup   text NOT NULL REFERENCES backups (name) ON DELETE CASCADE,
            id       text NOT NULL,
            body     text NOT NULL,
            year     integer NOT NULL,
            start_at text NOT NULL,
            row      jsonb NOT NULL,
            doc      jsonb NOT NULL,
            PRIMARY KEY (backup, id)
        );
        -- Written by `secretary init` once the first data is in: a database with the schema
        -- but without this row is "empty" (init may fill it without --force).
        CREATE TABLE settings (
            name  text PRIMARY KEY,
            value text NOT NULL
        );
        """,
    ),
    (
        2,
        "indexes of the start screen's questions",
        # What `PgMeetings.rows_where` asks before it has read every index row (the expressions
        # are those of its WHERE, so the planner matches them): the meetings of some days (the
        # day on the meeting's own clock, as bytes), the few with open actions, minutes by state.
        """
        CREATE INDEX meetings_day ON meetings ((left(row ->> 'start', 10) COLLATE "C"));
        CREATE INDEX meetings_open_actions ON meetings (id)
            WHERE jsonb_typeof(row -> 'actions') = 'array' AND row -> 'actions' <> '[]'::jsonb;
        CREATE INDEX meetings_minutes ON meetings ((row ->> 'minutes'));
        """,
    ),
]

LATEST = MIGRATIONS[-1][0]

MIGRATIONS_TABLE = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version    integer PRIMARY KEY,
    name       text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
)
"""

# pg_advisory_xact_lock keys: one for migrations, one for writers (see store.postgres.store).
MIGRATION_LOCK = 0x5EC0_0001
WRITE_LOCK = 0x5EC0_0002
