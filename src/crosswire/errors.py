"""The exception tree.

    CrosswireError                 anything crosswire raises on purpose
    ├── InputError                 an input can't become an article (becomes a Rejected)
    │   ├── UnsupportedInput       a format we do not read (PDF, images, unknown extension)
    │   ├── EmptyInput             nothing to read
    │   ├── TooLarge               over the configured size limit
    │   └── MalformedInput         truncated gzip/WARC, broken JSON, undecodable bytes
    ├── FetchError                 a URL could not be fetched
    │   ├── BlockedAddress         private/loopback/link-local target without --allow-private
    │   └── HttpStatusError        the server answered 4xx/5xx (status, Retry-After kept for backoff)
    ├── NotFound                   an id that is not in the store
    ├── Pending                    a result computed after ingest is not there yet
    ├── Conflict                   a correction that contradicts the store (merge a story into itself, …)
    ├── StoreBusy                  another writer held the store's write lock for too long
    └── ConfigError                a bad setting

Bugs are not caught: they raise. Bad input is turned into a ``Rejected`` value by the workflow.
"""


class CrosswireError(Exception):
    """Base of every error crosswire raises on purpose."""


class InputError(CrosswireError):
    """An input that cannot become an article."""


class UnsupportedInput(InputError):
    """A format crosswire does not read."""


class EmptyInput(InputError):
    """An input with no content."""


class TooLarge(InputError):
    """An input over the size limit."""


class MalformedInput(InputError):
    """An input that is truncated, corrupt or undecodable."""


class FetchError(InputError):
    """A URL that could not be fetched."""


class BlockedAddress(FetchError):
    """A URL resolving to a private, loopback or link-local address."""


class HttpStatusError(FetchError):
    """A URL whose server answered with an error status; ``retry_after`` (seconds) when it said when to come back."""

    def __init__(self, message: str, status: int, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.status, self.retry_after = status, retry_after


class NotFound(CrosswireError):
    """An id that is not in the store."""


class Pending(CrosswireError):
    """A result that is computed after ingest (a story's comparison) is not there yet."""


class Conflict(CrosswireError):
    """A request that contradicts what the store holds (a story merged into itself, an article not in the story)."""


class StoreBusy(CrosswireError):
    """Another process held the store's write lock longer than the writer was willing to wait."""


class ConfigError(CrosswireError):
    """A setting that is not valid."""
