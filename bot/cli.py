"""The ``adal-bot`` command line: the bot, the terminal chat and the maintainers' tools."""

from __future__ import annotations

import gc
import json
import sys
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import click

from bot.config import Settings
from bot.errors import OneLineError
from bot.kb import (
    LANGS,
    KnowledgeBase,
    KnowledgeError,
    Problem,
    as_lang,
    read_knowledge,
)
from bot.kb.checks import REVIEW_AGE
from bot.kb.loader import runnable

if TYPE_CHECKING:  # bot.store (sqlite-utils) is imported by the commands that use it
    from bot.evaluate import Case
    from bot.matching import Matcher
    from bot.store import DeliveryState, Store


EMPTY_QUESTION = "the question is empty"


class _Commands(click.Group):
    """The command group: a failure the user mends (:class:`OneLineError`: a setting, the
    database, a file given) is said in one line naming it, never as a traceback."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except OneLineError as exc:
            raise click.ClickException(str(exc)) from None


def _settings() -> Settings:
    return Settings.from_env()


def _knowledge(settings: Settings) -> KnowledgeBase:
    """The base the bot would run on (see :func:`_runnable`)."""
    return _runnable(settings)[0]


def _base_and_matcher(settings: Settings) -> tuple[KnowledgeBase, Matcher]:
    """The base the bot would run on (see :func:`_runnable`) and its matcher, whose index is
    the copy kept next to the base when there is one (:mod:`bot.matching.built`)."""
    from bot.matching import Matcher
    from bot.matching.built import built_index

    base = _knowledge(settings)
    return base, Matcher(base, index=built_index(settings.knowledge_dir, base))


def _runnable(settings: Settings) -> tuple[KnowledgeBase, list[Problem]]:
    """The base the bot would run on, and the problems of the notices it leaves out; a base
    that cannot be read, or has other problems, is refused with a message."""
    try:
        base, blocking, left_out = runnable(*read_knowledge(settings.knowledge_dir))
    except OSError as exc:
        raise click.ClickException(f"the knowledge base could not be read: {exc}") from None
    if blocking:
        raise click.ClickException(
            f"{KnowledgeError(blocking)}\nRun `adal-bot kb check` for the full list."
        )
    return base, left_out


def _notices_base(settings: Settings) -> tuple[KnowledgeBase, list[Problem]]:
    """:func:`_runnable`, each notice left out (never sent until fixed) said on stderr."""
    base, left_out = _runnable(settings)
    for problem in left_out:
        click.echo(f"left out, not sent until fixed: {problem}", err=True)
    return base, left_out


def _database(settings: Settings) -> Store | None:
    """The database (ADAL_DB) to read from, or None when there is none yet: a mistyped path
    gets no new, empty database."""
    from bot.store import open_database

    if settings.db_path.is_file():
        return open_database(settings.db_path, settings.hash_secret)
    return None


def _existing_store(settings: Settings) -> Store | None:
    """:func:`_database` for the notice commands: none yet is said on stderr."""
    store = _database(settings)
    if store is None:
        click.echo(f"no database at {settings.db_path} (ADAL_DB) yet: nothing was sent", err=True)
    return store


@click.group(cls=_Commands, invoke_without_command=True)
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
        raise click.ClickException(
            "TELEGRAM_BOT_TOKEN is not set (use `adal-bot chat` to chat in the terminal)"
        )
    from bot.telegram.app import run_bot

    run_bot(settings)


@cli.command("health")
def health_command() -> None:
    """Exit 0 when the bot on this host is well, 1 otherwise, saying why in one line: its
    knowledge base loaded, the database (ADAL_DB) writable, its last heartbeat and update."""
    import socket

    from bot.store.health import probe
    from bot.telegram.app import heartbeat_max_age

    settings = _settings()
    verdict = probe(
        settings.db_path, socket.gethostname(), heartbeat_max_age(settings), datetime.now(UTC)
    )
    click.echo(verdict.line)
    if not verdict.healthy:
        sys.exit(1)


@cli.command("backup")
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(target: Path) -> None:
    """Copy the database (ADAL_DB) and its key file to TARGET while the bot runs."""
    import sqlite3

    from bot.store.backup import backup

    source = _settings().db_path
    try:
        written = backup(source, target)
    except (OSError, sqlite3.Error) as exc:
        raise click.ClickException(f"backup of ADAL_DB={source} failed: {exc}") from None
    click.echo("backed up to " + ", ".join(str(path) for path in written))


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
@click.option(
    "--max-notice-age",
    default=30,
    show_default=True,
    type=click.IntRange(min=0),
    help="Days a notice may lie in the past unless it is archived.",
)
@click.option(
    "--max-review-age",
    default=REVIEW_AGE.days,
    show_default=True,
    type=click.IntRange(min=0),
    help="Days after an entry's `reviewed` date it is listed as stale (a warning).",
)
@click.option(
    "--strict",
    is_flag=True,
    help="A question variant answered by another entry, or not answered, or read as another "
    "entry by the rest of the base, is an error.",
)
def kb_check(path: Path | None, max_notice_age: int, max_review_age: int, strict: bool) -> None:
    """Validate the knowledge base: one `path:line: message` per problem; exit 1 on any.

    Every question variant is run through the matcher: one its own entry does not answer, or
    one the rest of the base reads as another entry or as none, is a warning (an error with
    --strict); entries not reviewed for --max-review-age days are listed as stale."""
    from bot.insights.variants import checked_variants
    from bot.kb.checks import future_reviews, stale_entries, stale_notices, style_warnings
    from bot.kb.model import WARNING, Checker, Entry
    from bot.matching import Matcher
    from bot.matching.built import built_index

    root = path or _settings().knowledge_dir
    base, found = read_knowledge(root)
    now = datetime.now(UTC)
    reviewed: list[Entry | Checker] = [*base.entries.values(), *base.checkers.values()]
    problems = [p for p in found if not p.message.startswith(WARNING)]
    problems += stale_notices(base.notices.values(), now, timedelta(days=max_notice_age))
    problems += future_reviews(reviewed, now.date())
    warnings = stale_entries(reviewed, now.date(), timedelta(days=max_review_age))
    warnings += [p for p in found if p.message.startswith(WARNING)]
    warnings += style_warnings(base.entries.values())
    if not problems:  # the matcher is built only on a sound base
        matcher = Matcher(base, index=built_index(root, base))
        missed, misplaced = checked_variants(root, base, matcher)
        misses = [m.problem(strict=strict) for m in missed]
        misses += [m.problem(strict=strict) for m in misplaced]
        for problem in misses:
            (warnings if problem.message.startswith(WARNING) else problems).append(problem)
    for problem in [*problems, *warnings]:
        click.echo(str(problem))
    if problems:
        click.echo(f"{len(problems)} problem(s) found in {root}", err=True)
        sys.exit(1)
    click.echo(
        f"ok: {len(base.entries)} entries, {len(base.topics)} topics, "
        f"{len(base.notices)} notices, {len(base.checkers)} checkers in {root}"
    )


@kb_group.command("diff")
@click.argument("old")
@click.argument("new")
def kb_diff(old: str, new: str) -> None:
    """Entries, question variants and answers added, removed and changed per language from
    OLD to NEW: each a folder or a git revision (`HEAD~3 HEAD`). Exits 1, naming them, when
    a file of either cannot be read (its entries would show as removed)."""
    import tempfile

    from bot.kb.diff import diff_bases, read_version

    knowledge_dir = _settings().knowledge_dir
    with tempfile.TemporaryDirectory(prefix="adal-diff-") as tmp:
        bases = [
            read_version(spec, knowledge_dir, Path(tmp) / str(n))
            for n, spec in enumerate((old, new))
        ]
    for line in diff_bases(*(base for base, _ in bases)).lines():
        click.echo(line)
    for spec, (_, problems) in zip((old, new), bases, strict=True):
        for problem in problems:
            click.echo(f"{spec}: {problem}", err=True)
    if any(problems for _, problems in bases):
        raise click.ClickException(
            "a file could not be read, so its entries show as removed: fix it (`adal-bot kb check`)"
        )


@kb_group.command("export")
@click.option("--format", "fmt", type=click.Choice(["json"]), default="json", show_default=True)
def kb_export(fmt: str) -> None:
    """Write the whole base (entries with questions and answers per language, checkers) to
    stdout."""
    base = _knowledge(_settings())
    data = {
        "topics": {key: topic.names for key, topic in base.topics.items()},
        "entries": [
            {
                "id": e.id,
                "aliases": list(e.aliases),
                "topic": e.topic,
                "reviewed": e.reviewed.isoformat(),
                "related": list(e.related),
                "sources": [asdict(s) for s in e.sources],
                **{
                    lang: {"questions": list(e.questions(lang)), "answer": e.answer(lang)}
                    for lang in LANGS
                },
            }
            for e in base.entries.values()
        ],
        "checkers": [asdict(c) for c in base.checkers.values()],
    }
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


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


@cli.command("ask")
@click.argument("question")
@click.option(
    "--lang", type=click.Choice(LANGS), help="Reply in this language (default: the question's)."
)
@click.option("--explain", is_flag=True, help="Print the features, the confidence and the rule.")
def ask_command(question: str, lang: str | None, explain: bool) -> None:
    """Answer one question in plain text, with the entry id, score and detected language."""
    from bot.kb.markup import to_plain

    if not question.strip():
        raise click.ClickException(
            f'{EMPTY_QUESTION}: ask e.g. adal-bot ask "Can I accept a gift?"'
        )
    base, matcher = _base_and_matcher(_settings())
    result = matcher.match(question)
    reply_lang = as_lang(lang) or result.lang
    entry = base.get(result.entry_id) if result.entry_id else None
    if entry is not None:
        click.echo(to_plain(entry.answer(reply_lang)))
    elif result.smalltalk:
        click.echo(f"(small talk: {result.smalltalk})")
    else:
        click.echo("No confident answer.")
    for suggestion in result.suggestions:  # a close sibling of an answer, or the nearest
        found = base.get(suggestion)
        label = found.questions(reply_lang)[0] if found else ""
        click.echo(f"  {'also' if entry else 'maybe'} {suggestion}: {label}")
    if explain:
        for line in _explanation(matcher, question):
            click.echo(line)
    signal = "  case signal" if result.case_signal else ""
    click.echo(
        f"\nid: {result.entry_id or '-'}  score: {result.score:.1f}  lang: {result.lang}{signal}"
    )


def _explanation(matcher: Matcher, question: str) -> list[str]:
    """The features of a question's candidate, its confidence and the rule that decided."""
    from bot.matching.confidence import FEATURES

    result = matcher.match(question)
    found = matcher.explain(question)
    if result.smalltalk:
        return [f"\ndecided by: small talk ({result.smalltalk})"]
    if found is None:
        return ["\ndecided by: no entry shares a word with the message"]
    candidate, values = found
    confident, probability = matcher.confidence.answers(values)
    needed = matcher.confidence.threshold
    lines = ["", f"candidate: {candidate}"]
    lines += [f"  {name:<14}{value:8.3f}" for name, value in zip(FEATURES, values, strict=True)]
    lines.append(f"confidence {probability:.3f}, needed {needed:.2f}")
    if result.asked_apart:
        lines.append(
            "decided by: its questions, matched one by one: one answered, another topic's "
            "offered, a question of nothing in the base left out (the figures above are the "
            "whole message's)"
        )
    elif result.left_out:
        lines.append(
            f"decided by: its last question ({result.left_out}) asks nothing of the base: the "
            "text before it was matched alone (the figures above are the whole message's)"
        )
    elif result.two_topics:
        lines.append("decided by: bare keywords naming two topics: the bot asks which")
    elif result.entry_id is None and confident:
        lines.append(
            "decided by: its words rule the candidate out (they name only what the entry "
            "requires, or another topic's article): offered, not answered"
        )
    else:
        lines.append(f"decided by: the confidence model: {'answer' if confident else 'abstain'}")
    return lines


def _stdin_question(line: str) -> tuple[str, str]:
    """A line of `match`'s input as (question, error): the line as typed, or the "q" of a
    JSON object line (a labelled set's line); the error, "" if none, says why it is not
    matched."""
    text = line.rstrip("\r\n")
    try:
        data = json.loads(text) if text.lstrip().startswith("{") else None
    except ValueError:  # a question that only starts with a brace
        data = None
    if isinstance(data, dict):
        if not isinstance(data.get("q"), str):
            return text, 'a JSON line needs "q": the question as text'
        text = data["q"]
    return text, "" if text.strip() else EMPTY_QUESTION


@cli.command("match")
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help='One JSON object per line: {"q", "id", "score", "lang", "suggestions"}, or '
    '{"q", "error"} for a line not matched (an empty question).',
)
def match_command(as_json: bool) -> None:
    """Match queries from stdin, one per line (as typed, or a JSON object's "q" such as a
    labelled set's line), writing one result per line in order."""
    _, matcher = _base_and_matcher(_settings())
    gc.freeze()  # the index stays out of full collections (100 ms each): see bot/library.py
    for line in sys.stdin:
        query, error = _stdin_question(line)
        click.echo(
            _error_line(query, error, as_json) if error else _match_line(matcher, query, as_json)
        )
        sys.stdout.flush()


def _match_line(matcher: Matcher, query: str, as_json: bool) -> str:
    """`match`'s line for a question: its entry, score, language (and suggestions in JSON)."""
    result = matcher.match(query)
    if not as_json:
        return f"{result.entry_id or '-'}\t{result.score:.1f}\t{result.lang}\t{query}"
    return json.dumps(
        {
            "q": query,
            "id": result.entry_id,
            "score": result.score,
            "lang": result.lang,
            "suggestions": list(result.suggestions),
        },
        ensure_ascii=False,
    )


def _error_line(query: str, error: str, as_json: bool) -> str:
    """`match`'s line for an input line it does not match, saying why."""
    if as_json:
        return json.dumps({"q": query, "error": error}, ensure_ascii=False)
    return f"error: {error}\t{query}"


def _kind_shares(
    _context: click.Context, _param: click.Parameter, values: tuple[str, ...]
) -> dict[str, float]:
    """``--min-kind`` values (KIND=SHARE) as a mapping; a clear error for a malformed one."""
    shares: dict[str, float] = {}
    for value in values:
        kind, _, share = (part.strip() for part in value.partition("="))
        try:
            least = float(share)
        except ValueError:
            least = -1.0
        if not kind or not 0.0 <= least <= 1.0:
            raise click.BadParameter(f"{value!r} is not KIND=SHARE (e.g. situation=0.9)")
        shares[kind] = least
    return shares


@cli.command("eval")
@click.argument(
    "paths",
    nargs=-1,
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
)
@click.option("--min-accuracy", type=float, help="Fail below this top-1 accuracy in any language.")
@click.option(
    "--min-abstention",
    type=float,
    help="Fail below this abstention rate on out-of-scope, near-domain and chatter cases.",
)
@click.option("--max-wrong", type=float, help="Fail above this fraction of wrong answers.")
@click.option(
    "--min-kind",
    "min_kind",
    multiple=True,
    metavar="KIND=SHARE",
    callback=_kind_shares,
    help="Fail below this share right for the cases of KIND (e.g. situation=0.9); repeatable.",
)
@click.option(
    "--save",
    "save_to",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write each case's outcome as JSON, to --compare with later.",
)
@click.option(
    "--compare",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="List the cases whose outcome changed since a run written with --save.",
)
@click.option(
    "--summary",
    is_flag=True,
    help="Print the figures only, no case's text: for a held-out set, whose lines are not read.",
)
def eval_command(
    paths: tuple[Path, ...],
    min_accuracy: float | None,
    min_abstention: float | None,
    max_wrong: float | None,
    min_kind: dict[str, float],
    save_to: Path | None,
    compare: Path | None,
    summary: bool,
) -> None:
    """Score the matcher on labelled JSONL sets (several are scored as one); exit 1 when a
    threshold is not met.

    Each line: {"q": "…", "expect": ["entry-id"], "lang": "ru", "kind": "plain"}; "expect": []
    when the bot must not answer; lang and kind optional (docs/maintainers.md)."""
    from bot.evaluate import Thresholds, evaluate, flipped, read_run, save_run

    base = _knowledge(_settings())
    cases = _labelled_cases(paths, base)
    previous = read_run(compare) if compare is not None and not summary else None
    report = evaluate(base, cases)
    for line in report.lines(cases=not summary):
        click.echo(line)
    if previous is not None:
        flips = flipped(report, previous)
        click.echo(
            f"\n{len(flips.changed)} case(s) changed, {len(flips.new)} new and "
            f"{len(flips.gone)} gone since {compare}:"
        )
        for line in flips.lines():
            click.echo("  " + line)
    if save_to is not None:
        save_run(report, save_to)
    failures = report.failures(Thresholds(min_accuracy, min_abstention, max_wrong, min_kind))
    for failure in failures:
        click.echo(f"FAIL: {failure}", err=True)
    if failures:
        sys.exit(1)


def _labelled_cases(paths: tuple[Path, ...], base: KnowledgeBase) -> list[Case]:
    """The cases of the labelled sets, in order; a bad line stops the command, naming it."""
    from bot.evaluate import load_cases

    return [case for path in paths for case in load_cases(path, base)]


TRAINING_SETS = (
    "tests/data/dev.jsonl",
    "tests/data/holdout.jsonl",
    "tests/data/train2.jsonl",
    "tests/data/train3.jsonl",
    "tests/data/train5.jsonl",
    "tests/data/train6.jsonl",
    "tests/data/train4.jsonl",
    "tests/data/train7.jsonl",
    "tests/data/train8.jsonl",
    "tests/data/train9.jsonl",
    "tests/data/train10.jsonl",
    "tests/data/train11.jsonl",
    "tests/data/train16.jsonl",
    "tests/data/train12.jsonl",
    "tests/data/train13.jsonl",
    "tests/data/train14.jsonl",
    "tests/data/train15.jsonl",
    "tests/data/train17.jsonl",
    "tests/data/train18.jsonl",
    "tests/data/train20.jsonl",
    "tests/data/train21.jsonl",
    "tests/data/train22.jsonl",
    "tests/data/train23.jsonl",
    "tests/data/train24.jsonl",
    "tests/data/train25.jsonl",
    "tests/data/train26.jsonl",
    "tests/data/train29.jsonl",
    "tests/data/train31.jsonl",
    "tests/data/train32.jsonl",
    "tests/data/train34.jsonl",
    "tests/data/train36.jsonl",
    "tests/data/train38.jsonl",
    "tests/data/train39.jsonl",
    "tests/data/train40.jsonl",
    "tests/data/train41.jsonl",
    "tests/data/train42.jsonl",
    "tests/data/train43.jsonl",
    "tests/data/everyday-negatives.jsonl",
)


@cli.command("train")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--max-wrong",
    type=float,
    help="Share of the training lines (single everyday words aside) the chosen threshold "
    "may answer wrong (default: MAX_WRONG of bot/matching/confidence.py).",
)
def train_command(paths: tuple[Path, ...], max_wrong: float | None) -> None:
    """Learn how people ask for each entry and the matcher's confidence from labelled tuning
    sets (default: TRAINING_SETS, the dev, holdout and blind train sets and everyday words;
    never a gated set) and write bot/matching/usage.json.gz, logistic.bin.gz and confidence.json
    (fitting the logistic regression needs scikit-learn: the ``train`` extra)."""
    from bot.matching import usage as used
    from bot.matching.confidence import MAX_WRONG, MODEL_PATH
    from bot.matching.logistic import LOGISTIC_PATH
    from bot.training import train

    base = _knowledge(_settings())
    cases = _labelled_cases(paths or tuple(Path(p) for p in TRAINING_SETS), base)
    try:
        trained = train(base, cases, max_wrong=MAX_WRONG if max_wrong is None else max_wrong)
    except RuntimeError as exc:  # scikit-learn missing
        raise click.ClickException(str(exc)) from None
    trained.confidence.save(MODEL_PATH)
    used.save(trained.usage)
    trained.logistic.save(LOGISTIC_PATH)
    click.echo(
        f"{len(cases)} cases; threshold {trained.confidence.threshold}; "
        f"written to {MODEL_PATH}, {used.USAGE_PATH} and {LOGISTIC_PATH}"
    )


@cli.command("report")
@click.option(
    "--since",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="First day of the period (default: 28 days ago).",
)
@click.option(
    "--html",
    "html_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the report as one self-contained HTML page (charts as inline SVG), readable "
    "by its owner only, instead of printing it.",
)
def report_command(since: datetime | None, html_path: Path | None) -> None:
    """What users asked (ADAL_DB): unanswered questions grouped, with the nearest entry as a
    suggestion; the answers with the most 👎 and what was missing; the entries people confuse;
    volume per language and topic per week; the abstention rate; rising questions; the
    questions waiting for an expert and the drafts for the base (ADAL_DRAFTS_DIR)."""
    from bot.insights.html import render_html
    from bot.insights.report import build_report, text_lines
    from bot.matching.built import built_index
    from bot.store.keys import private_file

    settings = _settings()
    now = datetime.now(UTC)
    start = since.replace(tzinfo=UTC) if since else now - timedelta(days=28)
    if start > now:
        raise click.BadParameter("a day in the future", param_hint="--since")
    if html_path is not None and not html_path.parent.is_dir():
        raise click.BadParameter(f"no folder {html_path.parent}", param_hint="--html")
    store = _database(settings)
    if store is None:
        raise click.ClickException(
            f"no questions recorded yet: no database at {settings.db_path} (ADAL_DB); "
            "the bot records them once it runs"
        )
    try:
        base = _knowledge(settings)
        index = built_index(settings.knowledge_dir, base)
        report = build_report(store, base, start, now, drafts=settings.drafts_folder, index=index)
    finally:
        store.close()
    if html_path is None:
        for line in text_lines(report):
            click.echo(line)
        return
    private_file(html_path)  # what users asked, redacted: owner-only, like the database
    html_path.write_text(render_html(report), encoding="utf-8")
    click.echo(f"written to {html_path}")


@cli.group("drafts")
def drafts_group() -> None:
    """Draft entries written from the experts' answers by "add to the base" (ADAL_DRAFTS_DIR,
    by default drafts/ beside ADAL_DB): complete, review, move into knowledge/."""


@drafts_group.command("list")
def drafts_list() -> None:
    """Every draft: its case, entry id, topic, the languages written, its first question, and
    whether its entry is in the base already."""
    from bot.kb.drafts import read_drafts

    settings = _settings()
    drafts = read_drafts(settings.drafts_folder)
    if not drafts:
        click.echo(f"no drafts in {settings.drafts_folder}")
        return
    base = _knowledge(settings)
    click.echo(f"{'case':<7}{'entry id':<26}{'topic':<16}{'written':<10}question")
    for draft in drafts:
        question = " ".join(draft.question.split())
        question = question if len(question) <= 60 else question[:59] + "…"
        added = "  (in the base)" if draft.entry_id in base.entries else ""
        click.echo(
            f"{draft.number:<7}{draft.entry_id:<26}{draft.topic:<16}"
            f"{','.join(draft.langs) or '-':<10}{question}{added}"
        )


@drafts_group.command("show")
@click.argument("draft")
def drafts_show(draft: str) -> None:
    """Print one draft; DRAFT is its case number (12, #12, case-12) or its entry id."""
    from bot.kb.drafts import read_drafts

    folder = _settings().drafts_folder
    drafts = read_drafts(folder)
    wanted = draft.strip().lstrip("#").removeprefix("case-").removesuffix(".yaml")
    found = next((d for d in drafts if wanted in (str(d.number), d.entry_id)), None)
    if found is None:
        known = ", ".join(str(d.number) for d in drafts) or "none"
        raise click.ClickException(f"no draft {draft!r} in {folder} (cases with drafts: {known})")
    click.echo(found.path.read_text(encoding="utf-8"), nl=False)


@cli.group("notices")
def notices_group() -> None:
    """Scheduled update notices and their delivery (ADAL_DB)."""


_COUNT_COLUMNS: tuple[DeliveryState, ...] = ("sent", "pending", "sending", "failed", "skipped")


@notices_group.command("list")
def notices_list() -> None:
    """Every notice: publish time (Asia/Almaty), status (upcoming, due, enqueued, or archived:
    never sent) and delivery counts."""
    from datetime import UTC, datetime

    from bot.notices import local_time, notice_status

    settings = _settings()
    base, left_out = _notices_base(settings)
    store = _existing_store(settings)
    counts = store.delivery_counts() if store else {}
    enqueued = store.enqueued_notices() if store else {}
    now = datetime.now(UTC)
    click.echo(
        f"{'id':<40}{'publish_at':<18}{'status':<10}"
        + "".join(f"{column:>9}" for column in _COUNT_COLUMNS)
    )
    for notice in sorted(base.notices.values(), key=lambda n: (n.publish_at, n.id)):
        row = counts.get(notice.id, {})
        click.echo(
            f"{notice.id:<40}{local_time(notice.publish_at):<18}"
            f"{notice_status(notice, enqueued, now):<10}"
            + "".join(f"{row.get(column, 0):>9}" for column in _COUNT_COLUMNS)
        )
    if store:
        store.close()
    if left_out:
        raise click.exceptions.Exit(1)


@notices_group.command("status")
@click.argument("notice_id")
def notices_status(notice_id: str) -> None:
    """One notice: when, for which topics, how many got it, and every failure."""
    from bot.notices import local_time

    settings = _settings()
    base = _notices_base(settings)[0]
    notice, left = base.notices.get(notice_id), base.left_out_notice(notice_id)
    store = _existing_store(settings)
    enqueued = store.enqueued_notices().get(notice_id) if store else None
    if notice is None and left is None and enqueued is None:
        raise click.ClickException(f"no notice {notice_id!r} (see `adal-bot notices list`)")
    if left is not None:
        click.echo(f"{notice_id}: left out, not sent until fixed: {left.problems[0]}")
    elif notice is None:
        click.echo(f"{notice_id}: no longer in the knowledge base")
    else:
        click.echo(
            f"{notice.id} ({notice.path})\npublish_at: {local_time(notice.publish_at)} "
            f"Asia/Almaty\ntopics: {', '.join(notice.topics)}"
        )
    if enqueued is None or store is None:
        click.echo("archived: never sent" if notice and notice.archived else "not enqueued yet")
    else:
        counts = store.delivery_counts()[notice_id]
        click.echo(
            f"enqueued: {local_time(enqueued)} Asia/Almaty, {sum(counts.values())} "
            "recipients\n" + ", ".join(f"{state} {n}" for state, n in counts.items())
        )
        for recipient, state, error in store.delivery_problems(notice_id):
            click.echo(f"  {recipient}: {state}: {error}")
    if store:
        store.close()


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="adal-bot")
