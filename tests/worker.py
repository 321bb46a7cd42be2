"""The real Celery worker fixture for tests (see tests/conftest.py pytest_plugins)."""
