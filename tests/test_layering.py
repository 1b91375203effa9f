"""The shape of the code (../shared/DESIGN.md): geo/ knows nothing of the plan."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def imported_modules(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def test_geo_imports_nothing_from_layers_or_pages():
    for path in sorted((ROOT / "geo").glob("*.py")):
        plan = {m for m in imported_modules(path) if m.split(".")[0] in ("layers", "pages", "app")}
        assert not plan, f"{path.name} imports {sorted(plan)}"
