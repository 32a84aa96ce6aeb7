"""Schemas an editor can use: offramp new, record, schema --write and editor set-up.

The modeline test runs a real yaml-language-server (from npm, installed into a temp folder)
against a scenario made by ``offramp new``: a misspelled key must be reported through the
modeline alone, with no editor settings.
"""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from game.engine.spec import KINDS
from game.tools import jsonschema

from .helpers import offramp
from .lsp_client import LspClient


@pytest.fixture(scope="module")
def language_server(tmp_path_factory):
    npm, node = shutil.which("npm"), shutil.which("node")
    if not (npm and node):
        pytest.skip("needs Node.js and npm to install yaml-language-server")
    folder = tmp_path_factory.mktemp("yls")
    done = subprocess.run([npm, "install", "--silent", "--no-audit", "--no-fund", "yaml-language-server@1"],
                          cwd=folder, capture_output=True, text=True, timeout=300)
    server = folder / "node_modules" / "yaml-language-server" / "bin" / "yaml-language-server"
    if done.returncode != 0 or not server.exists():
        pytest.skip(f"could not install yaml-language-server from npm: {done.stderr.strip()[-300:]}")
    return [node, str(server), "--stdio"]


@pytest.mark.slow
def test_a_misspelled_key_in_a_new_scenario_is_reported_through_the_modeline(tmp_path, language_server):
    project = tmp_path / "project"
    assert offramp("new", "first-meeting", "--dir", project / "drafts").returncode == 0
    scenario = project / "drafts" / "first-meeting.yaml"
    text = scenario.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=schemas/scenario.json\n")
    scenario.write_text(text.replace("\ntitle:", "\ntitel:", 1), encoding="utf-8")
    client = LspClient(language_server, project)
    try:
        found = client.diagnostics(scenario, timeout=60)
    finally:
        client.close()
    messages = [d["message"] for d in found]
    assert "Property titel is not allowed." in messages, messages
    lines = scenario.read_text(encoding="utf-8").splitlines()
    typo_line = next(i for i, line in enumerate(lines) if line.startswith("titel:"))
    assert typo_line in {d["range"]["start"]["line"] for d in found}


def test_record_into_a_new_folder_writes_the_file_and_its_schema(tmp_path):
    out = tmp_path / "not" / "yet" / "there.yaml"
    result = offramp("record", "tutorial", "--seed", "2", "--out", out)
    assert result.returncode == 0, result.stderr
    assert out.read_text(encoding="utf-8").splitlines()[0] == "# yaml-language-server: $schema=schemas/playthrough.json"
    assert json.loads((out.parent / "schemas" / "playthrough.json").read_text()) == jsonschema.schema("playthrough")


@pytest.mark.parametrize("command", [("schema", "scenario"), ("graph", "tutorial")])
def test_out_into_a_new_folder_is_created(tmp_path, command):
    out = tmp_path / "a" / "b" / "file.out"
    result = offramp(*command, "--out", out)
    assert result.returncode == 0 and out.stat().st_size > 0, result.stderr


def test_out_where_a_file_blocks_the_folder_is_one_line_not_a_traceback(tmp_path):
    (tmp_path / "a").write_text("a file, not a folder")
    result = offramp("schema", "scenario", "--out", tmp_path / "a" / "s.json")
    assert result.returncode == 1 and "cannot write" in result.stderr and "Traceback" not in result.stderr


def test_schema_write_puts_every_kind_with_an_id(tmp_path):
    result = offramp("schema", "--write", tmp_path / "schemas")
    assert result.returncode == 0, result.stderr
    ids = {json.loads((tmp_path / "schemas" / f"{kind}.json").read_text())["$id"] for kind in KINDS}
    assert ids == {f"urn:offramp:schema:format-1:{kind}" for kind in KINDS}
    assert offramp("schema").returncode == 2


def test_editor_setup_maps_every_schema_and_keeps_other_settings(tmp_path):
    settings = tmp_path / ".vscode" / "settings.json"
    settings.parent.mkdir()
    settings.write_text('{"editor.tabSize": 2}')
    assert offramp("editor", "--dir", tmp_path).returncode == 0
    written = json.loads(settings.read_text())
    assert written["editor.tabSize"] == 2
    for kind in KINDS:
        target = tmp_path / written_key(written, kind)
        assert json.loads(target.read_text())["$id"].endswith(kind)
    settings.write_text("{// a comment VS Code allows\n}")
    refused = offramp("editor", "--dir", tmp_path)
    assert refused.returncode == 1 and "not plain JSON" in refused.stderr
    assert settings.read_text().startswith("{// a comment")


def written_key(settings: dict, kind: str) -> Path:
    return Path(next(key for key in settings["yaml.schemas"] if key.endswith(f"/{kind}.json")))
