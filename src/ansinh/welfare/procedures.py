"""The monthly social allowance application, declared on the dossier engine (owned by the allowance work)."""
