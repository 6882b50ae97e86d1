"""The pension notification templates (English source; Vietnamese in the catalogue)."""
