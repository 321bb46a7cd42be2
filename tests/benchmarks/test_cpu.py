"""The benchmark's CPU accounting counts each CPU second once, also for a process that ends during the run."""

import subprocess
import sys

import pytest

from benchmarks.cpu import ProcessCpu

# Burns 0.3 s of CPU time (not wall time: a loaded machine takes longer, the CPU spent is the same) per line read.
BURNER = """
import sys, time
for _ in sys.stdin:
    start = time.process_time()
    while time.process_time() - start < 0.3:
        pass
    print("done", flush=True)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_child_that_ends_during_the_run_is_counted_for_the_run_only():
    child = subprocess.Popen([sys.executable, "-c", BURNER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    child.stdin.write("burn\n")
    child.stdin.flush()
    assert child.stdout.readline().strip() == "done"  # 0.3 s spent before the measurement starts

    with ProcessCpu() as cpu:
        child.stdin.write("burn\n")
        child.stdin.flush()
        assert child.stdout.readline().strip() == "done"
        child.stdin.close()
        child.wait()  # reaped: from now on its CPU shows only in this process's children time

    # The child runs as this process's child, like wrk, so its CPU is reported as "wrk": 0.3 s plus its exit.
    # Counting its whole life would give 0.6 s or more.
    assert 0.25 <= cpu.seconds["wrk"] < 0.5, cpu.seconds
    assert cpu.per_request_ms(100)["wrk"] == pytest.approx(10 * cpu.seconds["wrk"], abs=0.01)
