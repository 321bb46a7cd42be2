"""An environment file that is named but cannot be read stops the start instead of leaving the laptop defaults
(SQLite, console email, the insecure key) on a server; a laptop without `.env` starts as before."""

import os

import pytest
from django.core.exceptions import ImproperlyConfigured

from smartcity import environment

from .conftest import PRODUCTION_ENV, run_manage

VARIABLE = "LAPOR_TEST_ENV_FILE_VALUE"


@pytest.fixture
def clean_environment(monkeypatch):
    """Whatever read_dotenv puts into os.environ goes again after the test."""
    monkeypatch.setenv(VARIABLE, "")
    monkeypatch.delenv(VARIABLE)
    monkeypatch.delenv("ENV_FILE", raising=False)
    return monkeypatch


def test_a_named_file_is_read(clean_environment, tmp_path):
    env_file = tmp_path / "portal.env"
    env_file.write_text(f"{VARIABLE}=dari-file\n")
    clean_environment.setenv("ENV_FILE", str(env_file))
    environment.read_dotenv()
    assert os.environ[VARIABLE] == "dari-file"


@pytest.mark.parametrize("make", [lambda path: None, lambda path: path.mkdir()], ids=["missing", "a directory"])
def test_a_named_file_that_cannot_be_read_stops_the_start_naming_it(clean_environment, tmp_path, make):
    env_file = tmp_path / "portal.env"
    make(env_file)
    clean_environment.setenv("ENV_FILE", str(env_file))
    with pytest.raises(ImproperlyConfigured, match=f"ENV_FILE {env_file} cannot be read"):
        environment.read_dotenv()


def test_without_a_default_env_file_the_laptop_defaults_apply(clean_environment, tmp_path):
    clean_environment.setattr(environment, "DEFAULT_ENV_FILE", tmp_path / ".env")
    environment.read_dotenv()
    assert VARIABLE not in os.environ


def test_a_default_env_file_that_is_there_but_unreadable_stops_the_start(clean_environment, tmp_path):
    (tmp_path / ".env").mkdir()
    clean_environment.setattr(environment, "DEFAULT_ENV_FILE", tmp_path / ".env")
    with pytest.raises(ImproperlyConfigured, match="cannot be read"):
        environment.read_dotenv()


def test_manage_py_refuses_to_start_on_a_misspelt_env_file(tmp_path):
    missing = tmp_path / "portal.env"
    result = run_manage("check", env={"PATH": PRODUCTION_ENV["PATH"], "ENV_FILE": str(missing)})
    assert result.returncode != 0
    assert f"ENV_FILE {missing} cannot be read" in result.stderr
