"""Temporal expressions resolved against the publication date."""
