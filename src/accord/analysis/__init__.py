"""Pure analysis over numpy arrays: no I/O, no web, no database."""
