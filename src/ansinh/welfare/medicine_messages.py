"""The medicine notification templates (English source; Vietnamese in the catalogue)."""
