"""The monthly social allowance: the procedure's effects (owned by the allowance work)."""
