"""PLOVER events: who did what to whom, when, and whether it happened."""
