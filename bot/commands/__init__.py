"""CLI sub-commands; each keeps its heavy imports inside the command function."""
