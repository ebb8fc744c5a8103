"""A real headless Chromium for pages a person looks at: DOM, screenshot, and every request.

Debian's ``chromium`` (``scripts/test.sh`` installs it when missing); without it the tests
skip with the reason, except under ``CI=true`` where they fail. The browser is driven over
``--remote-debugging-pipe`` (the DevTools protocol on file descriptors 3 and 4, no port and no
extra package): the page's own target is watched with ``Network.enable``, so every request
the page makes (or tries to make) is seen, while the browser's own background traffic
(component updates, sign-in), which is not the page's, is not mistaken for it.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import selectors
import shutil
import subprocess
import tempfile
import time
import zlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from pathlib import Path

TIMEOUT = 60.0
"""Seconds a browser step may take before the test fails (bounds a failure only)."""


def chromium_binary() -> str:
    """Chromium's path; skip without it, except in CI where it must exist."""
    for name in ("chromium", "chromium-browser"):
        if found := shutil.which(name):
            return found
    message = "chromium is not installed (Debian: apt-get install -y chromium)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true, so this is required: {message}", pytrace=False)
    pytest.skip(message)
    raise AssertionError  # unreachable: skip raises


@dataclass
class Rendered:
    """What the browser made of a page."""

    dom: str
    """``document.documentElement.outerHTML`` after the page's script ran."""
    png: bytes
    requests: list[str] = field(default_factory=list)
    """Every URL the page requested, the page itself included."""


class _Pipe:
    """The DevTools protocol over Chromium's pipe: NUL-terminated JSON messages."""

    def __init__(self, process: subprocess.Popen[bytes], write_fd: int, read_fd: int) -> None:
        self.process, self.write_fd, self.read_fd = process, write_fd, read_fd
        self.buffer = b""
        self.events: list[dict[str, Any]] = []
        self.next_id = 0
        self.selector = selectors.DefaultSelector()
        self.selector.register(read_fd, selectors.EVENT_READ)

    def _message(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not self.selector.select(left):
                raise AssertionError("chromium did not answer in time")
            chunk = os.read(self.read_fd, 1 << 20)
            if not chunk:
                raise AssertionError("chromium closed its pipe")
            self.buffer += chunk
        raw, self.buffer = self.buffer.split(b"\0", 1)
        message: dict[str, Any] = json.loads(raw)
        return message

    def call(self, method: str, session: str | None = None, **params: Any) -> dict[str, Any]:
        self.next_id += 1
        message: dict[str, Any] = {"id": self.next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self.write_fd, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + TIMEOUT
        while True:
            answer = self._message(deadline)
            if answer.get("id") == self.next_id:
                if "error" in answer:
                    raise AssertionError(f"{method}: {answer['error']}")
                result: dict[str, Any] = answer.get("result", {})
                return result
            self.events.append(answer)

    def wait_for(self, method: str) -> dict[str, Any]:
        deadline = time.monotonic() + TIMEOUT
        for index, event in enumerate(self.events):
            if event.get("method") == method:
                return self.events.pop(index)
        while True:
            event = self._message(deadline)
            if event.get("method") == method:
                return event
            self.events.append(event)


def _high(pair: tuple[int, int]) -> tuple[int, int]:
    """The pipe's ends moved above 9, so that neither is 3 or 4 (the child's protocol fds)."""
    moved = (
        fcntl.fcntl(pair[0], fcntl.F_DUPFD_CLOEXEC, 10),
        fcntl.fcntl(pair[1], fcntl.F_DUPFD_CLOEXEC, 10),
    )
    os.close(pair[0])
    os.close(pair[1])
    return moved


def render(url: str, *, width: int = 1200, height: int = 1600) -> Rendered:
    """Open ``url`` in a fresh headless Chromium; its DOM, a screenshot and its requests."""
    binary = chromium_binary()
    to_browser_r, to_browser_w = _high(os.pipe())
    from_browser_r, from_browser_w = _high(os.pipe())
    profile = tempfile.mkdtemp(prefix="report-chromium-")
    args = [
        "--headless",
        "--remote-debugging-pipe",
        f"--user-data-dir={profile}",
        "--disable-gpu",
        "--no-first-run",
        "--hide-scrollbars",
        "--disable-extensions",
        "--disable-background-networking",
        *(["--no-sandbox"] if os.geteuid() == 0 else []),  # root has no user namespace sandbox
        "about:blank",
    ]

    # The protocol's fixed descriptors, 3 (commands in) and 4 (replies out), set by bash.
    redirect = f'exec "$0" "$@" 3<&{to_browser_r} 4>&{from_browser_w} {to_browser_r}<&- {from_browser_w}>&-'
    process = subprocess.Popen(
        ["bash", "-c", redirect, binary, *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        pass_fds=(to_browser_r, from_browser_w),
    )
    os.close(to_browser_r)
    os.close(from_browser_w)
    pipe = _Pipe(process, to_browser_w, from_browser_r)
    try:
        target = pipe.call("Target.createTarget", url="about:blank")["targetId"]
        session = pipe.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        pipe.call("Network.enable", session)
        pipe.call("Page.enable", session)
        pipe.call(
            "Emulation.setDeviceMetricsOverride",
            session,
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=False,
        )
        pipe.call("Page.navigate", session, url=url)
        pipe.wait_for("Page.loadEventFired")
        dom = pipe.call(
            "Runtime.evaluate",
            session,
            expression="document.documentElement.outerHTML",
            returnByValue=True,
        )["result"]["value"]
        png = base64.b64decode(pipe.call("Page.captureScreenshot", session, format="png")["data"])
        requests = [
            str(e["params"]["request"]["url"])
            for e in pipe.events
            if e.get("method") == "Network.requestWillBeSent"
        ]
        return Rendered(str(dom), png, requests)
    finally:
        process.kill()
        process.wait(timeout=TIMEOUT)
        os.close(to_browser_w)
        os.close(from_browser_r)
        shutil.rmtree(profile, ignore_errors=True)


def png_pixels(png: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and the RGB(A) rows of an 8-bit PNG (what Chromium writes)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    position, idat = 8, b""
    width = height = channels = 0
    while position < len(png):
        length = int.from_bytes(png[position : position + 4], "big")
        kind = png[position + 4 : position + 8]
        data = png[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            width, height = int.from_bytes(data[:4], "big"), int.from_bytes(data[4:8], "big")
            assert data[8] == 8, "only 8-bit PNGs"
            channels = {2: 3, 6: 4}[data[9]]
        elif kind == b"IDAT":
            idat += data
        position += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    rows: list[bytes] = []
    previous = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        method, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for x in range(stride):
            left = line[x - channels] if x >= channels else 0
            up = previous[x]
            corner = previous[x - channels] if x >= channels else 0
            if method == 1:
                line[x] = (line[x] + left) & 0xFF
            elif method == 2:
                line[x] = (line[x] + up) & 0xFF
            elif method == 3:
                line[x] = (line[x] + (left + up) // 2) & 0xFF
            elif method == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[x] = (
                    line[x] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)
                ) & 0xFF
        rows.append(bytes(line))
        previous = line
    return width, height, rows


def save(png: bytes, path: Path) -> None:
    path.write_bytes(png)
