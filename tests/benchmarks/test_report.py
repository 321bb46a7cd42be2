"""The benchmark report says when the machine itself, not the code, made the figures move."""

from benchmarks.report import write_report


def _results(ceiling_cpu_ms: float, previous_ceiling_cpu_ms: float) -> dict:
    def ceiling(cpu_ms):
        return {"req_per_s": 1000 / cpu_ms, "ok_per_s": 1000 / cpu_ms, "cpu_ms_per_request": {"total": cpu_ms}}

    return {
        "machine": {"date": "2026-12-07 18:46 UTC", "commit": "new"},
        "figures": {"ceiling_insert": ceiling(ceiling_cpu_ms)},
        "previous": {
            "machine": {"date": "2026-12-07 15:46 UTC", "commit": "old"},
            "figures": {"ceiling_insert": ceiling(previous_ceiling_cpu_ms)},
        },
    }


def test_a_slower_machine_is_named_with_its_factor(tmp_path):
    md, _js = write_report(_results(2.82, 1.27), str(tmp_path / "bench"))
    text = md.read_text()
    assert "| bare insert, CPU ms per request (the machine's speed) | 1.27 | 2.82 |" in text
    assert "The machine was about 2.2 times slower than in the previous run" in text
    assert "cost 2.82 CPU ms instead of 1.27" in text


def test_a_faster_machine_is_named_too(tmp_path):
    text = write_report(_results(1.0, 2.0), str(tmp_path / "bench"))[0].read_text()
    assert "about 2.0 times faster" in text


def test_a_similar_machine_gets_no_note(tmp_path):
    text = write_report(_results(1.4, 1.27), str(tmp_path / "bench"))[0].read_text()
    assert "The machine was about" not in text
