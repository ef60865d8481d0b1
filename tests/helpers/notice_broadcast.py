"""A broadcast of one notice through the real sender and a real PTB bot, for tests and the bench.

Run as a script it is the process the fault tests kill, stop and start twice::

    python tests/helpers/notice_broadcast.py --db adal.db --knowledge kb --api-url URL --token T

Like the bot, it takes the database's lease first (waiting as a standby while another process
holds it) and keeps it renewed; then it enqueues the due notices (only once, whatever the
restarts), drains the outbox (SIGTERM: the calls under way finish, nothing new starts), gives
the lease up and prints one JSON line with the drain's figures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import sys
from collections.abc import Iterable
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

from telegram.ext import ExtBot

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # run as a script from anywhere

from bot.config import Settings  # noqa: E402
from bot.dialog import build_dialog  # noqa: E402
from bot.dialog.notice_replies import render_deliveries  # noqa: E402
from bot.kb import DEFAULT_LANG  # noqa: E402
from bot.notices import DrainReport, Limits, Sender, publish_due  # noqa: E402
from bot.notices.lease import LEASE_TTL, Lease, keep_lease, wait_for_lease  # noqa: E402
from bot.notices.offload import in_place  # noqa: E402
from bot.store import ALL_TOPICS, Store  # noqa: E402
from bot.telegram.notices import TelegramTransport  # noqa: E402
from bot.telegram.ratelimit import ChatRateLimiter, flood_pause  # noqa: E402
from tests.helpers.knowledge_files import entry_yaml  # noqa: E402

NOTICE_ID = "bench-notice"
TOPICS = """\
gifts:
  kk: Сыйлықтар
  ru: Подарки
  en: Gifts
"""
NOTICE = f"""\
id: {NOTICE_ID}
publish_at: 2020-10-18
topics: [gifts]
kk:
  title: Сыйлықтарға тыйым
  body: Мемлекеттік қызметшілерге **кез келген** сыйлыққа тыйым салынған.
ru:
  title: Запрет на подарки
  body: Госслужащим запрещены подарки **любой** стоимости.
en:
  title: Ban on gifts
  body: Civil servants may accept **no** gifts of any value.
"""


def write_knowledge(root: Path) -> Path:
    """A one-topic knowledge base with one entry and the due notice, in ``root``."""
    (root / "notices").mkdir(parents=True, exist_ok=True)
    (root / "topics.yaml").write_text(TOPICS, encoding="utf-8")
    (root / "gifts.yaml").write_text(entry_yaml("gift-ban"), encoding="utf-8")
    (root / "notices" / f"{NOTICE_ID}.yaml").write_text(NOTICE, encoding="utf-8")
    return root


def add_subscribers(store: Store, chat_ids: Iterable[int]) -> None:
    """Subscribe each chat to every topic, in one transaction, languages taking turns."""
    langs = ("kk", "ru", "en")
    with store.db.conn:
        store.db.conn.executemany(
            "INSERT INTO users (uid, chat_id, client_lang, active, created_at, updated_at)"
            " VALUES (?, ?, ?, 1, '', '')",
            [(store.uid(c), c, langs[c % 3]) for c in chat_ids],
        )
        store.db.conn.executemany(
            "INSERT INTO subscriptions (uid, topic, created_at) VALUES (?, ?, '')",
            [(store.uid(c), ALL_TOPICS) for c in chat_ids],
        )


async def broadcast(
    db: Path,
    knowledge: Path,
    api_url: str,
    token: str,
    limits: Limits,
    *,
    rate_limiter: bool = False,
    lease_ttl: timedelta = LEASE_TTL,
    stop: asyncio.Event | None = None,
) -> DrainReport:
    """Take the lease, enqueue the due notices and drain the outbox through a PTB bot at
    ``api_url`` until done or ``stop`` is set.

    ``rate_limiter`` adds the bot's own per-chat limiter (:mod:`bot.telegram.ratelimit`), as
    the running bot has it.
    """
    stop = stop or asyncio.Event()
    settings = Settings(token=token, api_url=api_url, db_path=db, knowledge_dir=knowledge)
    dialog = build_dialog(settings)
    lease = Lease(dialog.store, ttl=lease_ttl)
    await wait_for_lease(lease, in_place)
    publish_due(dialog.store, dialog.library.kb, datetime.now(UTC), DEFAULT_LANG)
    bot = ExtBot(token, base_url=api_url, rate_limiter=ChatRateLimiter() if rate_limiter else None)
    keeper = asyncio.create_task(keep_lease(lease, in_place, stop.set))
    async with bot:
        sender = Sender(
            dialog.store,
            TelegramTransport(bot),
            partial(render_deliveries, dialog),
            lease=lease,
            limits=limits,
            flood=flood_pause(bot),
        )
        report = await sender.drain(lambda: not stop.is_set())
    keeper.cancel()
    lease.release()
    dialog.store.close()
    return report


async def _main(args: argparse.Namespace) -> DrainReport:
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    limits = Limits(rate=args.rate, chat_interval=args.chat_interval)
    return await broadcast(
        args.db,
        args.knowledge,
        args.api_url,
        args.token,
        limits,
        lease_ttl=timedelta(seconds=args.lease_seconds),
        stop=stop,
    )


def main() -> None:
    """Command line of the subprocess used by the kill -9 test."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--knowledge", type=Path, required=True)
    parser.add_argument("--api-url", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--rate", type=float, default=Limits.rate)
    parser.add_argument("--chat-interval", type=float, default=Limits.chat_interval)
    parser.add_argument("--lease-seconds", type=float, default=LEASE_TTL.total_seconds())
    report = asyncio.run(_main(parser.parse_args()))
    print(json.dumps(asdict(report)), flush=True)


if __name__ == "__main__":
    main()
