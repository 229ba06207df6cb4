"""Quotations, direct, indirect and mixed, and who said them."""
