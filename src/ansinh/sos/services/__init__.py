"""Every write of the workers-abroad service: notices, and support and SOS requests."""
