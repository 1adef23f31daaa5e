"""The command line for people: search, match, parse-resume and the offline demo."""

from .commands import add_commands

__all__ = ["add_commands"]
