"""Errors the command line reports as one line, never as a traceback."""


class GlossaryError(Exception):
    """A problem with the user's input or environment, explained in one line."""
