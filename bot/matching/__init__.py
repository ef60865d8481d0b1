"""The matching engine: normalise, read scripts and layouts, detect the language, find the
entry or abstain."""

from bot.matching.langid import detect_language
from bot.matching.matcher import Matcher, MatchResult

__all__ = ["MatchResult", "Matcher", "detect_language"]
