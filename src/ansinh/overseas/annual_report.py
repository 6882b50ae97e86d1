"""The annual enterprise report (filled in by the reports work)."""
