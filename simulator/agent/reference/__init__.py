"""agent/reference."""
