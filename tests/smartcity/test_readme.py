"""The README a new user reads first stays true: two commands, every environment variable documented."""

import re

from django.conf import settings


def _readme() -> str:
    return (settings.BASE_DIR / "README.md").read_text(encoding="utf-8")


def test_readme_starts_with_the_two_commands():
    first_block = re.search(r"```sh\n(.*?)```", _readme(), re.S).group(1)
    assert first_block.split() == ["make", "run", "make", "test"]


def test_every_environment_variable_read_by_the_settings_is_documented():
    names = set()
    for path in (settings.BASE_DIR / "smartcity" / "settings").glob("*.py"):
        names |= set(re.findall(r"\benv(?:\.[a-z_]+)?\(\s*\"([A-Z][A-Z0-9_]+)\"", path.read_text(encoding="utf-8")))
    assert {"DATABASE_URL", "REDIS_URL", "SECRET_KEY"} <= names
    readme = _readme()
    missing = sorted(name for name in names if f"`{name}`" not in readme)
    assert not missing, f"README.md configuration table lacks {missing}"
