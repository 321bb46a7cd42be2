"""Benchmark harness (``make bench``, ``make load``, ``make faults``) and the bare-insert "ceiling" app.

The Django app part (``models``, ``views``, ``urls``) is installed only when the
environment has ``BENCHMARK_CEILING=1``; the harness modules never import it.
"""
