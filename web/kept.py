"""Answers again from memory what the app has served once as immutable.

A meeting room opening the same link: each new browser asks for about a hundred of Streamlit's
own front-end files (scripts, styles, fonts), which Streamlit reads from disk through its whole
stack of middleware, about 1.4 ms of server time each. Streamlit marks these files
``Cache-Control: public, immutable``: the same bytes for everyone, forever. They are kept here
as Streamlit sent them, status, headers and body, and sent again as they are.
"""

from __future__ import annotations

MB = 1024 * 1024
# A request with any of these asks for something other than the whole file as first sent.
_CONDITIONAL = {b"range", b"if-range", b"if-none-match", b"if-modified-since"}


class Kept:
    """ASGI middleware: the answer to a GET that came back 200, immutable, not encoded and
    setting no cookie is kept, up to ``limit`` bytes in all, and is the answer to the next GET
    of the same address. Anything else goes to the app."""

    def __init__(self, app, limit: int = 64 * MB):
        self.app = app
        self.limit = limit
        self.kept: dict[tuple[str, bytes], list[dict]] = {}
        self.size = 0

    async def __call__(self, scope, receive, send) -> None:
        if not _whole_get(scope):
            await self.app(scope, receive, send)
            return
        address = scope["path"], scope["query_string"]
        if address in self.kept:
            for message in self.kept[address]:
                await send(message)
            return
        sent: list[dict] = []

        async def send_and_note(message: dict) -> None:
            sent.append(message)
            await send(message)

        await self.app(scope, receive, send_and_note)
        size = sum(len(message.get("body", b"")) for message in sent)
        if _immutable(sent) and self.size + size <= self.limit:
            self.kept[address] = sent
            self.size += size


def _whole_get(scope) -> bool:
    return (scope["type"] == "http" and scope["method"] == "GET"
            and not any(name.lower() in _CONDITIONAL for name, _ in scope["headers"]))


def _immutable(sent: list[dict]) -> bool:
    """Is ``sent``, the response's start then its body, a whole immutable file?"""
    if not sent or sent[0]["status"] != 200 or sent[-1].get("more_body", False):
        return False  # nothing sent, or not all of it: the browser left
    headers = {name.lower(): value for name, value in sent[0]["headers"]}
    return (b"immutable" in headers.get(b"cache-control", b"").lower()
            and b"content-encoding" not in headers and b"set-cookie" not in headers)
