"""The process-wide parts are built once, whichever thread asks first."""

import threading
from concurrent.futures import ThreadPoolExecutor

from jobsearch_mcp_server.runtime import Runtime


def test_threads_asking_at_once_share_one_search_service(settings):
    runtime = Runtime(settings)
    try:
        start = threading.Barrier(8)

        def ask(_: int) -> int:
            start.wait()
            return id(runtime.search)

        with ThreadPoolExecutor(8) as pool:
            ids = set(pool.map(ask, range(8)))
        assert ids == {id(runtime.search)}
    finally:
        runtime.close()
