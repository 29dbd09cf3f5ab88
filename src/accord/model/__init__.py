"""Domain types (pydantic v2). No I/O and no numpy here."""
