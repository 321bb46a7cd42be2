"""The README's nginx configuration hands gunicorn whole request bodies: a phone's slow photo upload sent straight
to a sync worker was killed at GUNICORN_TIMEOUT (30 s) with an English "Internal Server Error"."""

import re

from django.conf import settings


def test_the_readme_nginx_server_buffers_request_bodies_for_gunicorn():
    readme = (settings.BASE_DIR / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```nginx\n(.*?)```", readme, re.S)
    server = next(block for block in blocks if "proxy_pass" in block)
    directives = {line.split()[0]: line.split("#")[0].split()[1:] for line in server.splitlines() if line.strip()}
    assert directives["proxy_request_buffering"] == ["on;"]
    assert directives["client_max_body_size"] == ["64m;"]
    assert directives["client_body_timeout"] == ["60s;"]
