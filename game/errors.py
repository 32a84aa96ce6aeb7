"""The one exception base class of offramp, so callers can catch any of its errors with one clause.

It lives outside the engine on purpose: the command line catches it without loading the engine.
"""
from __future__ import annotations


class OfframpError(Exception):
    """Base of every error offramp raises on purpose (a user's, an author's or a save file's mistake)."""
