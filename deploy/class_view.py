"""The trainer's class view: a JupyterHub service at ``/services/class-view/``.

Every learner with the lesson reached, the checklist N/5, last activity, whether their server
and sandbox are up; the page refreshes itself every 15 s. Read-only (GET only). Only hub admins
(the trainers) get in: the hub's OAuth lets a user through only with
``access:services!service=class-view`` (admins have ``access:services``, learners do not), and
the page checks the user's ``admin`` flag with the hub once more. ``.../api/rows`` gives the same
rows as JSON.

The hub starts it (``deploy/jupyterhub_config.py``) as root, which is what lets it read the
learners' 0600 progress files (``deploy/class_data.py``).
"""

from __future__ import annotations

import html
import json
import os
from urllib.parse import urlparse

from jupyterhub.services.auth import HubOAuthCallbackHandler, HubOAuthenticated
from jupyterhub.utils import url_path_join
from tornado import web
from tornado.httpclient import AsyncHTTPClient, HTTPRequest
from tornado.ioloop import IOLoop

from deploy.class_data import LESSONS, class_rows

REFRESH_S = 15


async def hub_get(path: str) -> object:
    """GET the hub's API with this service's own token (read-only scopes)."""
    request = HTTPRequest(
        url_path_join(os.environ["JUPYTERHUB_API_URL"], path),
        headers={"Authorization": f"token {os.environ['JUPYTERHUB_API_TOKEN']}"},
    )
    response = await AsyncHTTPClient().fetch(request)
    return json.loads(response.body)


class TrainerOnly(HubOAuthenticated, web.RequestHandler):
    async def trainer(self) -> str:
        user = self.current_user
        if not user:
            raise web.HTTPError(403)
        model = await hub_get(f"/users/{user['name']}")
        if not isinstance(model, dict) or not model.get("admin"):
            raise web.HTTPError(403, "The class view is for the workshop's trainers.")
        return user["name"]

    async def rows(self) -> list:
        users = await hub_get("/users")
        return class_rows(users if isinstance(users, list) else [], set())


class RowsHandler(TrainerOnly):
    @web.authenticated
    async def get(self) -> None:
        await self.trainer()
        self.set_header("Content-Type", "application/json")
        self.set_header("Cache-Control", "no-store")
        self.write(json.dumps([row.as_dict() for row in await self.rows()]))


class PageHandler(TrainerOnly):
    @web.authenticated
    async def get(self) -> None:
        trainer = await self.trainer()
        rows = await self.rows()
        self.set_header("Cache-Control", "no-store")
        self.write(render(rows, trainer))


def _cell(value: object) -> str:
    return f"<td>{html.escape('—' if value is None else str(value))}</td>"


def render(rows: list, trainer: str) -> str:
    done = sum(1 for row in rows if row.checklist == 5)
    lines = [
        "<!doctype html><html><head><meta charset='utf-8'>",
        f"<meta http-equiv='refresh' content='{REFRESH_S}'>",
        "<title>Class view · aws-mfa-tutorial</title>",
        "<style>body{font-family:sans-serif;margin:2em}td,th{padding:.3em .8em;"
        "border-bottom:1px solid #ddd;text-align:left}.up{color:#1a7f37}.down{color:#cf222e}"
        "</style></head><body>",
        f"<h1>Class view</h1><p>{len(rows)} learners, {done} at 5/5. "
        f"Signed in as {html.escape(trainer)}; refreshes every {REFRESH_S} s.</p>",
        "<table><tr><th>learner</th><th>lesson</th><th>checklist</th>"
        "<th>last activity</th><th>server</th><th>sandbox</th></tr>",
    ]
    for row in rows:
        lesson = None if row.lesson is None else f"{row.lesson:02d} of {LESSONS - 1:02d}"
        checklist = None if row.checklist is None else f"{row.checklist}/5"
        server = "<td class='up'>up</td>" if row.server else "<td class='down'>stopped</td>"
        sandbox = "<td class='up'>up</td>" if row.sandbox else "<td class='down'>down</td>"
        lines.append(
            f"<tr>{_cell(row.name)}{_cell(lesson)}{_cell(checklist)}"
            f"{_cell(row.last_activity)}{server}{sandbox}</tr>"
        )
    lines.append("</table></body></html>")
    return "\n".join(lines)


def make_app() -> web.Application:
    prefix = os.environ["JUPYTERHUB_SERVICE_PREFIX"]
    return web.Application(
        [
            (prefix, PageHandler),
            (url_path_join(prefix, "api/rows"), RowsHandler),
            (url_path_join(prefix, "oauth_callback"), HubOAuthCallbackHandler),
        ],
        cookie_secret=os.urandom(32),
    )


def main() -> None:
    url = urlparse(os.environ["JUPYTERHUB_SERVICE_URL"])
    make_app().listen(url.port, url.hostname)
    IOLoop.current().start()


if __name__ == "__main__":
    main()
