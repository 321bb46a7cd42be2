"""`check --deploy` and the production security headers are tested by tests/smartcity/test_production.py.

The security suite does not repeat them; it makes sure they stay in the suite.
"""

from __future__ import annotations

import inspect

from tests.smartcity import test_production


def test_production_tests_cover_check_deploy_and_headers():
    source = inspect.getsource(test_production)
    assert "--deploy" in source
    for header in ("Content-Security-Policy", "Strict-Transport-Security", "X-Frame-Options", "Referrer-Policy"):
        assert header in source, header
    assert "nosniff" in source
