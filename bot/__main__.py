"""``python -m bot``: the same as the ``adal-bot`` console script."""

from bot.cli import main

if __name__ == "__main__":
    main()
