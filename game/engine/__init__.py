"""The pure engine: story loading, validation, expressions, persona, scoring, sessions.

Nothing here imports Textual; the TUI, the CLI and the tools are layers on top.
"""
from .compiler import CastError, recast
from .diagnostics import Diagnostic, Diagnostics
from .library import Library
from .loader import load_library
from .session import Beat, ChoiceError, Dice, EngineError, Session, SessionState, SnapshotError

__all__ = [
    "Beat", "CastError", "ChoiceError", "Diagnostic", "Diagnostics", "Dice", "EngineError", "Library", "Session",
    "SessionState", "SnapshotError", "load_library", "recast",
]
