"""Drafting a negotiation from what a store has extracted: one module per part of the draft.

`facts` reads the store once and cites a row by its sentence; `parties` finds
mediators and patrons; `issues` turns stances into positions, series and
thresholds; `bodies` turns claims about members, blocs and votes into voting
bodies; `candidates` finds vetoes over names; `conferences` builds the
participation table; `capability` gives each actor a capability with its
source. `detente.negotiation.draft` puts them together.
"""
