"""Pages (filled in)."""
