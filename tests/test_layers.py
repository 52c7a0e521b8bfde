"""The apps are floors of a house: imports point down, never up, never in a circle.

reporting → programs → exchanges → cooperation. Every import counts, the ones
inside functions too: a lazy import is how a cycle hides.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("cooperation", "exchanges", "programs", "reporting")

# What each app may import of the others.
ALLOWED = {
    "cooperation": set(),
    "exchanges": {"cooperation"},
    "programs": {"cooperation", "exchanges"},
    "reporting": {"cooperation", "exchanges", "programs"},
}


def module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_modules():
    return {
        module_name(path): path
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts
    }


def imported_names(module, path):
    """Absolute names of everything `module` imports, relative imports resolved."""
    is_package = path.name == "__init__.py"
    package = module if is_package else module.rpartition(".")[0]
    names = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            names.append(base)
            # `from . import wording` names a module, not an attribute.
            names.extend(f"{base}.{alias.name}" for alias in node.names)
    return names


def import_graph():
    modules = project_modules()
    graph = {}
    for module, path in modules.items():
        graph[module] = {
            name for name in imported_names(module, path) if name in modules
        } - {module}
    return graph


def upward_imports(module, path):
    """`module imports app` for each app above `module`'s own that it imports."""
    app = module.split(".")[0]
    found = []
    for name in imported_names(module, path):
        other = name.split(".")[0]
        if other in APPS and other != app and other not in ALLOWED[app]:
            found.append(f"{module} imports {other}")
    return sorted(set(found))


def test_apps_import_only_the_floors_below_them():
    upward = []
    for module, path in project_modules().items():
        upward.extend(upward_imports(module, path))
    assert upward == []


def test_no_module_imports_itself_through_others():
    graph = import_graph()
    cycles, state = [], {}

    def visit(module, trail):
        state[module] = "open"
        for name in sorted(graph[module]):
            if state.get(name) == "open":
                cycles.append(" → ".join([*trail[trail.index(name) :], name]))
            elif name not in state:
                visit(name, [*trail, name])
        state[module] = "done"

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert cycles == []


@pytest.mark.parametrize(
    "source, expected",
    [
        ("from programs.models import JointProgram", "programs"),
        ("def f():\n    import reporting.views", "reporting"),
    ],
)
def test_the_check_catches_an_upward_import(tmp_path, source, expected):
    path = tmp_path / "bad.py"
    path.write_text(source)
    assert upward_imports("cooperation.bad", path) == [
        f"cooperation.bad imports {expected}"
    ]


def test_the_check_catches_a_cycle(tmp_path):
    (tmp_path / "first.py").write_text("from .second import thing")
    (tmp_path / "second.py").write_text("def f():\n    from . import first")
    assert imported_names("reporting.demo.second", tmp_path / "second.py") == [
        "reporting.demo",
        "reporting.demo.first",
    ]
