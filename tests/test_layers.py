"""Imports point down: every module under app/ sits in one layer and imports only the layers
its row in ALLOWED names (docs/architecture.md draws the same table).

Function-level imports count as much as those at the top of a module: an import moved into a
function to dodge a cycle is still a wire from one layer to another.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parent.parent / "app"

# Module, or package with everything under it -> layer. A new top-level module must be
# placed here deliberately; the longest matching name wins.
LAYERS: dict[str, str] = {
    "app": "core",
    "app.config": "core",
    "app.ids": "core",
    "app.i18n": "core",
    "app.events": "core",
    "app.db": "core",
    "app.decks": "core",
    "app.backup": "core",
    "app.mail_transport": "core",
    "app.mail_templates": "core",
    "app.models": "models",
    "app.agenda_models": "models",
    "app.mail_models": "models",
    "app.services": "services",
    "app.templating": "templating",
    "app.live": "live",
    "app.exports": "exports",
    "app.deps": "web",
    "app.security": "web",
    "app.head": "web",
    "app.body_limit": "web",
    "app.language_switch": "web",
    "app.web": "web",
    "app.api": "web",
    "app.routes": "routes",
    "app.main": "entry",
    "app.api_app": "entry",
    "app.asgi": "entry",
    "app.cli": "entry",
    "app.mail_worker": "entry",
}

_BELOW_TEMPLATING = {"core", "models", "services"}
# Layer -> the layers its modules may import (its own included).
ALLOWED: dict[str, set[str]] = {
    "core": {"core"},
    "models": {"core", "models"},
    "services": {"core", "models", "services"},
    "templating": _BELOW_TEMPLATING | {"templating"},
    "live": _BELOW_TEMPLATING | {"templating", "live"},
    "exports": _BELOW_TEMPLATING | {"templating", "exports"},
    "web": _BELOW_TEMPLATING | {"templating", "web"},
    "routes": _BELOW_TEMPLATING | {"templating", "live", "exports", "web", "routes"},
    "entry": set(),  # filled below: an entry point may import anything
}
ALLOWED["entry"] = set(ALLOWED) | {"entry"}


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def layer_of(module: str) -> str | None:
    """The layer of `module` or of the nearest package holding it (`app` itself only exactly)."""
    name = module
    while name:
        if name in LAYERS and (name == module or "." in name):
            return LAYERS[name]
        name = name.rpartition(".")[0]
    return None


def imported(tree: ast.Module, module: str, is_package: bool) -> list[tuple[int, str]]:
    """Every module `module` imports, at any depth of the tree, with its line number."""
    package = module if is_package else module.rpartition(".")[0]
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            # `from app.services import agenda` imports app.services.agenda, a module.
            found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
    return found


def _target(name: str, root: Path) -> str:
    """`name` if it is a module or package under root, else its parent (a name in a module)."""
    relative = name.split(".")[1:]
    path = root.joinpath(*relative)
    if path.with_suffix(".py").is_file() or (path / "__init__.py").is_file():
        return name
    return name.rpartition(".")[0]


def violations(root: Path) -> list[str]:
    """One line per import that points the wrong way, or per module placed in no layer."""
    top = root.name
    problems: list[str] = []
    for path in sorted(root.rglob("*.py")):
        module = module_name(path, root)
        where = path.relative_to(root.parent)
        layer = layer_of(module)
        if layer is None:
            problems.append(f"{where}: {module} is in no layer; add it to LAYERS")
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for line, name in imported(tree, module, path.name == "__init__.py"):
            if name != top and not name.startswith(top + "."):
                continue
            target = _target(name, root)
            target_layer = layer_of(target)
            if target_layer is not None and target_layer not in ALLOWED[layer]:
                problems.append(
                    f"{where}:{line}: {module} ({layer}) imports {target} ({target_layer})"
                )
    return problems


# Session methods that write; an export only reads (a writing step belongs in app/services/).
WRITES = {"add", "add_all", "commit", "delete", "flush", "merge", "bulk_save_objects"}


def database_writes(folder: Path) -> list[str]:
    """Calls such as `session.commit()` in the modules under `folder`."""
    found: list[str] = []
    for path in sorted(folder.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            call = node.func if isinstance(node, ast.Call) else None
            if isinstance(call, ast.Attribute) and call.attr in WRITES:
                found.append(f"{path.relative_to(folder.parent)}:{node.lineno}: .{call.attr}()")
    return found


def test_every_import_in_app_points_down() -> None:
    assert violations(APP) == []


def test_every_layer_has_a_row() -> None:
    assert set(LAYERS.values()) == set(ALLOWED)


def test_exports_do_not_write_the_database() -> None:
    assert database_writes(APP / "exports") == []


def _write(root: Path, relative: str, text: str = "") -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def fake_app(tmp_path: Path) -> Path:
    root = tmp_path / "app"
    _write(root, "__init__.py")
    _write(root, "models.py", "import sqlmodel\n")
    _write(root, "events.py")
    _write(root, "services/__init__.py")
    _write(root, "services/agenda.py", "from app.models import x\nfrom app.events import Event\n")
    _write(root, "live/__init__.py")
    _write(root, "live/hub.py", "from app.services import agenda\n")
    _write(root, "routes/__init__.py")
    _write(root, "routes/live.py", "from app.live.hub import Hub\n")
    return root


def test_checker_passes_a_tree_that_points_down(fake_app: Path) -> None:
    assert violations(fake_app) == []


def test_checker_names_an_import_inside_a_function(fake_app: Path) -> None:
    _write(
        fake_app,
        "services/voting.py",
        "def vote() -> None:\n    from app.live.hub import Hub\n",
    )
    assert violations(fake_app) == [
        "app/services/voting.py:2: app.services.voting (services) imports app.live.hub (live)"
    ]


def test_checker_resolves_relative_imports_and_modules_named_in_from(fake_app: Path) -> None:
    _write(fake_app, "models.py", "from .services import agenda\nfrom . import live\n")
    assert violations(fake_app) == [
        "app/models.py:1: app.models (models) imports app.services.agenda (services)",
        "app/models.py:2: app.models (models) imports app.live (live)",
    ]


def test_checker_refuses_a_module_in_no_layer(fake_app: Path) -> None:
    _write(fake_app, "helpers.py")
    assert violations(fake_app) == ["app/helpers.py: app.helpers is in no layer; add it to LAYERS"]


def test_checker_names_a_write_in_an_export(tmp_path: Path) -> None:
    _write(tmp_path / "exports", "csv_export.py", "def f(session):\n    session.commit()\n")
    assert database_writes(tmp_path / "exports") == ["exports/csv_export.py:2: .commit()"]
