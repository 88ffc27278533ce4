"""Live monitoring (issue #20): watch sources, keep every revision of an article, raise alerts on what changed."""
