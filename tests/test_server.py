"""The shared loopback server: loopback only, a request log, ETags, and gates that hold responses."""

from __future__ import annotations

import threading
import urllib.error
import urllib.request
from typing import TYPE_CHECKING

import pytest

from crawler.localsite.server import SiteServer, serve

if TYPE_CHECKING:
    from pathlib import Path


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, bytes, str | None]:
    request = urllib.request.Request(url, headers=headers or {})
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(request, timeout=60) as response:
            return response.status, response.read(), response.headers.get("ETag")
    except urllib.error.HTTPError as error:
        return error.code, b"", error.headers.get("ETag")


def test_only_loopback_addresses_are_served(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="loopback"):
        SiteServer(tmp_path, host="192.0.2.1")


def test_files_come_with_validators_and_every_request_is_logged(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text("<p>hello</p>", encoding="utf-8")
    with SiteServer(tmp_path) as server:
        status, body, etag = fetch(server.url("a.html?x=1"))
        assert (status, body) == (200, b"<p>hello</p>")
        assert etag
        assert fetch(server.url("a.html"), {"If-None-Match": etag})[0] == 304
        assert server.paths() == ["/a.html", "/a.html"]
        assert server.log[1][2]["If-None-Match"] == etag


def test_a_gate_holds_responses_until_it_lets_them_through(tmp_path: Path) -> None:
    for name in ("one", "two"):
        (tmp_path / f"{name}.html").write_text(name, encoding="utf-8")
    server, base = serve(tmp_path)
    gate = server.gate("/")
    gate.allow(1)
    done: list[bytes] = []
    one_done = threading.Event()

    def get(name: str) -> None:
        done.append(fetch(f"{base}/{name}.html")[1])
        one_done.set()

    threads = [threading.Thread(target=get, args=(n,)) for n in ("one", "two")]
    try:
        for thread in threads:
            thread.start()
        assert server.wait_for(lambda paths: len(paths) == 2, timeout=60)
        assert one_done.wait(60)
        assert len(done) == 1  # the other one waits at the gate, however long this takes
        gate.open()
        for thread in threads:
            thread.join(60)
        assert sorted(done) == [b"one", b"two"]
    finally:
        server.close()
