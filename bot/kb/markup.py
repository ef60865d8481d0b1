"""The answer markup: ``**bold**``, ``_italic_``, ``[text](url)``, ``- `` lists, paragraphs.

It renders to Telegram HTML (everything else escaped, so Telegram never rejects it) and to plain
text for the terminal. Paragraphs are rendered independently, so no tag spans a blank line and a
long message can be split at any paragraph break.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

_INLINE = re.compile(
    r"\\(?P<esc>[\\*_\[\]()])"
    r"|\*\*(?P<bold>.+?)\*\*"
    r"|(?<![\w])_(?P<italic>[^_\n]+?)_(?![\w])"
    r"|\[(?P<label>(?:\\[\\*_\[\]()]|[^\]\\\n])+)\]\((?P<url>[^)\s]+)\)"
)
_ESCAPED = re.compile(r"\\([\\*_\[\]()])")
_LIST_ITEM = re.compile(r"^\s*[-*]\s+")
BULLET = "• "


def escape(text: str) -> str:
    """Make ``text`` literal in markup (for quoting user input or data in a reply)."""
    return re.sub(r"([\\*_\[\]()])", r"\\\1", text)


def unescape(text: str) -> str:
    """Drop the backslashes :func:`escape` added (link labels and italics are literal text)."""
    return _ESCAPED.sub(r"\1", text)


def paragraphs(text: str) -> list[str]:
    """Split markup into paragraphs (separated by blank lines), stripped, none empty."""
    parts = re.split(r"\n\s*\n", text.strip())
    return [p.strip() for p in parts if p.strip()]


def _inline(
    text: str,
    *,
    code: Callable[[str], str],
    bold: Callable[[str], str],
    italic: Callable[[str], str],
    link: Callable[[str, str], str],
) -> str:
    out: list[str] = []
    pos = 0
    for m in _INLINE.finditer(text):
        out.append(code(text[pos : m.start()]))
        if m.group("esc") is not None:
            out.append(code(m.group("esc")))
        elif m.group("bold") is not None:
            out.append(bold(m.group("bold")))
        elif m.group("italic") is not None:
            out.append(italic(unescape(m.group("italic"))))
        elif _safe_url(m.group("url")):
            out.append(link(unescape(m.group("label")), m.group("url")))
        else:
            out.append(code(m.group(0)))
        pos = m.end()
    out.append(code(text[pos:]))
    return "".join(out)


def _safe_url(url: str) -> bool:
    return url.startswith(("https://", "http://"))


def _lines(paragraph: str) -> list[str]:
    return [_LIST_ITEM.sub(BULLET, line.rstrip()) for line in paragraph.splitlines()]


def _escape(text: str) -> str:
    return html.escape(text, quote=False)


def _html_line(line: str) -> str:
    return _inline(
        line,
        code=_escape,
        bold=lambda s: f"<b>{_html_line(s)}</b>",
        italic=lambda s: f"<i>{_escape(s)}</i>",
        link=lambda label, url: f'<a href="{html.escape(url, quote=True)}">{_escape(label)}</a>',
    )


def _plain_line(line: str) -> str:
    return _inline(
        line,
        code=lambda s: s,
        bold=_plain_line,
        italic=lambda s: s,
        link=lambda label, url: label if label == url else f"{label} ({url})",
    )


def paragraph_to_html(paragraph: str) -> str:
    """One paragraph of markup as Telegram HTML."""
    return "\n".join(_html_line(line) for line in _lines(paragraph))


def paragraph_to_plain(paragraph: str) -> str:
    """One paragraph of markup as plain text."""
    return "\n".join(_plain_line(line) for line in _lines(paragraph))


def to_html(text: str) -> str:
    """Render markup to Telegram HTML; everything that is not markup is escaped."""
    return "\n\n".join(paragraph_to_html(p) for p in paragraphs(text))


def to_plain(text: str) -> str:
    """Render markup to plain text (links as ``label (url)``)."""
    return "\n\n".join(paragraph_to_plain(p) for p in paragraphs(text))


def visible_length(text: str) -> int:
    """Length Telegram counts for the rendered message: UTF-16 code units of the visible text."""
    plain = "\n\n".join(
        _inline(
            "\n".join(_lines(p)),
            code=lambda s: s,
            bold=lambda s: s,
            italic=lambda s: s,
            link=lambda label, url: label,
        )
        for p in paragraphs(text)
    )
    return len(plain.encode("utf-16-le")) // 2


def markup_problems(text: str) -> list[str]:
    """What is wrong with a piece of markup (unsafe link, stray ``**``), as messages."""
    problems: list[str] = []
    for m in _INLINE.finditer(text):
        if m.group("url") is not None and not _safe_url(m.group("url")):
            problems.append(f"link {m.group('url')!r} is not an http(s) URL")
    leftover = _INLINE.sub("", text)
    if "**" in leftover:
        problems.append("unbalanced '**' (bold is **text** on one line)")
    return problems
