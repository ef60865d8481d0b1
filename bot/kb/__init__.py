"""The knowledge base: typed model, YAML loader with line numbers, answer markup, checks."""

from bot.kb.loader import KnowledgeError, load_knowledge, read_knowledge
from bot.kb.model import (
    DEFAULT_LANG,
    LANGS,
    Entry,
    KnowledgeBase,
    Lang,
    Problem,
    Source,
    Topic,
    as_lang,
)

__all__ = [
    "DEFAULT_LANG",
    "LANGS",
    "Entry",
    "KnowledgeBase",
    "KnowledgeError",
    "Lang",
    "Problem",
    "Source",
    "Topic",
    "as_lang",
    "load_knowledge",
    "read_knowledge",
]
