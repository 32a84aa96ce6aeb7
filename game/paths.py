"""Where the story and the guides live: bundled with the package, in a checkout, or in instructors' folders."""
from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
STORY_ENV = "OFFRAMP_STORY"


def bundled_story() -> Path:
    """The campaign shipped with offramp: inside the wheel, or the checkout's story/ folder."""
    packaged = PACKAGE_DIR / "_story"
    if packaged.is_dir():
        return packaged
    return PACKAGE_DIR.parent / "story"


def bundled_docs() -> Path:
    """The guides: shipped in the wheel as game/_docs, or the checkout's docs/ folder."""
    packaged = PACKAGE_DIR / "_docs"
    if packaged.is_dir():
        return packaged
    return PACKAGE_DIR.parent / "docs"


def story_paths(extra=()) -> list[Path]:
    """The bundled story, then folders from OFFRAMP_STORY, then --story folders."""
    paths = [bundled_story()]
    env = os.environ.get(STORY_ENV, "")
    paths += [Path(p) for p in env.split(os.pathsep) if p]
    paths += [Path(p) for p in extra]
    return paths
