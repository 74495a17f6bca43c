"""docs/architecture.md: dependencies point one way. The platform (lde_portal) imports no domain app; domain apps
import each other only along the worker's lifecycle (indication, pop and throughflow may import trajects);
nothing imports throughflow. Registries filled in AppConfig.ready() carry everything else."""

import ast
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
DOMAIN = {"trajects", "indication", "pop", "inflow", "throughflow"}
ALLOWED = {
    "lde_portal": set(),
    "trajects": set(),
    "indication": {"trajects"},
    "pop": {"trajects"},
    # Inflow comes before the worker exists: its hire writes the worker, contract and trajectory (trajects), the
    # advice (indication) and reads the competence catalogue (pop); nothing reads inflow.
    "inflow": {"trajects", "indication", "pop"},
    # Throughflow is the last stage of the lifecycle: it starts from the VDAB evaluation (indication) and
    # the POP's competences (pop), so it may read those; nothing reads throughflow.
    "throughflow": {"trajects", "indication", "pop"},
}


def _imports(path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module.split(".")[0]


def test_imports_follow_the_lifecycle():
    wrong = []
    for app, allowed in ALLOWED.items():
        for path in sorted((ROOT / app).rglob("*.py")):
            for module in _imports(path):
                if module in DOMAIN and module != app and module not in allowed:
                    wrong.append(f"{path.relative_to(ROOT)} imports {module}")
    assert not wrong, "Use a registry (docs/architecture.md) instead of these imports:\n" + "\n".join(wrong)
