"""Reading with worker processes gives exactly what one process gives, reports progress, and falls
back to reading in-process when a pool cannot run."""
from __future__ import annotations

import itertools
from concurrent.futures.process import BrokenProcessPool

import pytest

from adoptscore.ingest import service_ping
from adoptscore.ingest.service_ping import read_payloads
from tests.ingest.helpers import payload, write


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    root = tmp_path_factory.mktemp("many")
    for i in range(60):
        month = 9 + i % 2
        write(root, f"p{i:03d}.json", payload(uuid=f"i{i // 2:03d}", recorded_at=f"2026-{month:02d}-2{i % 7}T00:00:00Z",
                                              counts_monthly__deployments=i))
    write(root, "p900.json", "{")
    write(root, "p901.json", payload(uuid="x", counts_monthly__deployments="1"))
    return root


def test_workers_give_the_same_table_and_skips(folder):
    one = read_payloads(folder, workers=1)
    two = read_payloads(folder, workers=2)
    assert one.table.equals(two.table)
    assert [s.format() for s in one.skipped] == [s.format() for s in two.skipped]
    assert (one.payloads, one.superseded, one.files) == (two.payloads, two.superseded, two.files) == (60, 0, 62)


def test_progress_is_reported_up_to_the_total(folder):
    seen: list[tuple[int, int]] = []
    read_payloads(folder, workers=2, on_progress=lambda done, total: seen.append((done, total)))
    assert seen[0] == (0, 62) and seen[-1] == (62, 62)
    assert all(a[0] <= b[0] for a, b in itertools.pairwise(seen))


def test_a_pool_that_breaks_falls_back_to_this_process(folder, monkeypatch):
    class Broken:
        def __init__(self, *args, **kwargs):
            raise BrokenProcessPool("no processes here")

    monkeypatch.setattr(service_ping, "ProcessPoolExecutor", Broken)
    result = read_payloads(folder, workers=2)
    assert result.table.equals(read_payloads(folder, workers=1).table)


def test_automatic_workers():
    assert service_ping._workers(None, 10) == 1          # few files: no pool
    assert service_ping._workers(None, 10_000) >= 1
    assert service_ping._workers(3, 2) == 2               # never more workers than files
