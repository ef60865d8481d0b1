"""Replies rendered for Telegram: escaping, splitting within the limit, keyboards."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from bot.dialog.reply import Button, Reply
from bot.telegram.render import TEXT_LIMIT, keyboard, size, split_html, to_messages

_ALLOWED_TAGS = {"b", "i", "a"}


class _TagChecker(HTMLParser):
    """Fails on tags Telegram does not know and on unbalanced ones."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        assert tag in _ALLOWED_TAGS, tag
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack.pop() == tag, tag

    def handle_entityref(self, name: str) -> None:
        assert name in {"lt", "gt", "amp", "quot"}, name


def assert_valid(parts: list[str], limit: int = TEXT_LIMIT) -> None:
    """Every part is non-empty, within ``limit`` and well-formed Telegram HTML."""
    assert parts
    for part in parts:
        assert part.strip() and size(part) <= limit
        checker = _TagChecker()
        checker.feed(part)
        checker.close()
        assert not checker.stack, part


def test_short_text_is_one_escaped_part() -> None:
    parts = split_html("**Gifts** & <script>alert(1)</script> _ok_")
    assert parts == ["<b>Gifts</b> &amp; &lt;script&gt;alert(1)&lt;/script&gt; <i>ok</i>"]


def test_empty_text_gives_no_parts() -> None:
    assert split_html("") == []
    assert split_html("  \n\n  ") == []


def test_splits_at_paragraph_breaks_and_keeps_them_whole() -> None:
    paragraphs = [f"**Paragraph {n}.** " + "word " * 150 for n in range(20)]
    parts = split_html("\n\n".join(paragraphs))
    assert len(parts) > 1
    assert_valid(parts)
    rejoined = "\n\n".join(parts).split("\n\n")
    assert len(rejoined) == 20 and all(p.startswith("<b>Paragraph") for p in rejoined)


def test_long_paragraph_splits_at_line_breaks() -> None:
    paragraph = "\n".join(f"- item **{n}** " + "x" * 90 for n in range(100))
    parts = split_html(paragraph)
    assert len(parts) > 1
    assert_valid(parts)
    assert sum(part.count("• item") for part in parts) == 100


def test_long_line_splits_at_spaces_as_plain_text() -> None:
    line = " ".join(["**bold** <tag> & word"] * 600)
    parts = split_html(line)
    assert_valid(parts)
    assert all(not re.search(r"</?b>", part) for part in parts)
    words = " ".join(parts).split()
    assert words.count("&lt;tag&gt;") == 600


def test_word_over_the_limit_is_cut_without_breaking_entities() -> None:
    parts = split_html("&" * 5000, limit=1000)
    assert_valid(parts, limit=1000)
    assert "".join(parts) == "&amp;" * 5000


def test_emoji_count_as_two_units() -> None:
    parts = split_html("😀" * 3000)
    assert len(parts) == 2
    assert_valid(parts)


def test_buttons_go_on_the_last_part() -> None:
    reply = Reply("\n\n".join(["a" * 3000] * 3), buttons=((Button("Yes", "fb:up"),),))
    messages = to_messages(reply)
    assert len(messages) == 3
    assert [markup is None for _, markup in messages] == [True, True, False]
    markup = messages[-1][1]
    assert markup is not None
    assert markup.inline_keyboard[0][0].callback_data == "fb:up"


def test_keyboard_keeps_rows_and_skips_empty_ones() -> None:
    assert keyboard(()) is None
    markup = keyboard(((Button("a", "x:1"), Button("b", "x:2")), (), (Button("c", "x:3"),)))
    assert markup is not None
    assert [[b.text for b in row] for row in markup.inline_keyboard] == [["a", "b"], ["c"]]


@pytest.mark.parametrize("text", ["<b>", "\u200b\u200d\ufeff", "🙂" * 50, 'a & b < c > d " e'])
def test_hostile_text_renders_valid(text: str) -> None:
    assert_valid(split_html(text))
