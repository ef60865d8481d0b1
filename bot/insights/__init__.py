"""The maintainers' loop: what the bundled base answers of its own questions, what changed
between two versions of the base, and what users asked that it could not answer."""
