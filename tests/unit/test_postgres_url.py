"""Which --db values name a PostgreSQL database, and the refusal of a URL with a password."""

from __future__ import annotations

import pytest

from secretary.domain.errors import SecretaryError
from secretary.services.paths import resolve_db
from store.postgres.url import check_url, is_server_url, redacted


@pytest.mark.parametrize("value", ["postgresql://sek@db.example.org/secretary", "postgres:///secretary", "POSTGRESQL://x@/y"])
def test_server_urls_are_kept_as_urls(value, monkeypatch):
    assert is_server_url(value)
    assert resolve_db(value) == value
    monkeypatch.setenv("SECRETARY_DB", value)
    assert resolve_db(None) == value


def test_a_path_stays_a_path(tmp_path):
    assert not is_server_url(str(tmp_path / "db.json"))
    assert resolve_db(str(tmp_path / "db.json")) == tmp_path / "db.json"


@pytest.mark.parametrize("url", [
    "postgresql://sek:hemmelig@db.example.org/secretary",
    "postgresql://sek@db.example.org/secretary?sslmode=require&password=hemmelig",
    "postgresql://:hemmelig@/secretary",
])
def test_a_password_in_the_url_is_refused_and_not_repeated(url):
    with pytest.raises(SecretaryError) as refused:
        check_url(url)
    message = str(refused.value)
    assert "hemmelig" not in message and ".pgpass" in message and "PGPASSFILE" in message


def test_a_url_without_a_database_is_refused():
    with pytest.raises(SecretaryError, match="names no database"):
        check_url("postgresql://sek@db.example.org")


def test_redacted_keeps_what_connects_and_drops_the_password():
    assert redacted("postgresql://sek:pw@db.example.org:5433/s?sslmode=verify-full") == "postgresql://sek@db.example.org:5433/s?sslmode=verify-full"
    assert redacted("postgresql:///secretary") == "postgresql:///secretary"
