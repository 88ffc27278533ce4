"""The Dask runner: the same two stages mapped over a ``dask.distributed`` cluster (a back-fill of millions of
articles). Only the per-document stages run on the cluster; this process reads the inputs, triages, and writes in
input order, so the store is the one a serial ``add`` of the same inputs makes.

    local        a cluster of one process per core on this machine
    local:N      N worker processes on this machine
    tcp://H:P    an existing scheduler (``dask scheduler`` + ``dask worker tcp://H:P`` on each machine; every
                 worker needs crosswire installed, the inputs need only be readable here; docs/scale-out.md)

A chunk that fails on the cluster, whether a stage raised or its worker died, is reported and sent again by the
``Runner`` (``retries`` times). On a local cluster the scheduler is told not to re-run a lost worker's chunks on its
own (``allowed-failures`` 0), so that every loss is reported; a remote scheduler keeps its own setting.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from crosswire.errors import ConfigError
from crosswire.pipeline.runner import ChunkProgress, Runner

CONNECT_TIMEOUT_S = 30  # a scheduler that does not answer in this time is reported, not waited on for ever


@contextmanager
def dask_runner(address: str, retries: int = 2, progress: ChunkProgress | None = None) -> Iterator[Runner]:
    """A ``Runner`` on the Dask cluster at ``address`` (``local``, ``local:N`` or a scheduler URL); ``progress``
    hears of each chunk as it is sent, finished or retried on the cluster."""
    try:
        import dask
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise ConfigError("--dask needs Dask: pip install 'crosswire[dask]'") from exc
    cluster = None
    if address == "local" or address.startswith("local:"):
        count = address.partition(":")[2]
        if count and not count.isdigit():
            raise ConfigError(f"--dask {address!r}: expected local, local:N or tcp://HOST:PORT")
        workers = int(count or os.cpu_count() or 1)
        with dask.config.set({"distributed.scheduler.allowed-failures": 0}):
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(cluster)
    elif "://" in address:
        try:
            client = Client(address, timeout=CONNECT_TIMEOUT_S)
        except OSError as exc:
            raise ConfigError(f"--dask {address!r}: no scheduler answered ({exc})") from exc
    else:
        raise ConfigError(f"--dask {address!r}: expected local, local:N or tcp://HOST:PORT")
    try:
        threads = sum(client.nthreads().values()) or 1
        with Runner(threads, client=client, retries=retries, progress=progress) as runner:
            yield runner
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
