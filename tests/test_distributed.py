"""The zone check on a real Dask cluster: a scheduler and two worker processes started here
(`dask scheduler`, `dask worker`), the same rows as on one machine, a worker killed mid-run."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from layers.batchcheck import check_file, check_on_cluster

ROOT = Path(__file__).resolve().parents[1]
DASK = Path(sys.executable).with_name("dask")


def _registry(folder: Path, parts: int, rows: int, seed: int = 21) -> Path:
    """A registry as a data platform keeps it: a folder of Parquet parts, points over the
    province (a tenth without coordinates, some swapped)."""
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for k in range(parts):
        lon = rng.uniform(118.0, 123.3, rows)
        lat = rng.uniform(27.0, 31.3, rows)
        lon[rng.random(rows) < 0.1] = np.nan
        swap = rng.random(rows) < 0.02
        lon[swap], lat[swap] = lat[swap], lon[swap]
        frame = pd.DataFrame({"id": np.arange(k * rows, (k + 1) * rows), "name": [f"企业{i}" for i in
                                                                           range(rows)],
                              "lon": lon, "lat": lat})
        pq.write_table(pa.Table.from_pandas(frame, preserve_index=False),
                       folder / f"part-{k:03d}.parquet", row_group_size=rows // 2)
    return folder


class Cluster:
    """`dask scheduler` and `dask worker` processes on localhost, as the README starts them."""

    def __init__(self, tmp: Path, workers: int = 2):
        self.file = tmp / "scheduler.json"
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        self.log = open(tmp / "cluster.log", "w")
        self.scheduler = subprocess.Popen(
            [str(DASK), "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
             "--scheduler-file", str(self.file)], cwd=ROOT, env=env, stdout=self.log,
            stderr=subprocess.STDOUT)
        deadline = time.time() + 60
        while not self.file.exists() and time.time() < deadline:
            time.sleep(0.1)
        self.address = json.loads(self.file.read_text())["address"]
        self.workers = [subprocess.Popen(
            [str(DASK), "worker", self.address, "--nworkers", "1", "--nthreads", "1",
             "--no-dashboard", "--name", f"w{i}", "--local-directory", str(tmp / f"w{i}")],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT) for i in range(workers)]
        from distributed import Client

        with Client(self.address, timeout="30s") as client:
            client.wait_for_workers(workers, timeout=120)

    def close(self) -> None:
        for process in [*self.workers, self.scheduler]:
            process.terminate()
        for process in [*self.workers, self.scheduler]:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        self.log.close()


@pytest.fixture
def dask_cluster(tmp_path):
    if not DASK.exists():
        pytest.fail(f"{DASK} missing: install requirements.txt (dask, distributed)")
    cluster = Cluster(tmp_path)
    yield cluster
    cluster.close()


def _rows(path: Path) -> pd.DataFrame:
    return pq.read_table(path).to_pandas() if path.is_file() else pd.concat(
        [pq.read_table(p).to_pandas() for p in sorted(path.glob("*.parquet"))], ignore_index=True)


def test_on_a_cluster_the_rows_are_those_of_one_machine(tmp_path, dask_cluster):
    registry = _registry(tmp_path / "registry", parts=4, rows=20_000)
    one = check_file(registry, tmp_path / "one.parquet")
    many = check_on_cluster(registry, tmp_path / "out", scheduler=dask_cluster.address)
    assert (many.rows, many.problems) == (one.rows, one.problems) == (80_000, one.problems)
    assert one.problems > 40_000  # outside, empty, swapped: each row with its sentence
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        f"part-{first:012d}.parquet" for first in range(0, 80_000, 20_000)]
    pd.testing.assert_frame_equal(_rows(tmp_path / "out"), _rows(tmp_path / "one.parquet"))
    # The two workers are still there after the run.
    from distributed import Client

    with Client(dask_cluster.address) as client:
        assert len(client.scheduler_info()["workers"]) == 2


def test_a_worker_killed_mid_run_is_survived(tmp_path, dask_cluster):
    registry = _registry(tmp_path / "registry", parts=12, rows=15_000, seed=22)
    check_file(registry, tmp_path / "one.parquet")
    killed = []

    def kill_one(done, rows, seconds) -> None:  # after the first part, a worker dies
        if not killed:
            dask_cluster.workers[0].send_signal(signal.SIGKILL)
            killed.append(rows)

    many = check_on_cluster(registry, tmp_path / "out.parquet", scheduler=dask_cluster.address,
                            progress=kill_one)
    assert killed and killed[0] < 180_000  # killed while parts were still to do
    assert dask_cluster.workers[0].wait(timeout=10) == -signal.SIGKILL
    assert many.rows == 180_000 and not many.unread
    pd.testing.assert_frame_equal(_rows(tmp_path / "out.parquet"), _rows(tmp_path / "one.parquet"))


def test_the_command_with_local_workers_writes_one_csv(tmp_path):
    registry = _registry(tmp_path / "registry", parts=2, rows=5_000, seed=23)
    done = subprocess.run([sys.executable, "-m", "layers.zonecheck", str(registry), "-o",
                           str(tmp_path / "out.csv"), "--workers", "2", "--lang", "zh"], cwd=ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "共 10,000 行" in done.stderr
    local = check_file(registry, tmp_path / "one.csv", lang="zh")
    assert (tmp_path / "out.csv").read_bytes() == (tmp_path / "one.csv").read_bytes()
    assert local.rows == 10_000


def test_a_csv_is_refused_on_a_cluster_with_what_to_do(tmp_path):
    (tmp_path / "in.csv").write_text("lon,lat\n120.2,30.2\n", "utf-8")
    done = subprocess.run([sys.executable, "-m", "layers.zonecheck", str(tmp_path / "in.csv"),
                           "-o", str(tmp_path / "out"), "--workers", "1"], cwd=ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 2
    assert "a cluster reads Parquet" in done.stderr and "-o table.parquet" in done.stderr
