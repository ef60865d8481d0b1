"""Every number that decides how a message is scored and when it is answered, in one frozen
object passed to the matcher (see docs/matching.md for what each does, its measured effect
and the range tried). Change one in a copy (``dataclasses.replace``), never in place."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MatchConfig:
    """The matcher's tuning numbers (defaults: the values chosen on the tuning sets)."""

    # reading the message
    max_input: int = 4096  # characters read of a message (Telegram's own limit)
    max_words: int = 120  # a long story is judged on its first words
    short_query: int = 5  # content words: up to this, a short message ...
    long_query: int = 14  # ... from this, a story
    keyword_query: int = 3  # content words: up to this, bare keywords
    # whose relatives (see kinship.py): concepts of the base
    kin_concepts: tuple[str, ...] = ("family-member", "in-law-relative", "extended-relative")
    giver_concepts: tuple[str, ...] = ("interested-giver", "served-person")
    official_concepts: tuple[str, ...] = ("public-employee", "state-body", "chain-of-command")
    official_window: int = 4  # words after a relative that may say it is the official (its post)
    to_writer_window: int = 2  # words after a relative that may say it gave to the writer ("мне")
    # looking words up (the index)
    idf_power: float = 1.5  # above 1, words that tell entries apart weigh more
    unknown_weight: float = 1.0  # an unknown word weighs this fraction of the rarest known word
    min_fuzzy_length: int = 4  # shorter words are not looked up as likely typos
    fuzzy_cutoff: float = 80.0  # rapidfuzz similarity for a likely typo
    fuzzy_limit: int = 3  # likely typos kept per word
    prefix_length: int = 5  # an unknown word also meets the indexed words that begin alike
    prefix_similarity: float = 0.8  # ... at this similarity
    typo_feature: float = 0.85  # the naive Bayes model counts a typo this close as its word
    # scoring an entry
    candidates: int = 10  # entries scored in full, by query coverage
    query_share: float = 0.7  # the score blends query coverage, question coverage, similarity
    story_query_share: float = 0.35  # the query coverage's share for a long message
    similarity_share: float = 0.1  # rapidfuzz token-sort ratio's share
    entry_coverage: float = 0.4  # query coverage: this much by all the entry's questions
    story_entry_coverage: float = 1.0  # ... and this much for a story (its words spread out)
    question_size: float = 0.15  # a question under this share of the message fits it less
    substitution_penalty: float = 0.5  # a word left over on both sides: another question
    ngram_share: float = 0.4  # the final score blends in this much of the n-gram likeness
    bayes_share: float = 0.12  # ... and adds this much of the naive Bayes probability
    story_bayes_share: float = 0.16  # ... and this much for a story
    bayes_temperature: float = 3.0  # naive Bayes log-likelihoods are divided by this
    logistic_share: float = 0.2  # ... and adds this much of the logistic regression's probability
    logistic_strength: float = 1.0  # its inverse L2 strength (scikit-learn's C) when trained
    logistic_words: int = 2  # content words: up to this, the regression is left out (§25)
    question_share: float = 0.2  # a longer message's ranking blends in its question sentence's
    question_query: int = 10  # content words: from this, the question sentence is blended in
    # deciding
    min_score: float = 44.0  # below: abstain
    min_margin: float = 8.0  # the best entry must lead the runner-up by this much
    topics_margin: float = 22.0  # bare keywords naming two topics: abstain if the other is near
    related_margin: float = 3.0  # the lead needed over an entry the best one links as related
    min_suggestion: float = 10.0  # suggestions shown when abstaining score at least this
    off_topic_score: float = 2.0  # an abstention's confidence under this: off topic, say so
    clarify_share: float = 0.4  # ask which of one topic's entries when its words weigh this much
    naming_questions: int = 3  # a word names a topic when that many of its questions use it
    max_suggestions: int = 3
    nearest_lines: int = 64  # neighbours: the lines sharing most content words, looked at


DEFAULT = MatchConfig()
