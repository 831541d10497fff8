"""Drive a hub and learners' Jupyter servers as a browser does, through their REST and kernel
(websocket) APIs: used by the workshop tests and ``benchmarks/bench_workshop.py``.

    hub = HubClient("http://127.0.0.1:8000", admin_token)
    await hub.create_user("ada"); await hub.start_server("ada")
    server = ServerClient.on_hub(hub.url, "ada", await hub.user_token("ada"))
    outputs = await server.run_notebook("aws-mfa-tutorial/00_start_here.ipynb")
"""

from __future__ import annotations

import asyncio
import http.cookiejar
import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from typing import Any

from tornado.httpclient import AsyncHTTPClient, HTTPClientError, HTTPRequest
from tornado.websocket import websocket_connect

REQUEST_TIMEOUT_S = 120.0
MAX_RECONNECTS = 3


class HubError(RuntimeError):
    pass


async def _request(method: str, url: str, token: str, body: Any = None, ok=(200, 201, 202, 204)):
    request = HTTPRequest(
        url,
        method=method,
        headers={"Authorization": f"token {token}", "Content-Type": "application/json"},
        body=None if body is None and method in ("GET", "DELETE") else json.dumps(body or {}),
        connect_timeout=REQUEST_TIMEOUT_S,  # tornado's default, 20 s, is short for a busy hub
        request_timeout=REQUEST_TIMEOUT_S,
        allow_nonstandard_methods=True,
    )
    try:
        response = await AsyncHTTPClient().fetch(request, raise_error=False)
    except HTTPClientError as error:  # pragma: no cover - raise_error=False
        raise HubError(str(error)) from error
    if response.code not in ok:
        raise HubError(f"{method} {url}: HTTP {response.code} {response.body[:300]!r}")
    return json.loads(response.body) if response.body else None


@dataclass
class HubClient:
    url: str  # the proxy's public URL, e.g. http://127.0.0.1:8000
    token: str  # an admin service's token

    def api(self, path: str) -> str:
        return f"{self.url}/hub/api{path}"

    async def create_user(self, name: str) -> None:
        await _request("POST", self.api(f"/users/{name}"), self.token, {}, ok=(201, 409))

    async def delete_user(self, name: str) -> None:
        await _request("DELETE", self.api(f"/users/{name}"), self.token, ok=(204, 404))

    async def user(self, name: str) -> dict:
        return await _request("GET", self.api(f"/users/{name}"), self.token)

    async def start_server(self, name: str, timeout_s: float = 180.0) -> float:
        """Spawn the learner's server and wait until it is ready; the seconds it took."""
        started = time.monotonic()
        await _request("POST", self.api(f"/users/{name}/server"), self.token, {}, ok=(201, 202))
        idle_polls = 0
        while time.monotonic() - started < timeout_s:
            model = await self.user(name)
            server = model.get("servers", {}).get("", {})
            if server.get("ready"):
                return time.monotonic() - started
            # Neither pending nor there, several times in a row: the spawn failed.
            idle_polls = 0 if model.get("pending") or server else idle_polls + 1
            if idle_polls >= 8:
                raise HubError(f"{name}'s server did not start (the hub's log says why)")
            await asyncio.sleep(0.25)
        raise HubError(f"{name}'s server was not ready after {timeout_s:.0f} s")

    async def stop_server(self, name: str, timeout_s: float = 60.0) -> None:
        await _request("DELETE", self.api(f"/users/{name}/server"), self.token, ok=(202, 204))
        started = time.monotonic()
        while time.monotonic() - started < timeout_s:
            model = await self.user(name)
            if not model.get("servers") and not model.get("pending"):
                return
            await asyncio.sleep(0.25)
        raise HubError(f"{name}'s server did not stop")

    async def user_token(self, name: str) -> str:
        """A token for the learner, as their login would give the browser."""
        body = {"note": "workshop test", "expires_in": 3600}
        answer = await _request("POST", self.api(f"/users/{name}/tokens"), self.token, body)
        return answer["token"]


@dataclass
class Browser:
    """A browser's cookies and redirects, for the pages a learner opens: the hub's log-in form
    (PAM checks the password), then their server's pages through the hub's OAuth."""

    hub_url: str
    cookies: http.cookiejar.CookieJar = field(default_factory=http.cookiejar.CookieJar)

    def open(self, path: str, form: dict[str, str] | None = None) -> tuple[int, str, str]:
        """GET ``path`` (or POST ``form``), following redirects: status, final URL, page."""
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        try:
            with opener.open(self.hub_url + path, data, timeout=REQUEST_TIMEOUT_S) as answer:
                return answer.status, answer.url, answer.read().decode(errors="replace")
        except urllib.error.HTTPError as error:
            return error.code, error.url, error.read().decode(errors="replace")

    def log_in(self, name: str, password: str) -> tuple[int, str]:
        """Fill in and send the hub's log-in form; status and final URL (a successful log-in
        goes on to spawn the learner's server, as in a browser)."""
        _, _, page = self.open("/hub/login")
        xsrf = re.search(r'name="_xsrf"\s+value="([^"]+)"', page)
        form = {"username": name, "password": password, "_xsrf": xsrf.group(1) if xsrf else ""}
        status, url, _ = self.open("/hub/login", form)
        return status, url


@dataclass
class CellRun:
    source: str
    outputs: list[dict] = field(default_factory=list)
    status: str = "ok"

    def text(self) -> str:
        parts = []
        for output in self.outputs:
            if output.get("output_type") == "stream":
                parts.append(output.get("text", ""))
            elif "data" in output:
                parts.append(output["data"].get("text/plain", ""))
            elif output.get("output_type") == "error":
                parts.append(f"{output.get('ename')}: {output.get('evalue')}")
        return "".join(parts)


@dataclass
class ServerClient:
    base_url: str  # the learner's server: {hub}/user/{name}, or a plain server's root URL
    token: str

    @classmethod
    def on_hub(cls, hub_url: str, user: str, token: str) -> ServerClient:
        return cls(f"{hub_url}/user/{user}", token)

    def api(self, path: str) -> str:
        return f"{self.base_url}/api{path}"

    async def _connect(self, kernel_id: str) -> Any:
        url = self.api(f"/kernels/{kernel_id}/channels").replace("http", "ws", 1)
        request = HTTPRequest(
            url,
            headers={"Authorization": f"token {self.token}"},
            connect_timeout=REQUEST_TIMEOUT_S,
            request_timeout=REQUEST_TIMEOUT_S,
        )
        return await websocket_connect(request)

    async def notebook(self, path: str) -> dict:
        model = await _request("GET", self.api(f"/contents/{path}?content=1"), self.token)
        return model["content"]

    async def run_notebook(
        self, path: str, cell_timeout_s: float = 120.0, keep_open: bool = False
    ) -> list[CellRun]:
        """Open the notebook in a new session (kernel) and run all its code cells in order,
        stopping at the first error, as Run All does; then shut the session down (unless
        ``keep_open``: a tab left open in Lab keeps its kernel)."""
        notebook = await self.notebook(path)
        body = {"path": path, "type": "notebook", "name": path, "kernel": {"name": "python3"}}
        session = await _request("POST", self.api("/sessions"), self.token, body)
        kernel_id = session["kernel"]["id"]
        runs: list[CellRun] = []
        try:
            socket = await self._connect(kernel_id)
            try:
                cells = [c for c in notebook["cells"] if c["cell_type"] == "code"]
                reconnects = 0
                index = 0
                while index < len(cells):
                    source = cells[index]["source"]
                    source = "".join(source) if isinstance(source, list) else source
                    run = await _execute(socket, source, cell_timeout_s)
                    if run.status == "closed" and index == 0 and reconnects < MAX_RECONNECTS:
                        # The server closes a new kernel's socket when the kernel is slow to
                        # answer its first message (a busy host); Lab connects again, so do we.
                        reconnects += 1
                        socket.close()
                        socket = await self._connect(kernel_id)
                        continue
                    runs.append(run)
                    if run.status != "ok":
                        break
                    index += 1
            finally:
                socket.close()
        finally:
            if not keep_open:
                await _request(
                    "DELETE", self.api(f"/sessions/{session['id']}"), self.token, ok=(204, 404)
                )
        return runs


async def _execute(socket: Any, source: str, timeout_s: float) -> CellRun:
    msg_id = uuid.uuid4().hex
    message = {
        "header": {
            "msg_id": msg_id,
            "username": "learner",
            "session": uuid.uuid4().hex,
            "msg_type": "execute_request",
            "version": "5.3",
        },
        "parent_header": {},
        "metadata": {},
        "content": {
            "code": source,
            "silent": False,
            "store_history": True,
            "user_expressions": {},
            "allow_stdin": False,
            "stop_on_error": True,
        },
        "channel": "shell",
        "buffers": [],
    }
    await socket.write_message(json.dumps(message))
    run = CellRun(source)
    replied = idle = False
    deadline = time.monotonic() + timeout_s
    while not (replied and idle):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            run.status = "timeout"
            return run
        raw = await asyncio.wait_for(socket.read_message(), remaining)
        if raw is None:
            run.status = "closed"
            return run
        if isinstance(raw, bytes):
            continue  # binary frames: widget buffers
        reply = json.loads(raw)
        if reply.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        kind = reply["header"]["msg_type"]
        content = reply["content"]
        if kind in ("stream", "execute_result", "display_data", "error"):
            run.outputs.append({"output_type": kind, **content})
        elif kind == "execute_reply":
            replied = True
            run.status = content.get("status", "error")
        elif kind == "status" and content.get("execution_state") == "idle":
            idle = True
    return run
