"""web/kept.py: Streamlit's immutable front-end files answered again from memory, and nothing else."""

import asyncio
import re
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import streamlit

from web.kept import Kept

IMMUTABLE = [(b"content-type", b"text/javascript"), (b"content-length", b"6"),
             (b"cache-control", b"public, immutable, max-age=31536000")]


class App:
    """An ASGI app that answers each path as told and counts the requests that reach it."""

    def __init__(self, answers: dict[str, tuple[int, list, list[bytes]]]):
        self.answers = answers
        self.reached: list[str] = []
        self.bodies: list[bytes] = []

    async def __call__(self, scope, receive, send):
        self.reached.append(scope["path"])
        self.bodies.append((await receive())["body"])  # the request's, as the browser sent it
        if scope["path"] not in self.answers:  # the browser has gone: nothing is sent
            return
        status, headers, chunks = self.answers[scope["path"]]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        for i, chunk in enumerate(chunks):
            if chunk is None:  # the app stops here
                return
            await send({"type": "http.response.body", "body": chunk,
                        "more_body": i < len(chunks) - 1})


def run(coroutine) -> None:
    """asyncio.run in a thread of its own: the browser tests' Playwright holds a loop in this one."""
    with ThreadPoolExecutor(1) as thread:
        thread.submit(asyncio.run, coroutine).result()


def ask(app, path: str, method: str = "GET", headers=(), query: bytes = b"", request=b""):
    """The messages ``app`` sends for one request (with the body ``request``)."""
    sent = []

    async def send(message):
        sent.append(message)

    async def receive():
        return {"type": "http.request", "body": request, "more_body": False}

    scope = {"type": "http", "method": method, "path": path, "raw_path": path.encode(),
             "query_string": query, "headers": list(headers)}
    run(app(scope, receive, send))
    return sent


def body(sent) -> bytes:
    return b"".join(m.get("body", b"") for m in sent)


def test_an_immutable_file_is_asked_of_the_app_once_and_answered_the_same_again():
    inner = App({"/static/js/a.js": (200, IMMUTABLE, [b"abc", b"def"])})
    kept = Kept(inner)
    first = ask(kept, "/static/js/a.js")
    again = [ask(kept, "/static/js/a.js") for _ in range(3)]
    assert inner.reached == ["/static/js/a.js"]
    assert body(first) == b"abcdef"
    for sent in again:
        assert sent == first  # status, headers and body, chunk for chunk
    assert sent[0]["status"] == 200 and dict(sent[0]["headers"])[b"content-length"] == b"6"


def test_what_is_not_a_whole_immutable_file_always_goes_to_the_app():
    answers = {
        "/": (200, [(b"cache-control", b"no-cache")], [b"<html>"]),
        "/media/x.csv": (200, [(b"cache-control", b"no-cache")], [b"a,b"]),
        "/static/js/missing.js": (404, [(b"cache-control", b"public, immutable")], [b"no"]),
        "/static/js/gz.js": (200, IMMUTABLE + [(b"content-encoding", b"gzip")], [b"\x1f\x8b"]),
        "/static/js/cookie.js": (200, IMMUTABLE + [(b"set-cookie", b"a=1")], [b"abcdef"]),
        "/static/js/plain.js": (200, [(b"cache-control", b"public, max-age=60")], [b"abcdef"]),
        "/static/js/bare.js": (200, [(b"content-type", b"text/javascript")], [b"abcdef"]),
    }
    inner = App(answers)
    kept = Kept(inner)
    for _ in range(2):
        for path in answers:
            assert body(ask(kept, path)) == answers[path][2][0]
    assert inner.reached == list(answers) * 2


def test_a_part_a_conditional_or_another_method_goes_to_the_app_and_is_not_kept():
    inner = App({"/static/js/a.js": (200, IMMUTABLE, [b"abcdef"])})
    kept = Kept(inner)
    for name in (b"Range", b"If-Range", b"If-None-Match", b"If-Modified-Since"):
        ask(kept, "/static/js/a.js", headers=[(name.lower(), b"x")])
    ask(kept, "/static/js/a.js", method="HEAD")
    assert len(inner.reached) == 5 and kept.kept == {}
    ask(kept, "/static/js/a.js")
    ask(kept, "/static/js/a.js", headers=[(b"range", b"bytes=0-1")])  # still to the app
    ask(kept, "/static/js/a.js")
    assert len(inner.reached) == 7


def test_the_request_reaches_the_app_as_sent_and_a_file_not_answered_is_not_kept():
    inner = App({"/static/js/a.js": (200, IMMUTABLE, [b"abcdef"])})
    kept = Kept(inner)
    ask(kept, "/_stcore/upload_file/x", method="PUT", request=b"the uploaded list")
    ask(kept, "/static/js/a.js", request=b"")
    assert inner.bodies == [b"the uploaded list", b""]
    assert ask(kept, "/static/js/gone.js") == [] and ask(kept, "/static/js/gone.js") == []
    assert inner.reached[-2:] == ["/static/js/gone.js"] * 2 and kept.size == 6


def test_a_file_sent_in_part_is_not_kept():
    """The app stopped after the first of two parts (the browser left): the next browser gets
    the whole file from the app, and that one is kept."""
    inner = App({"/static/js/a.js": (200, IMMUTABLE, [b"abc", b"def"])})
    kept = Kept(inner)
    whole = inner.answers["/static/js/a.js"]
    inner.answers["/static/js/a.js"] = (200, IMMUTABLE, [b"abc", None])  # None: never sent
    assert body(ask(kept, "/static/js/a.js")) == b"abc"
    inner.answers["/static/js/a.js"] = whole
    assert [body(ask(kept, "/static/js/a.js")) for _ in range(2)] == [b"abcdef"] * 2
    assert len(inner.reached) == 2


def test_files_are_kept_until_the_limit_is_reached_exactly():
    files = {f"/{name}.js": (200, IMMUTABLE, [name.encode() * 6]) for name in "abc"}
    inner = App(files)
    kept = Kept(inner, limit=12)  # two 6-byte files fill it
    for _ in range(2):
        for path in files:
            assert body(ask(kept, path)) == files[path][2][0]
    assert inner.reached == ["/a.js", "/b.js", "/c.js", "/c.js"] and kept.size == 12


def test_each_address_is_its_own_and_the_memory_has_a_limit():
    inner = App({"/a.js": (200, IMMUTABLE, [b"abcdef"]), "/b.js": (200, IMMUTABLE, [b"ghijkl"])})
    kept = Kept(inner, limit=10)  # room for one 6-byte file, not two
    assert body(ask(kept, "/a.js", query=b"v=1")) == b"abcdef"
    assert body(ask(kept, "/a.js", query=b"v=2")) == b"abcdef"  # another address: asked again
    assert body(ask(kept, "/b.js")) == b"ghijkl"  # over the limit: not kept
    assert body(ask(kept, "/a.js", query=b"v=1")) == b"abcdef"
    assert body(ask(kept, "/b.js")) == b"ghijkl"
    assert inner.reached == ["/a.js", "/a.js", "/b.js", "/b.js"]
    assert kept.size == 6


def test_a_websocket_goes_to_the_app():
    reached = []

    async def inner(scope, receive, send):
        reached.append(scope["type"])

    async def nothing(*_):
        return None

    run(Kept(inner)({"type": "websocket", "path": "/_stcore/stream", "headers": []}, nothing,
                    nothing))
    assert reached == ["websocket"]


def test_the_running_app_sends_streamlits_own_files_as_they_are_on_disk(app_url):
    """Through serve.py, as ./scripts/run starts it: the front end's entry script, asked for
    three times, is each time byte for byte the file in the installed Streamlit package, with
    Streamlit's own caching header."""
    static = Path(streamlit.__file__).parent / "static"
    page = urllib.request.urlopen(app_url + "/", timeout=30).read().decode()
    script = re.search(r'src="\.?/?(static/js/index\.[^"]+\.js)"', page).group(1)
    on_disk = (static / script).read_bytes()
    for _ in range(3):
        with urllib.request.urlopen(f"{app_url}/{script}", timeout=30) as answer:
            assert answer.status == 200
            assert answer.read() == on_disk
            assert answer.headers["Cache-Control"] == "public, immutable, max-age=31536000"
            assert answer.headers["Content-Length"] == str(len(on_disk))
    with urllib.request.urlopen(app_url + "/", timeout=30) as answer:  # the page: never kept
        assert answer.headers["Cache-Control"] == "no-cache"
