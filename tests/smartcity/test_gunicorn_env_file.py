"""gunicorn.conf.py reads the environment the portal reads: ENV_FILE, under the process's own variables, which win.
Run by hand as README step 2 says (``ENV_FILE=/etc/lapor/portal.env gunicorn -c gunicorn.conf.py smartcity.wsgi``),
gunicorn ignored the file's PORT and GUNICORN_* and listened on 0.0.0.0:8000."""

import json
import subprocess
import sys

from django.conf import settings

# gunicorn loads its -c file as a module, from the project directory; so does this.
LOAD = (
    "import importlib.util, json; "
    "spec = importlib.util.spec_from_file_location('gunicorn_conf', 'gunicorn.conf.py'); "
    "conf = importlib.util.module_from_spec(spec); spec.loader.exec_module(conf); "
    "print(json.dumps({name: getattr(conf, name) for name in "
    "('bind', 'workers', 'threads', 'timeout', 'preload_app', 'forwarded_allow_ips')}))"
)


def load_conf(**environment: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", LOAD],
        env={"PATH": "/usr/bin:/bin", **environment},
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_env_file_sets_gunicorn_and_the_process_environment_wins(tmp_path):
    env_file = tmp_path / "portal.env"
    env_file.write_text(
        "PORT=8123\nGUNICORN_WORKERS=3\nGUNICORN_THREADS=4\nGUNICORN_TIMEOUT=45\nGUNICORN_PRELOAD=false\n"
        "FORWARDED_ALLOW_IPS=10.0.0.2\n"
    )
    conf = load_conf(ENV_FILE=str(env_file), GUNICORN_THREADS="2")
    assert conf == {
        "bind": "0.0.0.0:8123",
        "workers": 3,
        "threads": 2,  # the process's own variable wins over the file's
        "timeout": 45,
        "preload_app": False,
        "forwarded_allow_ips": "10.0.0.2",
    }


def test_gunicorn_bind_in_the_env_file_wins_over_port(tmp_path):
    env_file = tmp_path / "portal.env"
    env_file.write_text("PORT=8123\nGUNICORN_BIND=127.0.0.1:8000\n")
    assert load_conf(ENV_FILE=str(env_file))["bind"] == "127.0.0.1:8000"


def test_a_misspelt_env_file_stops_gunicorn_naming_it(tmp_path):
    missing = tmp_path / "portal.env"
    result = subprocess.run(
        [sys.executable, "-c", LOAD],
        env={"PATH": "/usr/bin:/bin", "ENV_FILE": str(missing)},
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        timeout=60,
    )
    assert result.returncode != 0
    assert f"ENV_FILE {missing} cannot be read" in result.stderr
