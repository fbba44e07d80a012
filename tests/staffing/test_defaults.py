"""A default is written in one place only (STYLE.md): the service-level threshold and the
shrinkage are :data:`staffing.model.DEFAULT_ANSWER_WITHIN_SECONDS` and
:data:`staffing.model.DEFAULT_SHRINKAGE`, and every function, field and CLI option taking one
defaults to that constant, not to a number of its own."""

from __future__ import annotations

import ast
import dataclasses
import inspect
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from staffing import channel_staffing, cli, queueing, requirements
from staffing.model import DEFAULT_ANSWER_WITHIN_SECONDS, DEFAULT_SHRINKAGE, Channel, ChannelKind

ROOT = Path(__file__).resolve().parents[2]
#: Parameter and field names of each default, by the constant that defines it.
NAMES = {
    "DEFAULT_ANSWER_WITHIN_SECONDS": {"within", "within_seconds", "answer_within_seconds"},
    "DEFAULT_SHRINKAGE": {"shrinkage"},
}


def test_the_defaults_keep_their_values() -> None:
    # The usual "80/20" target of a contact centre (80% answered within 20 s), no shrinkage.
    assert DEFAULT_ANSWER_WITHIN_SECONDS == 20.0
    assert DEFAULT_SHRINKAGE == 0.0


@pytest.mark.parametrize(
    ("func", "parameter", "default"),
    [
        (queueing.required_agents, "within", DEFAULT_ANSWER_WITHIN_SECONDS),
        (channel_staffing.staff_calls, "within_seconds", DEFAULT_ANSWER_WITHIN_SECONDS),
        (channel_staffing.staff_walk_in, "within_seconds", DEFAULT_ANSWER_WITHIN_SECONDS),
        (channel_staffing.staff_chat, "within_seconds", DEFAULT_ANSWER_WITHIN_SECONDS),
        (requirements.erlang_calculator, "within_seconds", DEFAULT_ANSWER_WITHIN_SECONDS),
        (requirements.erlang_calculator, "shrinkage", DEFAULT_SHRINKAGE),
        (cli.erlang, "within", DEFAULT_ANSWER_WITHIN_SECONDS),
        (cli.erlang, "shrinkage", DEFAULT_SHRINKAGE),
    ],
)
def test_each_function_defaults_to_the_constant(
    func: Callable[..., Any], parameter: str, default: float
) -> None:
    assert inspect.signature(func).parameters[parameter].default == default


def test_a_channel_defaults_to_the_constants() -> None:
    fields = {f.name: f.default for f in dataclasses.fields(Channel)}
    assert fields["answer_within_seconds"] == DEFAULT_ANSWER_WITHIN_SECONDS
    assert fields["shrinkage"] == DEFAULT_SHRINKAGE
    channel = Channel(id="c", name="C", kind=ChannelKind.CALLS, role="r", aht_seconds=180.0)
    assert channel.answer_within_seconds == DEFAULT_ANSWER_WITHIN_SECONDS
    assert channel.shrinkage == DEFAULT_SHRINKAGE


def test_the_erlang_command_without_within_or_shrinkage_uses_the_defaults() -> None:
    done = CliRunner().invoke(
        cli.app, ["erlang", "--volume", "100", "--period", "1800", "--aht", "180", "--sl", "0.8",
                  "--json"],
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    expected = requirements.erlang_calculator(
        volume=100, period_seconds=1800, aht_seconds=180, service_level=0.8
    )
    assert json.loads(done.output) == json.loads(json.dumps(expected.as_dict()))


def _literal_defaults(path: Path) -> list[str]:
    """``name = <number>`` defaults (of parameters or class fields) of the names in NAMES."""
    watched = set().union(*NAMES.values())
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        pairs: list[tuple[str, ast.expr | None]] = []
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            args = node.args
            positional = args.posonlyargs + args.args
            pairs += zip(
                [a.arg for a in positional[len(positional) - len(args.defaults) :]],
                args.defaults,
                strict=True,
            )
            pairs += [(a.arg, d) for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True)]
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            pairs.append((node.target.id, node.value))
        for name, value in pairs:
            if name in watched and isinstance(value, ast.Constant) and value.value is not None:
                found.append(f"{path.relative_to(ROOT)}:{value.lineno}: {name} = {value.value!r}")
    return found


def test_no_module_writes_the_default_as_a_number_of_its_own() -> None:
    files = sorted((ROOT / "staffing").rglob("*.py")) + sorted((ROOT / "ui").rglob("*.py"))
    files.append(ROOT / "app.py")
    assert files
    assert [hit for f in files for hit in _literal_defaults(f)] == []
