"""The webhook server (``ADAL_WEBHOOK_URL``): Telegram's updates in, ``/healthz`` and
``/metrics`` out.

An update is accepted only with the secret token Telegram sends (else 403); a body that is not a
JSON object, or not an update, gets 400 and is logged without its content; a good one is queued
for the application and answered 200 at once. PTB's own webhook server answers a malformed body
with 500 and logs it whole, which is why the bot has its own.
"""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import Awaitable, Callable
from http import HTTPStatus
from typing import Any

import tornado.web
from telegram import Update
from tornado.httpserver import HTTPServer

from bot.telegram.types import App

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
HEALTH_PATH = "/healthz"
METRICS_PATH = "/metrics"
PROMETHEUS_TYPE = "text/plain; version=0.0.4; charset=utf-8"

Health = Callable[[], Awaitable[tuple[bool, dict[str, Any]]]]
Exposition = Callable[[], Awaitable[str]]


class _Updates(tornado.web.RequestHandler):
    """POST: one update from Telegram."""

    def initialize(self, bot_app: App, secret: str) -> None:
        """Tornado's per-request set-up."""
        self.bot_app = bot_app
        self.secret = secret

    async def post(self) -> None:
        """Check the secret, parse the update, queue it."""
        sent = self.request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(sent.encode(), self.secret.encode()):
            raise tornado.web.HTTPError(HTTPStatus.FORBIDDEN)
        try:
            data = json.loads(self.request.body)
        except ValueError:
            data = None
        if not isinstance(data, dict):
            log.warning("webhook: a body that is not a JSON object refused")
            raise tornado.web.HTTPError(HTTPStatus.BAD_REQUEST)
        try:
            update = Update.de_json(data, self.bot_app.bot)
        except Exception as exc:  # any way an object can fail to be an update
            log.warning("webhook: a body that is not an update refused (%s)", type(exc).__name__)
            raise tornado.web.HTTPError(HTTPStatus.BAD_REQUEST) from None
        await self.bot_app.update_queue.put(update)

    def log_exception(self, *args: Any) -> None:
        """No request is logged (it may hold a user's message); refusals are logged above."""


class _Health(tornado.web.RequestHandler):
    """GET: 200 and the checks when the service is healthy, 503 otherwise."""

    def initialize(self, health: Health) -> None:
        """Tornado's per-request set-up."""
        self.health = health

    async def get(self) -> None:
        """The health report as JSON."""
        ok, report = await self.health()
        self.set_status(HTTPStatus.OK if ok else HTTPStatus.SERVICE_UNAVAILABLE)
        self.write(report)


class _Metrics(tornado.web.RequestHandler):
    """GET: the counters in Prometheus' text format."""

    def initialize(self, exposition: Exposition) -> None:
        """Tornado's per-request set-up."""
        self.exposition = exposition

    async def get(self) -> None:
        """The counters."""
        self.set_header("Content-Type", PROMETHEUS_TYPE)
        self.write(await self.exposition())


class _Quiet(tornado.web.Application):
    def log_request(self, handler: tornado.web.RequestHandler) -> None:
        """No access log: a request line is not worth a log line per message."""


class WebhookServer:
    """Serves the webhook path, ``/healthz`` and ``/metrics`` on ``listen:port``."""

    def __init__(
        self,
        application: App,
        path: str,
        secret: str,
        health: Health,
        exposition: Exposition,
    ) -> None:
        routes: list[Any] = [
            (HEALTH_PATH, _Health, {"health": health}),
            (METRICS_PATH, _Metrics, {"exposition": exposition}),
            ("/" + path.strip("/"), _Updates, {"bot_app": application, "secret": secret}),
        ]
        self._server = HTTPServer(_Quiet(routes))

    def listen(self, port: int, address: str) -> None:
        """Start accepting requests (raises OSError when the port cannot be used)."""
        self._server.listen(port, address=address)

    async def close(self) -> None:
        """Stop accepting requests and close the open connections."""
        self._server.stop()
        await self._server.close_all_connections()
