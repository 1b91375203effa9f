"""web/memory.py: what the server's threads freed goes back to the system (glibc).

Each case runs in a fresh Python process, measured from outside the code under test: the
process's resident memory (psutil) and the arenas glibc itself reports (malloc_stats)."""

import ctypes
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.skipif(not hasattr(ctypes.CDLL(None), "malloc_trim"),
                                reason="glibc's malloc only")

# A thread makes 200 MB in 4 kB pieces (malloc's, not Python's small-object allocator) and
# keeps one in a hundred: freed, the rest stays with malloc, between the pieces kept.
FREED_IN_A_THREAD = """
import asyncio, sys, threading, psutil
sys.path.insert(0, {root!r})
from web.memory import GiveBack, give_back
kept = []
def work():
    made = [bytearray(4000) for _ in range(50_000)]
    kept.extend(made[::100])
rss = lambda: psutil.Process().memory_info().rss // 2**20
async def connection(scope, receive, send):
    thread = threading.Thread(target=work); thread.start(); thread.join()
    print(rss())
async def nothing(*_):
    return None
asyncio.run(GiveBack(connection)({{"type": {kind!r}}}, nothing, nothing))
print(rss())
"""

ARENAS = """
import ctypes, sys, threading
sys.path.insert(0, {root!r})
from web.memory import fewer_arenas
{call}
together = threading.Barrier(8)
def work():
    held = [bytearray(4000) for _ in range(1000)]
    together.wait()
threads = [threading.Thread(target=work) for _ in range(8)]
for thread in threads: thread.start()
for thread in threads: thread.join()
ctypes.CDLL(None).malloc_stats()
"""


def _run(script: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120, check=True)


def _rss_before_and_after(kind: str) -> tuple[int, int]:
    out = _run(FREED_IN_A_THREAD.format(root=str(ROOT), kind=kind)).stdout.split()
    return int(out[0]), int(out[1])


def test_when_a_websocket_closes_the_memory_freed_in_a_thread_goes_back():
    held, after = _rss_before_and_after("websocket")
    assert held > 150  # MB: freed, yet still the process's
    assert held - after > 150


def test_an_http_request_leaves_malloc_alone():
    held, after = _rss_before_and_after("http")
    assert held > 150 and held - after < 20


@pytest.mark.parametrize(("call", "most"), [("fewer_arenas()", 2), ("fewer_arenas(3)", 3),
                                            ("", 8)])
def test_threads_share_as_few_arenas_as_told(call, most):
    """Eight threads at once: glibc gives them arenas of their own (up to 8 a core) unless told
    fewer (two by default); malloc_stats lists each arena."""
    report = _run(ARENAS.format(root=str(ROOT), call=call)).stderr
    arenas = report.count("Arena ")
    assert arenas <= most if call else arenas > 2
