"""The shared world fixtures of the access tests (see world.py)."""

from tests.security.world import base, world

__all__ = ["base", "world"]
