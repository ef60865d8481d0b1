"""The answer markup renders to safe Telegram HTML and to plain text."""

from __future__ import annotations

import html
import re

import pytest

from bot.kb.markup import escape, markup_problems, paragraphs, to_html, to_plain, visible_length


def test_bold_italic_links_lists() -> None:
    text = (
        "**Yes.** It is _banned_.\n\n- one\n- [adilet](https://adilet.zan.kz/rus/docs/K1400000226)"
    )
    assert to_html(text) == (
        "<b>Yes.</b> It is <i>banned</i>.\n\n• one\n"
        '• <a href="https://adilet.zan.kz/rus/docs/K1400000226">adilet</a>'
    )
    assert to_plain(text) == (
        "Yes. It is banned.\n\n• one\n• adilet (https://adilet.zan.kz/rus/docs/K1400000226)"
    )


@pytest.mark.parametrize("raw", ["<b>", "a < b & c > d", "<script>x</script>", "&amp;", '"q"'])
def test_everything_else_is_escaped(raw: str) -> None:
    rendered = to_html(raw)
    assert "<" not in rendered.replace("&lt;", "")
    assert html.unescape(rendered) == raw


def test_underscores_inside_words_stay_literal() -> None:
    assert to_html("snake_case_name and _it_") == "snake_case_name and <i>it</i>"


def test_unsafe_link_is_left_as_text_and_reported() -> None:
    text = "[click](javascript:alert(1))"
    assert "<a" not in to_html(text)
    assert markup_problems(text) == ["link 'javascript:alert(1' is not an http(s) URL"]


def test_unbalanced_bold_is_reported() -> None:
    assert markup_problems("**open") == ["unbalanced '**' (bold is **text** on one line)"]
    assert markup_problems("**closed**") == []


def test_escape_makes_any_text_literal() -> None:
    raw = "**not bold** _not it_ [no](https://x.y) \\ <b>"
    assert to_plain(escape(raw)) == raw
    assert html.unescape(to_html(escape(raw))) == raw


def test_paragraphs_render_independently() -> None:
    text = "**a**\n\n\n  \nb _c_\n\n- d"
    assert paragraphs(text) == ["**a**", "b _c_", "- d"]
    for part in to_html(text).split("\n\n"):
        assert len(re.findall(r"<(\w+)", part)) == len(re.findall(r"</(\w+)", part))


def test_visible_length_counts_utf16_without_markup() -> None:
    assert visible_length("**ab** [c](https://x.y)") == 4
    assert visible_length("😂") == 2


@pytest.mark.parametrize("title", ["Law (2020)", "Code [art. 412-1]", "a_b c*d", "back\\slash"])
def test_escaped_text_inside_a_link_label_shows_as_typed(title: str) -> None:
    text = f"[{escape(title)}](https://adilet.zan.kz/x)"
    label = html.escape(title, quote=False)
    assert to_html(text) == f'<a href="https://adilet.zan.kz/x">{label}</a>'
    assert to_plain(text) == f"{title} (https://adilet.zan.kz/x)"
