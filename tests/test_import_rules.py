"""Each package's face is its ``__init__``: no package imports another's underscore module."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "simulator"


def _owner(module: str) -> str:
    """The package a module belongs to: ``simulator.user._moves`` -> ``simulator.user``."""
    parts = module.split(".")
    return ".".join(parts[:2]) if len(parts) > 2 else "simulator"


def _private(module: str) -> bool:
    """Whether ``module`` is an underscore module (or inside one) of its package."""
    return any(part.startswith("_") and part != "__init__" for part in module.split(".")[1:])


def violations() -> list[str]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE.parent).with_suffix("")
        here = ".".join(rel.parts)
        if here.endswith(".__init__"):
            here = here[: -len(".__init__")]
        mine = here if path.name == "__init__.py" and here.count(".") == 1 else _owner(here)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                continue
            for name in names:
                if not name.startswith("simulator.") or not _private(name):
                    continue
                if _owner(name) != mine:
                    found.append(f"{rel}.py:{node.lineno}: imports {name}")
    return found


def test_no_package_imports_another_packages_underscore_module() -> None:
    assert violations() == []
