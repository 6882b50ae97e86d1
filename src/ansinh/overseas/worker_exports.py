"""Worker-list exports (filled in by the exports work)."""
