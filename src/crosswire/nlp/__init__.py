"""Pure language stages over clean article text: quotes, parsing, entities, statements, claims."""

ANALYSIS_VERSION = "statements-7"  # bump when rules change what is stored; stored analyses record it
