"""`python -m bot` runs the `asistente` CLI."""

from bot.cli import app

if __name__ == "__main__":
    app()
