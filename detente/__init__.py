"""detente: a sourced model of a peace negotiation, built from news reports."""

__version__ = "0.1.0"
