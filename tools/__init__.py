"""Developer scripts (run with `uv run python tools/<script>.py`)."""
