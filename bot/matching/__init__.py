"""The matching engine: normalise, read scripts and layouts, detect the language, find the
entry or abstain.

Modules, in the order a message passes through them: :mod:`~bot.matching.normalize`
(Unicode, case, Kazakh letters folded), :mod:`~bot.matching.reading` (each word as typed,
from Latin letters via :mod:`~bot.matching.scripts`, or from the wrong keyboard layout via
:mod:`~bot.matching.layout`), :mod:`~bot.matching.langid`, :mod:`~bot.matching.smalltalk`,
:mod:`~bot.matching.index` (stems from :mod:`~bot.matching.stem`, synonyms from
``knowledge/synonyms.yaml``; n-gram profiles from :mod:`~bot.matching.ngrams`) and
:mod:`~bot.matching.matcher` (scores and the abstention rule;
its constants are the knobs). When a question is missed, run ``adal-bot eval`` and add a
synonym or a way of asking rather than changing the knobs for one line.
"""

from bot.matching.langid import detect_language
from bot.matching.matcher import Matcher, MatchResult

__all__ = ["MatchResult", "Matcher", "detect_language"]
