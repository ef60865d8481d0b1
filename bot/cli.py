"""The ``adal-bot`` command line: the bot, the terminal chat and the maintainers' tools."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path

import click

from bot.config import ConfigError, Settings
from bot.kb import LANGS, KnowledgeBase, KnowledgeError, load_knowledge, read_knowledge


def _settings() -> Settings:
    try:
        return Settings.from_env()
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None


def _knowledge(settings: Settings) -> KnowledgeBase:
    try:
        return load_knowledge(settings.knowledge_dir)
    except KnowledgeError as exc:
        raise click.ClickException(f"{exc}\nRun `adal-bot kb check` for the full list.") from None


@click.group(invoke_without_command=True)
@click.version_option(package_name="adal-bot")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Adal: answers on Kazakhstan's anti-corruption rules in kk, ru and en.

    With no command: runs the Telegram bot when TELEGRAM_BOT_TOKEN is set, otherwise the
    terminal chat over the same dialog.
    """
    if ctx.invoked_subcommand is None:
        settings = _settings()
        ctx.invoke(run_command if settings.token else chat_command)


@cli.command("run")
def run_command() -> None:
    """Run the Telegram bot (long polling, or a webhook when ADAL_WEBHOOK_URL is set)."""
    settings = _settings()
    if not settings.token:
        raise click.ClickException("TELEGRAM_BOT_TOKEN is not set (use `adal-bot chat` to chat "
                                   "in the terminal)")
    from bot.telegram.app import run_bot

    run_bot(settings)


@cli.command("chat")
def chat_command() -> None:
    """Chat with the bot in the terminal (buttons are numbered: type the number)."""
    from bot.console import run_console

    run_console(_settings())


@cli.group("kb")
def kb_group() -> None:
    """Check, export and count the knowledge base (ADAL_KNOWLEDGE_DIR)."""


@kb_group.command("check")
@click.argument("path", required=False, type=click.Path(path_type=Path))
def kb_check(path: Path | None) -> None:
    """Validate the knowledge base: one `path:line: message` per problem; exit 1 on any."""
    root = path or _settings().knowledge_dir
    base, problems = read_knowledge(root)
    for problem in problems:
        click.echo(str(problem))
    if problems:
        click.echo(f"{len(problems)} problem(s) found in {root}", err=True)
        sys.exit(1)
    click.echo(f"ok: {len(base.entries)} entries, {len(base.topics)} topics, "
               f"{len(base.notices)} notices in {root}")


@kb_group.command("export")
@click.option("--format", "fmt", type=click.Choice(["json"]), default="json", show_default=True)
def kb_export(fmt: str) -> None:
    """Write the whole base (entries, questions, answers per language) to stdout."""
    base = _knowledge(_settings())
    data = {
        "topics": {key: topic.names for key, topic in base.topics.items()},
        "entries": [
            {
                "id": e.id,
                "aliases": list(e.aliases),
                "topic": e.topic,
                "updated": e.updated.isoformat(),
                "related": list(e.related),
                "sources": [asdict(s) for s in e.sources],
                **{lang: {"questions": list(e.questions(lang)), "answer": e.answer(lang)}
                   for lang in LANGS},
            }
            for e in base.entries.values()
        ],
    }
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@kb_group.command("stats")
def kb_stats() -> None:
    """Print the number of entries and questions per topic and language."""
    base = _knowledge(_settings())
    header = f"{'topic':<22}{'entries':>8}" + "".join(f"{'q ' + lang:>8}" for lang in LANGS)
    click.echo(header)
    totals = [0, 0, 0, 0]
    for key in [*base.topics, *sorted({e.topic for e in base.entries.values()} - set(base.topics))]:
        entries = base.by_topic(key)
        counts = [len(entries), *(sum(len(e.questions(lang)) for e in entries) for lang in LANGS)]
        totals = [a + b for a, b in zip(totals, counts, strict=True)]
        click.echo(f"{key:<22}" + "".join(f"{n:>8}" for n in counts))
    click.echo(f"{'total':<22}" + "".join(f"{n:>8}" for n in totals))


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="adal-bot")
