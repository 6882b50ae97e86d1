"""The card notification templates (English source; Vietnamese in the catalogue)."""
