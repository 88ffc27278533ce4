"""The ordered stages every document goes through, and the loop that runs them."""
