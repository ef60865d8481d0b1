"""Adal: answers on Kazakhstan's anti-corruption rules in Kazakh, Russian and English."""

__version__ = "0.2.0"  # the one place the version is written (pyproject reads it)
