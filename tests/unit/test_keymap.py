"""The user's keymap file (keys.toml): read without Textual, every problem named with the file."""

from __future__ import annotations

import pytest

from secretary.cli.keymap import InvalidKeymap, load_keymap
from secretary.domain.errors import InvalidData, SecretaryError
from secretary.services.paths import keymap_path

KNOWN = {"nav.meetings", "nav.search", "app.quit", "app.help", "meeting.export", "agenda.move_up", "agenda.move_down"}


def write(tmp_path, text: str):
    path = tmp_path / "keys.toml"
    path.write_text(text, encoding="utf-8")
    return path


def problem(tmp_path, text: str) -> str:
    path = write(tmp_path, text)
    with pytest.raises(InvalidKeymap) as caught:
        load_keymap(path, KNOWN)
    message = str(caught.value)
    assert str(path) in message
    return message


def test_a_missing_file_is_an_empty_keymap(tmp_path):
    assert load_keymap(tmp_path / "nothing.toml", KNOWN) == {}


def test_strings_and_lists_of_keys(tmp_path):
    path = write(tmp_path, '"nav.meetings" = "f5"\n"nav.search" = ["f", "slash"]\n"agenda.move_up" = "ctrl+up,K"\n')
    assert load_keymap(path, KNOWN) == {"nav.meetings": "f5", "nav.search": "f,slash", "agenda.move_up": "ctrl+up,K"}


def test_dotted_keys_and_tables_name_the_same_ids(tmp_path):
    path = write(tmp_path, 'nav.meetings = "f5"\n[app]\nquit = "f10"\n')
    assert load_keymap(path, KNOWN) == {"nav.meetings": "f5", "app.quit": "f10"}


def test_an_empty_file_remaps_nothing(tmp_path):
    assert load_keymap(write(tmp_path, "# my keys\n"), KNOWN) == {}


def test_toml_syntax_error_names_line_and_column(tmp_path):
    message = problem(tmp_path, '"nav.meetings" = "f5"\n"app.quit" = \n')
    assert "not valid TOML" in message and "line 2" in message and "column" in message


def test_not_utf8(tmp_path):
    path = tmp_path / "keys.toml"
    path.write_bytes(b'"app.quit" = "\xff"\n')
    with pytest.raises(InvalidKeymap, match="not UTF-8"):
        load_keymap(path, KNOWN)


def test_unknown_id_is_named_with_where_to_find_the_ids(tmp_path):
    message = problem(tmp_path, '"nav.meetngs" = "f5"\n')
    assert "'nav.meetngs'" in message and "secretary keys" in message and "?" in message


@pytest.mark.parametrize("value", ["3", "true", "[1, 2]", '["K", 2]', "1979-05-27"])
def test_a_value_that_is_not_keys(tmp_path, value):
    message = problem(tmp_path, f'"meeting.export" = {value}\n')
    assert "'meeting.export'" in message and "not a key" in message


def test_an_inline_table_under_an_id_is_an_unknown_id(tmp_path):
    message = problem(tmp_path, '"meeting.export" = { key = "x" }\n')
    assert "'meeting.export.key'" in message


@pytest.mark.parametrize("value", ['""', '["", "j"]', '"j,"', "[]"])
def test_an_empty_key(tmp_path, value):
    message = problem(tmp_path, f'"agenda.move_down" = {value}\n')
    assert "'agenda.move_down'" in message and ("empty key" in message or "no key" in message)


@pytest.mark.parametrize("value", ['"ctrl + up"', '["K", "ctrl up"]', '"f, slash"'])
def test_a_key_with_a_space(tmp_path, value):
    message = problem(tmp_path, f'"agenda.move_up" = {value}\n')
    assert "'agenda.move_up'" in message and "space" in message


def test_one_key_for_two_global_bindings(tmp_path):
    message = problem(tmp_path, '"nav.meetings" = "f5"\n"app.quit" = ["f10", "f5"]\n')
    assert "'f5'" in message and "'nav.meetings'" in message and "'app.quit'" in message


def test_one_key_for_a_global_and_a_screen_binding_is_left_to_textual(tmp_path):
    path = write(tmp_path, '"nav.meetings" = "f5"\n"meeting.export" = "f5"\n')
    assert load_keymap(path, KNOWN) == {"nav.meetings": "f5", "meeting.export": "f5"}


def test_every_problem_is_reported_once_each(tmp_path):
    message = problem(tmp_path, '"nav.x" = "a"\n"app.quit" = 1\n"agenda.move_up" = "a b"\n')
    assert len(message.splitlines()) == 3


def test_the_error_is_the_users_to_fix(tmp_path):
    with pytest.raises(SecretaryError):
        load_keymap(write(tmp_path, "x ="), KNOWN)
    assert issubclass(InvalidKeymap, InvalidData)


def test_an_unreadable_path_is_named(tmp_path):
    (tmp_path / "keys.toml").mkdir()
    with pytest.raises(InvalidKeymap, match="cannot be read"):
        load_keymap(tmp_path / "keys.toml", KNOWN)


def test_keymap_path_from_the_environment_or_the_config_dir(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRETARY_KEYS", str(tmp_path / "mine.toml"))
    assert keymap_path() == tmp_path / "mine.toml"
    monkeypatch.delenv("SECRETARY_KEYS")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    assert keymap_path() == tmp_path / "config" / "secretary" / "keys.toml"
