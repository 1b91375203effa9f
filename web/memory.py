"""Memory the sessions freed goes back to the system, not kept by the server for ever.

A meeting room's twenty sessions are each run in a thread of their own. glibc's malloc gives
threads their own arenas (up to 8 a core) and keeps what is freed in them; measured with
bench/sessions_bench.py, the server held on to about 35 MB after the sessions closed, although
the Python objects they had made were gone (tracemalloc: 0.5 MB left). Here malloc keeps at most
two arenas and, when a planner's connection closes (Streamlit drops the sessions whose time is
past then), returns the free memory at once (malloc_trim). Where the C library is not glibc
(macOS, Windows, musl), nothing changes.
"""

from __future__ import annotations

import ctypes
import ctypes.util

M_ARENA_MAX = -8  # glibc's malloc.h


def _glibc():
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None)
        return libc if hasattr(libc, "malloc_trim") and hasattr(libc, "mallopt") else None
    except OSError:
        return None


_LIBC = _glibc()


def fewer_arenas(most: int = 2) -> bool:
    """Threads started from now on share at most ``most`` malloc arenas. True where done."""
    return bool(_LIBC and _LIBC.mallopt(M_ARENA_MAX, most))


def give_back() -> bool:
    """Free memory handed back to the system; True where some was."""
    return bool(_LIBC and _LIBC.malloc_trim(0))


class GiveBack:
    """ASGI middleware: after a websocket (a planner's connection to Streamlit) closes, the
    free memory goes back to the system."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        try:
            await self.app(scope, receive, send)
        finally:
            if scope["type"] == "websocket":
                give_back()
