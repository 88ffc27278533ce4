"""Pure language stages over clean article text: quotes, parsing, entities, statements, claims."""
