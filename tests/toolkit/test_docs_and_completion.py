"""What ships for users who have only the installed package: guides and shell completion."""
from __future__ import annotations

import ast
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from game.cli import COMMANDS

from .helpers import ROOT, offramp


def test_docs_lists_every_guide_and_prints_one_whole():
    listing = offramp("docs")
    assert listing.returncode == 0
    assert [line.split()[0] for line in listing.stdout.splitlines()] == sorted(
        p.stem for p in (ROOT / "docs").glob("*.md"))
    guide = offramp("docs", "authoring")
    assert guide.stdout == (ROOT / "docs" / "authoring.md").read_text(encoding="utf-8")
    unknown = offramp("docs", "nonsense")
    assert unknown.returncode == 2 and "the guides are: " in unknown.stderr


def test_no_message_points_at_a_file_the_wheel_does_not_ship():
    """Help texts and scaffolds name `offramp docs TOPIC`, not docs/*.md of a checkout."""
    offenders = []
    for path in (ROOT / "game").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                      if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef)) and node.body
                      and isinstance(node.body[0], ast.Expr)}
        for node in ast.walk(tree):
            if (isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
                    and re.search(r"docs/[\w-]+\.md", node.value)):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value[:80]!r}")
    assert offenders == []


@pytest.mark.parametrize("shell", ["bash", "zsh"])
def test_completion_knows_every_command(shell):
    script = offramp("completion", shell).stdout
    for command in COMMANDS:
        assert command in script, command


def test_bash_loads_the_completion_and_completes_a_command(tmp_path):
    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("needs bash")
    script = tmp_path / "offramp.bash"
    script.write_text(offramp("completion", "bash").stdout)
    probe = (f"source {script}; COMP_WORDS=(offramp exp); COMP_CWORD=1; COMP_LINE='offramp exp'; "
             "COMP_POINT=${#COMP_LINE}; $(complete -p offramp | sed 's/.*-F \\([^ ]*\\).*/\\1/') offramp exp offramp; "
             "printf '%s\\n' \"${COMPREPLY[@]}\"")
    done = subprocess.run([bash, "-c", probe], capture_output=True, text=True, timeout=30)
    assert "explore" in done.stdout.split(), done.stdout + done.stderr
    assert Path(script).stat().st_size > 0


def test_every_readme_link_names_what_ships():
    """A package index shows the README without the repository around it (offramp has no public
    home to link to), so a relative link must name what a user of the package has: a guide with the
    `offramp docs TOPIC` that prints it, an image under docs/ (in the wheel), or a file of the
    source archive, said so."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    links = [(line, m.group(1), m.group(2)) for line in readme.splitlines()
             for m in re.finditer(r"(!?)\[[^\]]*\]\(([^)\s]+)\)", line)]
    assert links
    guides = set()
    for line, image, target in links:
        if re.match(r"https?://", target):
            continue
        path = ROOT / target
        assert path.is_file(), target
        if image:
            assert path.parent == ROOT / "docs", target
        elif path.parent == ROOT / "docs" and path.suffix == ".md":
            assert f"`offramp docs {path.stem}`" in line, line
            guides.add(path.stem)
        else:
            assert f"`{target}` in the source archive" in line, line
    assert guides == {p.stem for p in (ROOT / "docs").glob("*.md")}
