"""Comparing coders: the agreement figures per tag, the passages coders differ on side by side,
and settling them into a consensus coder (Tools › Compare Coders…)."""
