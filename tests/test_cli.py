"""The command line: documented, and errors are messages, not tracebacks."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from kg.cli import main, make_parser

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _subcommands():
    parser = make_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    return sub.choices


@pytest.mark.parametrize("name", sorted(_subcommands()))
def test_every_command_and_option_is_in_the_readme(name):
    assert f"kg {name}" in README, f"`kg {name}` is not documented in README.md"
    for action in _subcommands()[name]._actions:
        for opt in action.option_strings:
            if opt.startswith("--") and opt != "--help":
                assert re.search(rf"{re.escape(opt)}\b", README), f"`kg {name} {opt}` is not documented in README.md"


def test_missing_input_is_a_message_with_exit_status_1(tmp_path, capsys):
    assert main(["build", str(tmp_path / "nope"), "--store", str(tmp_path / "s")]) == 1
    err = capsys.readouterr().err
    assert "nope: no such file or folder" in err and "Traceback" not in err


def test_query_without_a_store_says_how_to_build_one(tmp_path, capsys):
    assert main(["query", "ASK {}", "--store", str(tmp_path / "none")]) == 1
    assert "kg build" in capsys.readouterr().err


def test_build_py_is_a_thin_entry_point(tmp_path):
    out = subprocess.run([sys.executable, str(ROOT / "build.py"), "--help"], capture_output=True, text=True, cwd=tmp_path)
    assert out.returncode == 0 and "--store" in out.stdout


def test_every_example_query_is_listed_in_the_readme():
    for query in sorted((ROOT / "queries").glob("*.rq")):
        assert f"`{query.name}`" in README, f"{query.name} is not listed in README.md"
