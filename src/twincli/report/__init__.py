"""Markdown reports: which there are, what they receive, the templates, and writing them."""
