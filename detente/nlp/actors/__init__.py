"""Actors: who a report names, under which names, with which roles."""
