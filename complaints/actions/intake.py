"""See complaints/actions/__init__.py."""

__all__: list[str] = []
