"""No route module imports another: what routes share lives below them (app/web.py, app/deps.py,
app/api/), so a route can be read, moved or deleted on its own."""

from __future__ import annotations

import ast
from pathlib import Path

ROUTES = Path(__file__).resolve().parent.parent / "app" / "routes"


def _imported(tree: ast.Module, package: str) -> set[str]:
    """Every module an `import` or `from ... import` names, relative imports resolved."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            names.add(base)
            # `from app.routes import x` imports the module app.routes.x
            names |= {f"{base}.{alias.name}" for alias in node.names}
    return names


def _route_imports() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in sorted(ROUTES.rglob("*.py")):
        module = ".".join(path.relative_to(ROUTES.parent.parent).with_suffix("").parts)
        package = module.removesuffix(".__init__").rsplit(".", 1)[0]
        if path.name == "__init__.py":
            package = module.removesuffix(".__init__")
        tree = ast.parse(path.read_text(encoding="utf-8"))
        routes = {n for n in _imported(tree, package) if n.startswith("app.routes")}
        if routes:
            found[module] = routes
    return found


def test_no_route_module_imports_another_route_module() -> None:
    assert _route_imports() == {}


def test_the_check_sees_an_import_between_route_modules(tmp_path: Path) -> None:
    tree = ast.parse("from app.routes.participant import x\nfrom . import pages\n")
    assert _imported(tree, "app.routes") >= {"app.routes.participant", "app.routes.pages"}
