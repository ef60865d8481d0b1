"""Adal: answers on Kazakhstan's anti-corruption rules in Kazakh, Russian and English."""

__version__ = "0.1.0"
