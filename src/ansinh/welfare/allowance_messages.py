"""The allowance notification templates (English source; Vietnamese in the catalogue)."""
