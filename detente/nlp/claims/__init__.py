"""Numeric claims: the figures a report states, with who states them."""
