"""Reading and writing files: case files, PrefLib, Polis exports, JSON Schema."""
