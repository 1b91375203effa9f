"""Work over the partitions of a Parquet dataset on a Dask cluster (dask.distributed): each
task reads its own partition from storage every worker can read, and writes its own part of
the output; what all tasks share (a zone index) is sent to each worker once. Knows nothing of
the plan.

    with cluster(scheduler="tcp://host:8786") as client:      # or workers=2: a local cluster
        for part, outcome in run(client, work, partitions(path), shared):
            ...                                                # outcome: a result, or the error

A worker lost mid-run (killed, out of memory, its machine gone) is survived: the scheduler runs
its tasks again on the others, and a part is written whole then renamed, so a task run twice
leaves one complete part.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

ROWS_PER_PART = 1_000_000  # rows a task reads and writes (row groups are never split)


@dataclass(frozen=True)
class Partition:
    """Row groups of one Parquet file, read by one task."""

    file: str
    row_groups: tuple[int, ...]
    rows: int
    first: int  # the place of its first row in the whole dataset, from 0
    name: str  # the output part's name, in the order of the input

    def read(self) -> pa.Table:
        return pq.ParquetFile(self.file, pre_buffer=False).read_row_groups(list(self.row_groups))


def partitions(path, rows_per_part: int = ROWS_PER_PART):
    """The partitions of a Parquet file or folder of parts (files in name order, their row
    groups grouped into tasks of about ``rows_per_part`` rows), and the files that cannot be
    read, with why: [(name, reason)]."""
    path = Path(path)
    files = (sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith((".", "_")))
             if path.is_dir() else [path])
    found, unread, first = [], [], 0
    for file in files:
        name = str(file.relative_to(path)) if path.is_dir() else file.name
        try:
            meta = pq.read_metadata(file)
        except (pa.ArrowException, OSError) as err:
            unread.append((name, f"not a readable Parquet file ({err})"))
            continue
        groups: list[int] = []
        rows = 0
        for i in range(meta.num_row_groups):
            groups.append(i)
            rows += meta.row_group(i).num_rows
            if rows >= rows_per_part or i == meta.num_row_groups - 1:
                found.append(Partition(str(file.resolve()), tuple(groups), rows, first,
                                       f"part-{first:012d}"))
                first += rows
                groups, rows = [], 0
    return found, unread


@contextlib.contextmanager
def cluster(scheduler: str | None = None, workers: int | None = None):
    """A client of the scheduler at ``scheduler`` (tcp://host:8786), or of a cluster of
    ``workers`` local processes (one thread each) started for the run and closed after it.
    ConnectionError when the scheduler cannot be reached."""
    import logging
    import warnings

    from distributed import Client, LocalCluster

    if scheduler:
        try:
            client = Client(scheduler, timeout="20s")
        except (OSError, TimeoutError) as err:
            raise ConnectionError(f"cannot reach the Dask scheduler at {scheduler} "
                                  f"({' '.join(str(err).split())})") from err
        with client:
            yield client
        return
    if not workers or workers < 1:
        raise ValueError(f"{workers} workers: give 1 or more")
    with warnings.catch_warnings():  # "port 8787 in use": no dashboard is started here
        warnings.simplefilter("ignore", UserWarning)
        local = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                             dashboard_address=None, silence_logs=logging.CRITICAL)
    with local, Client(local) as client:
        yield client


def run(client, work, parts: list[Partition], shared, progress=None):
    """``work(part, shared)`` for every part, on the cluster; yields (part, result) as they end,
    the result being the exception when a part failed. ``shared`` goes to each worker once.
    ``progress(part, result)`` is called as each ends."""
    from distributed import as_completed

    if not parts:
        return
    on_workers = client.scatter(shared, broadcast=True, hash=False)
    futures = {client.submit(work, part, on_workers, pure=False): part for part in parts}
    for future in as_completed(futures):
        part = futures[future]
        try:
            outcome = future.result()
        except Exception as err:  # noqa: BLE001 - a part that failed: named, the rest go on
            outcome = err
        if progress:
            progress(part, outcome)
        yield part, outcome
