"""Stances: who supports, opposes or sets conditions on what."""
