"""Pure extraction: a RawDocument → an Article (clean text + metadata) or a Rejected."""
