"""Quality gates on the files: every question variant run through the matcher (`kb check
--strict`), stale entries, and `kb diff` between two folders or two git revisions."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from bot.cli import cli
from bot.insights.variants import (
    ALLOWED_MISSES,
    OFFERED_FIRST,
    TOLERATED,
    VariantMiss,
    misplaced_variants,
    variant_misses,
)
from bot.kb import load_knowledge
from bot.kb.model import WARNING
from bot.matching import Matcher
from tests.helpers.knowledge_files import TOPICS, entry_yaml

ROOT = Path(__file__).resolve().parent.parent
NEVER_STALE = ["--max-review-age", "100000"]


def kb_cli(*args: str, knowledge: Path | None = None) -> Result:
    env = {"ADAL_KNOWLEDGE_DIR": str(knowledge)} if knowledge else {}
    return CliRunner().invoke(cli, list(args), env=env)


def write_base(root: Path, *, shared: bool) -> Path:
    """Two gift entries; with ``shared`` the second also asks a variant of the first
    ("can I accept the gift 5" next to the first's "Can I accept a gift 5")."""
    root.mkdir(parents=True)
    (root / "topics.yaml").write_text(TOPICS, encoding="utf-8")
    first = entry_yaml(
        "gift-ban", questions=("Сыйлық ала ма", "Принять подарок", "Can I accept a gift")
    )
    second = entry_yaml(
        "gift-family",
        questions=("Туыстар бір органда", "Родственники в органе", "Relatives in one agency"),
    )
    if shared:
        second = second.replace(
            "      - Relatives in one agency 8\n",
            "      - Relatives in one agency 8\n      - can I accept the gift 5\n",
        )
    (root / "gifts.yaml").write_text(first + second, encoding="utf-8")
    (root / "about.yaml").write_text(entry_yaml("about-bot", "about"), encoding="utf-8")
    return root


def test_strict_fails_when_two_entries_share_a_variant(tmp_path: Path) -> None:
    root = write_base(tmp_path / "knowledge", shared=True)
    lenient = kb_cli("kb", "check", str(root), *NEVER_STALE)
    assert lenient.exit_code == 0, lenient.output
    [warning] = [line for line in lenient.stdout.splitlines() if "can I accept the gift 5" in line]
    assert warning.startswith(f"{root / 'gifts.yaml'}:")
    assert ": warning: entry 'gift-family' [en]: " in warning
    assert "is answered by entry 'gift-ban' (confidence " in warning
    assert "not by its entry 'gift-family' (score " in warning
    strict = kb_cli("kb", "check", str(root), "--strict", *NEVER_STALE)
    assert strict.exit_code == 1
    [error] = [line for line in strict.stdout.splitlines() if "can I accept the gift 5" in line]
    assert "warning" not in error and "answered by entry 'gift-ban'" in error
    assert "1 problem(s) found" in strict.stderr


def test_strict_passes_when_each_variant_finds_its_entry(tmp_path: Path) -> None:
    root = write_base(tmp_path / "knowledge", shared=False)
    result = kb_cli("kb", "check", str(root), "--strict", *NEVER_STALE)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"ok: 3 entries, 2 topics, 0 notices, 0 checkers in {root}"
    ]


def test_a_variant_nothing_answers_is_reported(small_kb: Path) -> None:
    base = load_knowledge(small_kb)
    misses = variant_misses(base)
    assert all(m.answered_by != m.entry_id for m in misses)
    for miss in misses:
        if miss.answered_by is None:
            assert "is not answered (confidence" in str(miss.problem(strict=True))


def test_a_variant_not_answered_but_offered_first_is_a_warning_even_when_strict() -> None:
    """The bot asks which entry is meant, its own first: one tap away, not an error."""
    offered = VariantMiss("gift-ban", "en", "gift", None, 60.0, 70.0, "k.yaml", 3, True)
    lost = replace(offered, offered_first=False)
    assert str(offered.problem(strict=True)).startswith(f"k.yaml:3: {WARNING}")
    assert f"({OFFERED_FIRST})" in str(offered.problem(strict=True))
    assert WARNING not in str(lost.problem(strict=True))
    assert OFFERED_FIRST not in str(lost.problem(strict=True))


def test_bundled_base_passes_strict_with_only_the_documented_allowance() -> None:
    result = kb_cli("kb", "check", str(ROOT / "knowledge"), "--strict")
    assert result.exit_code == 0, result.output
    allowed = [line for line in result.stdout.splitlines() if f"({TOLERATED})" in line]
    assert len(allowed) <= len(ALLOWED_MISSES) <= 2  # a small allowance, each with its reason
    assert all(reason for reason in ALLOWED_MISSES.values())


PROBE_VARIANTS = (
    "      - мой племянник устроился в мой отдел, это законно?\n",  # the relatives rule
    "      - погода в астане завтра\n",  # chatter
)


def _put_in_the_gift_ban(kb_copy: Path, variants: tuple[str, ...]) -> tuple[Path, int]:
    """Add ``variants`` (YAML lines) to the gift ban's ru questions of the copied base: its
    file, and the line of the first."""
    gifts = kb_copy / "gifts.yaml"
    text = gifts.read_text(encoding="utf-8")
    anchor = "      - Может ли государственный служащий принимать подарки?\n"
    gifts.write_text(text.replace(anchor, anchor + "".join(variants)), encoding="utf-8")
    return gifts, text[: text.index(anchor)].count("\n") + 2


def test_misplaced_and_chatter_variants_are_reported_once_each_at_their_own_lines(
    kb_copy: Path,
) -> None:
    """A probe's variants put in the gift ban. The nephew is answered by the entry it was put in
    (it is in the base), but the base without it reads it as another entry: flagged once, at
    its own line (the probe found it reported twice, at the entry's line and as misplaced). The
    weather, chatter, is reported at its own line (docs/maintainers.md, '3. Check'). One check
    of the whole base (about 20 s) for both."""
    gifts, line = _put_in_the_gift_ban(kb_copy, PROBE_VARIANTS)
    result = kb_cli("kb", "check", str(kb_copy), "--strict", *NEVER_STALE)
    assert result.exit_code == 1
    flagged = [row for row in result.stdout.splitlines() if "is it in the right entry?" in row]
    assert flagged == [
        f"{gifts}:{line}: entry 'gifts-any-value-ban' [ru]: variant 'мой племянник устроился "
        "в мой отдел, это законно?' reads as entry 'relatives-same-agency'; is it in the right "
        "entry?",
    ]
    nephew = [row for row in result.stdout.splitlines() if "мой племянник" in row]
    assert nephew == flagged
    [weather] = [row for row in result.stdout.splitlines() if "'погода в астане завтра'" in row]
    assert weather.startswith(f"{gifts}:{line + 1}: {WARNING}")
    assert "1 problem(s) found" in result.stderr


def test_no_variant_of_the_bundled_base_reads_as_another_entry(bundled: Matcher) -> None:
    assert misplaced_variants(bundled.kb, bundled) == []


YES_OR_NO = ("да", "нет", "yes", "no", "иә", "жоқ")


def _yes_or_no_lead(answer: str) -> bool:
    """The answer opens with a yes or a no: its first word, or the last or first word of a
    clause before its first colon ("Для тяжких преступлений — нет:", "Not for grave crimes:")."""
    first = answer.lstrip("*").split(maxsplit=1)[0].strip(",:.!").lower()
    clause = answer.lstrip("*").split("\n", 1)[0].split(":", 1)
    said = clause[0].replace("—", " ").split() if len(clause) == 2 else []
    ends = {said[-1].lower(), said[0].lower()} if said else set()
    return first in YES_OR_NO or bool(ends & {*YES_OR_NO, "not"})


def test_no_bundled_answer_leads_with_a_bare_yes_or_no() -> None:
    """One answer serves questions of both polarities ("May I accept it?", "Is it a
    violation?", "What is Law 384-VI?"): a leading "No:" read as "no, it is not a violation"
    (found by a probe), and "— нет: the law banned it" as "no, it was not banned" (a second)."""
    kb = load_knowledge(ROOT / "knowledge")
    leads = [
        (entry.id, lang)
        for entry in kb.entries.values()
        for lang in entry.texts
        if _yes_or_no_lead(entry.answer(lang))
    ]
    assert leads == []


def test_entries_not_reviewed_for_a_while_are_listed_as_stale(small_kb: Path) -> None:
    result = kb_cli("kb", "check", str(small_kb), "--max-review-age", "30")
    assert result.exit_code == 0, result.output  # stale is a warning, never a failure
    stale = [line for line in result.stdout.splitlines() if "stale" in line]
    assert len(stale) == 3
    assert any(
        line.startswith(
            f"{small_kb / 'gifts.yaml'}:1: warning: entry 'gift-ban': stale, "
            "reviewed 2020-10-18, more than 30 days ago"
        )
        for line in stale
    )
    fresh = kb_cli("kb", "check", str(small_kb), *NEVER_STALE)
    assert "stale" not in fresh.stdout


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _change(root: Path) -> None:
    """Add an entry and an English variant, remove a Russian one, change a Kazakh answer."""
    gifts = root / "gifts.yaml"
    _edit(
        gifts,
        "      - gift-family question 8\n",
        "      - gift-family question 8\n      - may my wife take it\n",
    )
    _edit(gifts, "      - gift-ban вопрос 3\n", "")
    _edit(gifts, "Answer. (kk)", "Жаңа жауап. (kk)")
    (root / "new.yaml").write_text(entry_yaml("gift-new"), encoding="utf-8")


def test_diff_of_two_folders(small_kb: Path, tmp_path: Path) -> None:
    new = tmp_path / "new"
    shutil.copytree(small_kb, new)
    _change(new)
    result = kb_cli("kb", "diff", str(small_kb), str(new), knowledge=small_kb)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "+ gift-new (gifts): new entry, variants kk 8, ru 8, en 8" in lines
    assert "~ gift-ban: [kk] answer changed, [ru] variants -1" in lines
    assert "    [ru] - gift-ban вопрос 3" in lines
    assert "~ gift-family: [en] variants +1" in lines
    assert "    [en] + may my wife take it" in lines
    assert "entries: 1 added, 0 removed, 2 changed" in lines
    assert "[en] variants added 9, variants removed 0, answers new 1, answers changed 0" in lines
    assert "[kk] variants added 8, variants removed 0, answers new 1, answers changed 1" in lines
    assert "[ru] variants added 8, variants removed 1, answers new 1, answers changed 0" in lines
    back = kb_cli("kb", "diff", str(new), str(small_kb), knowledge=small_kb)
    assert "- gift-new (gifts): removed" in back.stdout.splitlines()
    same = kb_cli("kb", "diff", str(small_kb), str(small_kb), knowledge=small_kb)
    assert same.stdout.splitlines() == ["no differences in the entries"]


def test_diff_to_a_folder_with_a_file_that_cannot_be_read_says_so(
    small_kb: Path, tmp_path: Path
) -> None:
    """A probe: a tab in gifts.yaml made `kb diff` list its entries as removed, exit 0."""
    new = tmp_path / "new"
    shutil.copytree(small_kb, new)
    path = next(p for p in sorted(new.glob("*.yaml")) if "id:" in p.read_text(encoding="utf-8"))
    path.write_text("\t" + path.read_text(encoding="utf-8"), encoding="utf-8")
    result = kb_cli("kb", "diff", str(small_kb), str(new), knowledge=small_kb)
    assert result.exit_code == 1
    assert f"{new}: {path}:1: YAML syntax" in result.stderr
    assert "a file could not be read, so its entries show as removed" in result.stderr


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


def test_diff_of_two_git_revisions(small_kb: Path) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = small_kb.parent
    _git(repo, "init", "-q")
    _git(repo, "add", "knowledge")
    _git(repo, "commit", "-q", "-m", "one")
    _change(small_kb)
    _git(repo, "add", "knowledge")
    _git(repo, "commit", "-q", "-m", "two")
    result = kb_cli("kb", "diff", "HEAD~1", "HEAD", knowledge=small_kb)
    assert result.exit_code == 0, result.output
    assert "entries: 1 added, 0 removed, 2 changed" in result.stdout.splitlines()
    mixed = kb_cli("kb", "diff", "HEAD~1", str(small_kb), knowledge=small_kb)
    assert "    [en] + may my wife take it" in mixed.stdout.splitlines()
    wrong = kb_cli("kb", "diff", "no-such-rev", "HEAD", knowledge=small_kb)
    assert wrong.exit_code == 1
    assert "'no-such-rev' is neither a folder nor a git revision" in wrong.output
