"""Save slots that never lose a game: atomic JSON files, replayed and checked on load.

A save records what is needed to rebuild a session (scenario id, content hash, cast, seed,
the choice log) plus a snapshot of the state it reached. Loading replays the log one
choice at a time and compares the result with the snapshot, so a save is never
trusted blindly; when the scenario was edited since, the replay stops where the ids
stop matching and the trainee is told what was kept. Writes go to a temporary file
that is fsynced and renamed over the slot, and the previous good version is kept
beside it (``SLOT.json.bak``) as a fallback for a damaged file.
"""
from __future__ import annotations

import glob
import json
import os
import re
import tempfile
import time
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .errors import OfframpError
from .files import FileRefused, read_limited
from .text_safety import clean_line

if TYPE_CHECKING:  # the engine is imported on use, so listing slots never loads it
    from .engine import Session

SAVE_KIND = "offramp-save"
SAVE_VERSION = 1
SAVES_ENV = "OFFRAMP_SAVES"
AUTOSAVE_PREFIX = "autosave-"
SUFFIX = ".json"
BACKUP_SUFFIX = ".json.bak"
MAX_SLOT_CHARS = 64
MAX_SLOT_BYTES = 192  # file names stop at 255 bytes, and backups and temp files add to the slot's
MAX_SAVE_BYTES = 16 * 1024 * 1024
STALE_TEMP_SECONDS = 60
_FORBIDDEN = '/\\:*?"<>|'
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}


class SaveError(OfframpError):
    """A save cannot be written or read; the message is meant for the trainee."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class _DamagedSave(SaveError):
    """The file itself is bad (so the previous version is worth trying)."""

    def __init__(self, slot: str, problem: str):
        super().__init__(f"the save {slot!r} {problem}")
        self.problem = problem


@dataclass(frozen=True, slots=True)
class SlotInfo:
    """One slot as listed: ``error`` says why it cannot be read, or warns about a readable one."""

    slot: str
    scenario: str | None
    round: str | None
    saved_at: str | None  # ISO 8601 UTC, e.g. 2026-11-21T20:51:22Z
    readable: bool
    error: str | None
    ending: str | None = None


@dataclass(frozen=True, slots=True)
class LoadResult:
    session: Session
    notice: str | None  # what the trainee should know: a changed scenario, a damaged file


@dataclass(frozen=True, slots=True)
class _Record:
    """A save file's content once its shape has been checked."""

    scenario: str
    content_hash: str
    offramp: str  # the version that wrote it: a new engine may play the same story differently
    seed: int
    choices: list[tuple[str, str]]
    snapshot: dict
    created: str
    updated: str
    mode: str = "training"  # an assessment is resumed as an assessment, never with the coach on
    cast: dict[str, str] | None = None  # role -> persona id it was played against (None: saves from before)


def default_directory() -> Path:
    """OFFRAMP_SAVES, else ./saves when that folder exists, else the user's data folder."""
    env = os.environ.get(SAVES_ENV, "").strip()
    if env:
        return Path(env).expanduser()
    local = Path.cwd() / "saves"
    if local.is_dir():
        return local
    import platformdirs  # late: only the installed game without a saves/ folder needs it

    return Path(platformdirs.user_data_dir("offramp")) / "saves"


def check_slot(slot: str) -> str:
    """The slot name if it is safe as a file name; SaveError saying what is wrong otherwise."""
    if isinstance(slot, str) and slot.endswith(SUFFIX):
        slot = slot[: -len(SUFFIX)]
    if not isinstance(slot, str) or not slot.strip():
        raise SaveError("a save slot needs a name, e.g. 'before-the-signing'")
    problem = None
    if len(slot) > MAX_SLOT_CHARS or len(slot.encode("utf-8", "surrogatepass")) > MAX_SLOT_BYTES:
        problem = f"it is longer than {MAX_SLOT_CHARS} characters"
    elif any(unicodedata.category(ch).startswith("C") for ch in slot):
        problem = "it contains a control character"
    elif any(ch in _FORBIDDEN for ch in slot):
        problem = f"it contains '{next(ch for ch in slot if ch in _FORBIDDEN)}' (slot names are not paths)"
    elif ".." in slot:
        problem = "it contains '..'"
    elif slot.startswith(".") or slot != slot.strip() or slot.endswith("."):
        problem = "it starts with a dot or starts or ends with a space or dot"
    elif slot.split(".")[0].lower() in _RESERVED:
        problem = "it is a reserved device name on Windows"
    if problem:
        raise SaveError(f"the slot name {slot!r} cannot be used: {problem}. "
                        "Use letters, digits, spaces, '-', '_' and '.'")
    return slot


class SaveStore:
    """The save slots in one folder."""

    def __init__(self, directory=None):
        self.directory = Path(directory).expanduser() if directory else default_directory()
        _remove_orphaned_temps(self.directory)  # left by a writer killed mid-save, or a crash

    def path_for(self, slot: str) -> Path:
        return self.directory / (check_slot(slot) + SUFFIX)

    # -- writing --
    def autosave(self, session) -> Path:
        return self.save(session, AUTOSAVE_PREFIX + session.scenario.id)

    def save(self, session, slot: str) -> Path:
        path = self.path_for(slot)
        backup = _backup_of(path)
        now = _now()
        history = [list(pair) for pair in session.history]
        old_bytes, old = _read_quietly(path)
        same_game = (old is not None and old.scenario == session.scenario.id and old.seed == session.seed
                     and [list(p) for p in old.choices] == history[: len(old.choices)])
        payload = {
            "kind": SAVE_KIND,
            "version": SAVE_VERSION,
            "scenario": session.scenario.id,
            "title": session.scenario.title,
            "content_hash": session.scenario.content_hash,
            "offramp": __version__,
            "seed": session.seed,
            "mode": session.mode,
            "cast": dict(session.scenario.cast),
            "choices": history,
            "created": old.created if old is not None and same_game else now,
            "updated": now,
            "snapshot": session.snapshot(),
        }
        try:  # NaN or Infinity would be written as bare words no JSON reader (and no replay check) accepts
            data = json.dumps(payload, indent=1, ensure_ascii=False, allow_nan=False).encode("utf-8")
        except ValueError:
            raise SaveError(f"could not save {slot!r}: the game holds a number that is not finite "
                            "(a story bug); the previous save is kept") from None
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            _remove_stale_temps(path)
            if old is not None and old_bytes is not None and _would_load(old, slot, session.scenario):
                _keep_backup(path, backup, old_bytes)  # only a save that loads becomes the fallback
            _write_atomic(path, data)
        except OSError as err:
            raise SaveError(f"could not write the save {slot!r} in {self.directory}: "
                            f"{err.strerror or err}") from None
        return path

    # -- reading --
    def load(self, library, slot: str) -> LoadResult:
        slot = check_slot(slot)
        path = self.path_for(slot)
        backup = _backup_of(path)
        if not path.exists():
            known = ", ".join(i.slot for i in self.list()) or "none"
            raise SaveError(f"there is no save called {slot!r} in {self.directory} (saves there: {known})")
        try:
            return _load_file(path, slot, library)[0]
        except _DamagedSave as err:
            if not backup.exists():
                raise
            damage = err
        try:
            result, record = _load_file(backup, slot, library)
        except SaveError:
            raise damage from None
        notice = (f"the save {slot!r} {damage.problem}; its previous version was loaded instead "
                  f"(saved {_readable_time(record.updated)})")
        if result.notice:
            notice += "; also, " + result.notice
        return LoadResult(result.session, notice)

    def list(self) -> list[SlotInfo]:
        """Every slot in the folder, readable or not, by name."""
        if not self.directory.is_dir():
            return []
        infos = []
        for path in sorted(self.directory.glob("*" + SUFFIX)):
            if path.name.startswith(".") or not path.is_file():
                continue
            infos.append(self._info(path, path.name[: -len(SUFFIX)]))
        return infos

    def game_in_progress(self, scenario_id: str) -> SlotInfo | None:
        """The scenario's autosave when it holds an unfinished game (a new game would replace it)."""
        try:
            slots = self.list()
        except SaveError:
            return None
        return next((s for s in slots if s.slot == AUTOSAVE_PREFIX + scenario_id and s.readable
                     and s.ending is None), None)

    def has_autosave_of(self, session) -> bool:
        """Whether this scenario's autosave holds this very game (same seed, its choices so far)."""
        try:
            record = _read_record(self.path_for(AUTOSAVE_PREFIX + session.scenario.id), "autosave")
        except SaveError:
            return False
        history = [tuple(pair) for pair in session.history]
        return record.seed == session.seed and record.choices == history[: len(record.choices)]

    def latest_autosave(self) -> SlotInfo | None:
        autosaves = [i for i in self.list() if i.slot.startswith(AUTOSAVE_PREFIX) and i.readable and i.saved_at]
        return max(autosaves, key=lambda i: i.saved_at or "", default=None)

    def _info(self, path: Path, slot: str) -> SlotInfo:
        try:
            record = _read_record(path, slot)
        except SaveError as err:
            try:
                record = _read_record(_backup_of(path), slot)
            except SaveError:
                return SlotInfo(slot, None, None, _mtime(path), False, err.message)
            warning = f"{getattr(err, 'problem', err.message)}; its previous version will be loaded"
            return _slot_info(slot, record, warning)
        return _slot_info(slot, record, None)


def _slot_info(slot: str, record: _Record, warning: str | None) -> SlotInfo:
    snapshot = record.snapshot  # every field here comes from a file that may have been edited: shown clean
    ending = clean_line(snapshot["ending"]) if isinstance(snapshot.get("ending"), str) else None
    round_id = clean_line(snapshot["round"]) if isinstance(snapshot.get("round"), str) else None
    return SlotInfo(slot, clean_line(record.scenario), round_id, clean_line(record.updated), True, warning, ending)


# -- reading one file --

def _backup_of(path: Path) -> Path:
    return path.with_name(path.name[: -len(SUFFIX)] + BACKUP_SUFFIX)


def _read_quietly(path: Path) -> tuple[bytes | None, _Record | None]:
    """The current file and its record, or (None, None) when it is missing or bad."""
    try:
        data = read_limited(path, MAX_SAVE_BYTES)
        return data, _parse(data, path.stem)
    except (OSError, SaveError):
        return None, None


def _read_record(path: Path, slot: str) -> _Record:
    try:
        data = read_limited(path, MAX_SAVE_BYTES)
    except FileRefused as err:
        if not path.exists():
            raise _DamagedSave(slot, "does not exist") from None
        if path.is_file():  # too large, or unreadable: a damaged file, so the backup is worth trying
            raise _DamagedSave(slot, f"cannot be used: {err.reason}") from None
        raise SaveError(f"cannot read the save {slot!r}: {err.reason}") from None
    return _parse(data, slot)


class _NotFiniteInSave(OfframpError, ValueError):
    """JSON's NaN, Infinity or -Infinity: offramp never writes them."""


def _refuse_constant(word: str):
    raise _NotFiniteInSave(word)


def _parse(data: bytes, slot: str) -> _Record:
    """Check a save's bytes, from 'is it text' to 'does each field have the right type'."""
    def damaged(problem: str) -> _DamagedSave:
        return _DamagedSave(slot, problem)

    if not data.strip():
        raise damaged("is empty: the file holds no data")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise damaged(f"is corrupted: byte {err.start} is not UTF-8 text") from None
    try:
        raw = json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as err:
        if not text.lstrip().startswith(("{", "[")):
            raise damaged("is not a save file: it is not JSON") from None
        if not text.rstrip().endswith("}"):
            raise damaged(f"is truncated: the file stops after {len(data):,} bytes, "
                          "before the end of the save") from None
        raise damaged(f"is corrupted: invalid JSON at line {err.lineno} column {err.colno} "
                      f"({err.msg})") from None
    except RecursionError:
        raise damaged("is not a save file: its JSON is nested too deeply") from None
    except _NotFiniteInSave as err:
        raise damaged(f"was damaged or edited by hand: it holds {err.args[0]}, which is not a finite number") from None
    except ValueError as err:  # e.g. an integer of more than 4,300 digits
        raise damaged(f"is corrupted: {err}".split(";")[0]) from None
    if not isinstance(raw, dict) or raw.get("kind") != SAVE_KIND:
        raise damaged(f"is not an offramp save: it is JSON, but has no \"kind\": \"{SAVE_KIND}\"")
    version = raw.get("version")
    if version != SAVE_VERSION:
        if isinstance(version, int) and not isinstance(version, bool) and version > SAVE_VERSION:
            raise damaged(f"was written in save format {version} by a newer offramp; "
                          f"this one reads format {SAVE_VERSION}. Update offramp to load it")
        raise damaged(f"has save format {version!r}; this offramp reads format {SAVE_VERSION}")
    fields = {"scenario": str, "content_hash": str, "offramp": str, "seed": int, "choices": list,
              "snapshot": dict, "created": str, "updated": str}
    for name, kind in fields.items():
        value = raw.get(name)
        if not isinstance(value, kind) or isinstance(value, bool):
            what = {str: "text", int: "a whole number", list: "a list", dict: "an object"}[kind]
            found = "missing" if name not in raw else f"found {_short(value)}"
            raise damaged(f"was damaged or edited by hand: field {name!r} should be {what} ({found})")
    choices = []
    for index, pair in enumerate(raw["choices"]):
        if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(p, str) for p in pair)):
            raise damaged(f"was damaged or edited by hand: choice {index + 1} should be "
                          f"[round, choice], not {_short(pair)}")
        choices.append((pair[0], pair[1]))
    snapshot = raw["snapshot"]
    for name in ("scenario", "seed", "choices"):
        if snapshot.get(name) != raw[name]:
            raise damaged(f"was damaged or edited by hand: its snapshot and its record disagree about {name!r}")
    mode = raw.get("mode", "training")  # saves from before modes were kept were training games
    if mode not in ("training", "assessment") or snapshot.get("mode", mode) != mode:
        raise damaged(f"was damaged or edited by hand: its mode {_short(mode)} does not match its snapshot")
    cast = raw.get("cast")
    if cast is not None and not (isinstance(cast, dict) and all(
            isinstance(k, str) and isinstance(v, str) for k, v in cast.items())):
        raise damaged(f"was damaged or edited by hand: its cast should map roles to persona ids, not {_short(cast)}")
    return _Record(raw["scenario"], raw["content_hash"], raw["offramp"], raw["seed"], choices, raw["snapshot"],
                   raw["created"], raw["updated"], mode, cast)


def _would_load(record: _Record, slot: str, scenario) -> bool:
    """Whether loading would accept this record as it is, judged with the scenario being saved.
    A record of another scenario cannot be replayed here, so it is not trusted as a fallback."""
    if record.scenario != scenario.id or (record.cast is not None and record.cast != scenario.cast):
        return False
    library = _OneScenario({scenario.id: scenario}, {})
    try:
        _resume(record, slot, library)
    except SaveError:
        return False
    return True


@dataclass(frozen=True, slots=True)
class _OneScenario:
    """The two tables of a library that loading a save reads."""

    scenarios: dict
    scenario_files: dict


def _load_file(path: Path, slot: str, library) -> tuple[LoadResult, _Record]:
    record = _read_record(path, slot)
    return _resume(record, slot, library), record


def _resume(record: _Record, slot: str, library) -> LoadResult:
    """Replay a record against the library: the session, or _DamagedSave when it does not replay."""
    scenario = library.scenarios.get(record.scenario)
    if scenario is None:
        if record.scenario in library.scenario_files:
            raise SaveError(f"the save {slot!r} is for scenario {record.scenario!r}, which has errors now; "
                            "run 'offramp validate' to see them")
        raise SaveError(f"the save {slot!r} is for scenario {record.scenario!r}, which is not in the story "
                        "library (add its folder with --story DIR?)")
    if record.cast is not None and record.cast != scenario.cast:
        scenario = _recast(record, slot, library)
    said = _said(record.snapshot)
    session, kept, problem = _replay(scenario, record.seed, record.choices, said)
    session.mode = record.mode
    total = len(record.choices)
    if record.content_hash != scenario.content_hash:
        changed = "the scenario changed since this save"
    elif record.offramp != __version__:
        changed = f"this save was made by offramp {record.offramp}, which may play differently from {__version__}"
    else:  # same story, same engine: the replay must match the snapshot exactly
        if problem is None:
            problem = _mismatch(session, record)
        if problem is not None:
            raise _DamagedSave(slot, f"was damaged or edited by hand: it does not replay as recorded ({problem})")
        return LoadResult(session, None)
    if problem is not None:
        notice = f"{changed}: {problem}; resumed after {kept} of {total} choices, {_where(session)}"
    else:
        notice = f"{changed}; all {total} choices still apply and were replayed"
        moved = _value_changes(session, record.snapshot)
        if moved:
            notice += f", which changes {moved}"
        notice += f"; {_where(session)}"
    return LoadResult(session, notice)


def _recast(record: _Record, slot: str, library):
    """The scenario against the cast the save was played with (``--cast`` or the picker's choice),
    whatever cast the library holds now, so the replay meets the same personas."""
    from .engine import CastError, recast

    cast = record.cast or {}
    try:
        return recast(library, record.scenario, cast, keep=False)
    except CastError as err:
        played = ", ".join(f"{role}={persona}" for role, persona in cast.items())
        raise SaveError(f"the save {slot!r} was played against {played}, which no longer fits scenario "
                        f"{record.scenario!r}:\n" + "\n".join(str(d) for d in err.diagnostics)) from None


def _said(snapshot: dict) -> dict[int, str]:
    """The trainee's typed words by turn, as the snapshot keeps them (free-text games)."""
    raw = snapshot.get("said", {})
    if not isinstance(raw, dict):
        return {}
    return {int(k): v for k, v in raw.items() if str(k).isdigit() and isinstance(v, str)}


def _replay(scenario, seed: int, choices, said: dict[int, str]) -> tuple[Session, int, str | None]:
    """Replay choices while their ids still match: (session, choices kept, why it stopped)."""
    from .engine import ChoiceError, EngineError, Session

    session = Session(scenario, seed)
    for index, (round_id, choice_id) in enumerate(choices):
        problem = _obstacle(session, round_id, choice_id)
        if problem is None:
            try:
                session.choose(choice_id, said=said.get(index + 1))
                continue
            except (ChoiceError, EngineError) as err:
                problem = f"choice {choice_id!r} in round {round_id!r} now fails ({err})"
                session = Session.replay(scenario, seed, [c for _, c in choices[:index]], said)
        return session, index, problem
    return session, len(choices), None


def _obstacle(session, round_id: str, choice_id: str) -> str | None:
    scenario = session.scenario
    if session.ended:
        return f"the game now ends ({session.ending!r}) before round {round_id!r}"
    if round_id not in scenario.rounds:
        return f"round {round_id!r} no longer exists"
    if session.round_id != round_id:
        return f"the game now goes to round {session.round_id!r} where it went to round {round_id!r}"
    if choice_id not in session.round.by_id:
        return f"choice {choice_id!r} no longer exists in round {round_id!r}"
    if choice_id not in {c.id for c in session.choices()}:
        return f"choice {choice_id!r} in round {round_id!r} is no longer open"
    return None


def _mismatch(session, record: _Record) -> str | None:
    """How the replayed game differs from the save's snapshot, if it does."""
    snap = record.snapshot
    if snap.get("round") != session.round_id:
        return f"the snapshot is at round {snap.get('round')!r}, the replay at {session.round_id!r}"
    if snap.get("ending") != session.ending:
        return f"the snapshot ended at {snap.get('ending')!r}, the replay at {session.ending!r}"
    values = snap.get("values")
    if not isinstance(values, dict):
        return "the snapshot has no values"
    for name, value in session.variables().items():
        if values.get(name) != value:
            return f"{name!r} is {_short(values.get(name))} in the save but {_short(value)} after replaying"
    extra = sorted(set(values) - set(session.variables()))
    if extra:
        return f"the snapshot holds an unknown value {extra[0]!r}"
    return None


def _value_changes(session, snapshot: dict, limit: int = 3) -> str:
    found = snapshot.get("values")
    values: dict = found if isinstance(found, dict) else {}
    changes = [f"{name} {_short(values[name])} -> {_short(value)}"
               for name, value in session.variables().items() if name in values and values[name] != value]
    return ", ".join(changes[:limit]) + (" and more" if len(changes) > limit else "")


def _where(session) -> str:
    if session.ended:
        return f"at the ending {session.ending!r}"
    return f"at round {session.round_id!r}"


# -- writing one file --

def _write_atomic(path: Path, data: bytes) -> None:
    """Write beside the target, fsync, then rename over it: readers see old or new, never half."""
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        try:
            os.unlink(temp)
        except OSError:
            pass
        raise
    _fsync_directory(path.parent)


def _keep_backup(path: Path, backup: Path, data: bytes) -> None:
    """Make ``backup`` the current version: a second name for the same file when the file
    system allows (nothing to copy or fsync), else an atomic copy."""
    link = backup.with_name(f".{backup.name}.{os.getpid()}.{time.monotonic_ns()}.tmp")
    try:
        os.link(path, link)
    except OSError:
        _write_atomic(backup, data)
        return
    try:
        os.replace(link, backup)
    finally:  # when backup already was this very file, rename does nothing and the link stays
        link.unlink(missing_ok=True)


def _fsync_directory(directory: Path) -> None:
    """Make the rename itself durable (POSIX only; Windows has no directory handles)."""
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


_TEMP_OWNER = re.compile(r"\.(\d+)\.\w+\.tmp$")  # '.SLOT.json[.bak].PID.RANDOM.tmp'


def _remove_stale_temps(path: Path) -> None:
    """Temp files of this slot left by a writer that was killed mid-save."""
    _remove_orphaned_temps(path.parent, glob.escape(f".{path.name}") + "*.tmp")


def _remove_orphaned_temps(directory: Path, pattern: str = ".*.json*.tmp") -> None:
    """Remove temp files whose writer is gone: its process no longer exists, or the file is older
    than STALE_TEMP_SECONDS (a live writer's temp lasts milliseconds)."""
    cutoff = time.time() - STALE_TEMP_SECONDS
    try:
        temps = list(directory.glob(pattern))
    except OSError:
        return
    for temp in temps:
        try:
            if _writer_gone(temp.name) or temp.lstat().st_mtime < cutoff:
                temp.unlink()
        except OSError:
            pass


def _writer_gone(name: str) -> bool:
    match = _TEMP_OWNER.search(name)
    if match is None or os.name != "posix":  # Windows: os.kill would end the process, so age alone decides
        return False
    pid = int(match.group(1))
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except (PermissionError, OverflowError):
        return False
    return False


# -- small helpers --

def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _mtime(path: Path) -> str | None:
    try:
        return datetime.fromtimestamp(path.stat().st_mtime, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    except OSError:
        return None


def _readable_time(stamp: str) -> str:
    return stamp.replace("T", " ").replace("Z", " UTC")


def _short(value, limit: int = 40) -> str:
    """A value for a message; containers by size only (they may be nested absurdly deep)."""
    if isinstance(value, list):
        return f"a list of {len(value)}"
    if isinstance(value, dict):
        return f"an object of {len(value)} fields"
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
