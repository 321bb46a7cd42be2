from django.apps import AppConfig


class BenchmarksConfig(AppConfig):
    """Installed only with BENCHMARK_CEILING=1: one table and one view that inserts into it."""

    name = "benchmarks"
    verbose_name = "Benchmark ceiling"
    default_auto_field = "django.db.models.BigAutoField"
