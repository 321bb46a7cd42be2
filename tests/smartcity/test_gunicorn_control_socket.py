"""gunicorn.conf.py under a service user without a home directory: no control socket, so no warning at each start;
GUNICORN_CONTROL_SOCKET places one where the operator wants it."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

from django.conf import settings

from benchmarks.common import free_port


def run_gunicorn(tmp_path: Path, **extra: str) -> tuple[str, list[Path]]:
    """Start gunicorn as the lapor-web unit does (HOME without a directory), wait for its worker, stop it; its log
    and the sockets it left in ``tmp_path``."""
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path / "nonexistent"),  # as /nonexistent, which root could create
        "DJANGO_SETTINGS_MODULE": "smartcity.settings.base",
        "ENV_FILE": "/dev/null",
        "GUNICORN_BIND": f"127.0.0.1:{free_port()}",
        "GUNICORN_WORKERS": "1",
        "GUNICORN_ACCESSLOG": "/dev/null",
        **extra,
    }
    log = tmp_path / "gunicorn.log"
    gunicorn = str(Path(settings.BASE_DIR) / ".venv" / "bin" / "gunicorn")
    with open(log, "w") as out:
        process = subprocess.Popen(
            [gunicorn, "-c", "gunicorn.conf.py", "smartcity.wsgi"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + 60
            while "Booting worker" not in log.read_text() and time.monotonic() < deadline:
                assert process.poll() is None, log.read_text()
                time.sleep(0.2)
            time.sleep(0.5)
            sockets = [path for path in tmp_path.rglob("*") if path.is_socket()]
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
    return log.read_text(), sockets


def test_a_user_without_a_home_gets_no_control_socket_and_no_warning(tmp_path):
    output, sockets = run_gunicorn(tmp_path)
    assert "Booting worker" in output
    assert "control socket" not in output.lower(), output
    assert "WARNING" not in output, output
    assert sockets == []


def test_gunicorn_control_socket_places_it(tmp_path):
    output, sockets = run_gunicorn(tmp_path, GUNICORN_CONTROL_SOCKET=str(tmp_path / "gunicorn.ctl"))
    assert sockets == [tmp_path / "gunicorn.ctl"], output
