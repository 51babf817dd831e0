"""The exceptions lgso_core raises. The CLI and the bot catch ``LgsoError`` only."""


class LgsoError(Exception):
    """Base of every error meant for a user: the message is one readable line."""


class LetterReadError(LgsoError):
    """A letter file could not be read: missing, corrupt, encrypted, empty, undecodable."""

    def __init__(self, source: str, reason: str):
        self.source = source
        self.reason = reason
        super().__init__(f"{source}: {reason}")


class TemplateError(LgsoError):
    """A template could not be found, read or built."""


class StoreError(LgsoError):
    """The audit store could not be opened or written."""


class ConfigError(LgsoError):
    """A setting (environment variable or option) is missing or invalid."""
