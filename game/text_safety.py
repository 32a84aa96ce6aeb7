"""The one sanitiser for text bound for a terminal: author text, save fields, file names.

A story file can hold "\\e]0;...\\a" in a double-quoted string, a save can be edited by
hand and a file name can contain a newline. Printed raw, an OSC sequence retitles the
terminal, a CSI sequence moves the cursor and a newline forges a diagnostic line. So
escape sequences are dropped whole (not just their ESC byte, which would leave "[2J" on
screen), other control and bidirectional-override characters are dropped, and for text
that must stay on one line (file names, slot names) line breaks become a visible ``\\n``.
"""
from __future__ import annotations

import re

# ESC followed by: an OSC/DCS/SOS/PM/APC string up to its terminator, a CSI sequence, or one
# more character; the same sequences introduced by their 8-bit C1 forms (0x9b CSI, 0x9d OSC, ...).
_SEQUENCE = re.compile(
    r"(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?"
    r"|\x1b[\x20-\x7e]?"
)
# C0 and C1 controls except tab and newline, DEL, and the bidirectional overrides and isolates
# (which can make a line read differently from what it holds).
UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_BREAKS = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def clean(text: str) -> str:
    """``text`` without escape sequences or control characters; newlines and tabs kept."""
    text = text.replace("\r\n", "\n")
    if not UNSAFE.search(text):
        return text
    return UNSAFE.sub("", _SEQUENCE.sub("", text))


def clean_line(text: str) -> str:
    """``text`` for one line of output: as ``clean``, with line breaks and tabs shown as \\n, \\r, \\t."""
    text = str(text)
    if not UNSAFE.search(text) and "\n" not in text:
        return text
    text = "".join(_BREAKS.get(ch, ch) for ch in _SEQUENCE.sub("", text))
    return UNSAFE.sub("", text)
