"""Analysis -> Markdown / self-contained HTML / PDF."""
