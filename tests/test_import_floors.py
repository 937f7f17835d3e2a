"""The house's floors (DESIGN.md): imports point down or sideways on one floor, and no two packages import each
other, directly or round a longer circle.

A package's web and command shells (views, urls, admin, forms, templatetags, management commands) stand on the
views floor beside api/ and feeds/, above the package's own domain modules: `papers.views` may use search,
`search` may not use `papers.views`.
"""

from __future__ import annotations

import grimp
import pytest

SHELLS = {"views", "urls", "admin", "forms", "templatetags", "management"}

# Top to bottom. A name ending in ":shell" is that package's shells; "*:shell" stands for every package's.
FLOORS = [
    {"runtime", "cli", "__main__", "wsgi", "urls"},
    {"api", "feeds", "*:shell"},
    {"recommend", "library", "topics", "digests", "search", "ingest", "accounts", "demo"},
    {"papers"},
    {"lib", "config", "settings", "errors", "paperfeed"},
]


def node(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1:
        return "paperfeed"
    package = parts[1]
    if len(parts) > 2 and parts[2] in SHELLS and package not in ("api", "feeds", "runtime"):
        return f"{package}:shell"
    return package


def floor_of(name: str) -> int:
    for index, names in enumerate(FLOORS):
        if name in names or (name.endswith(":shell") and "*:shell" in names):
            return index
    raise AssertionError(f"{name} stands on no floor: add it to FLOORS in {__file__}")


@pytest.fixture(scope="module")
def package_imports() -> dict[tuple[str, str], list[str]]:
    graph = grimp.build_graph("paperfeed")
    edges: dict[tuple[str, str], list[str]] = {}
    for module in graph.modules:
        if ".migrations" in module:
            continue
        for imported in graph.find_modules_directly_imported_by(module):
            if imported.startswith("paperfeed") and (a := node(module)) != (b := node(imported)):
                edges.setdefault((a, b), []).append(f"{module} -> {imported}")
    return edges


def test_every_import_points_down_or_along_its_floor(package_imports):
    upward = [
        f"{a} (floor {floor_of(a)}) imports {b} (floor {floor_of(b)}): {', '.join(sorted(lines)[:3])}"
        for (a, b), lines in package_imports.items()
        if floor_of(b) < floor_of(a)
    ]
    assert not upward, "imports that point up:\n" + "\n".join(upward)


def find_cycles(edges) -> list[list[str]]:
    """Each package that some path of imports leads back to, with one such path."""
    graph: dict[str, set[str]] = {}
    for a, b in edges:
        graph.setdefault(a, set()).add(b)
    cycles = []
    for start in sorted(graph):
        stack = [(n, [start, n]) for n in sorted(graph[start])]
        seen = set()
        while stack:
            current, path = stack.pop()
            if current == start:
                cycles.append(path)
                break
            if current in seen:
                continue
            seen.add(current)
            stack.extend((n, [*path, n]) for n in sorted(graph.get(current, ())))
    return cycles


def test_no_two_packages_import_each_other_round_any_circle(package_imports):
    cycles = find_cycles(package_imports)
    detail = [
        " -> ".join(path) + ": " + "; ".join(package_imports[step][0] for step in zip(path, path[1:]))
        for path in cycles
    ]
    assert not cycles, "import cycles between packages:\n" + "\n".join(detail)


def test_the_checks_see_a_circle_and_an_upward_import():
    assert find_cycles({("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")}) == [
        ["a", "b", "c", "a"],
        ["b", "c", "a", "b"],
        ["c", "a", "b", "c"],
    ]
    assert find_cycles({("a", "b"), ("b", "c")}) == []
    assert node("paperfeed.papers.views") == "papers:shell"
    assert node("paperfeed.search.management.commands.index") == "search:shell"
    assert node("paperfeed.papers.models") == "papers"
    assert node("paperfeed.feeds.views") == "feeds"
    assert floor_of("search:shell") < floor_of("search") < floor_of("papers") < floor_of("lib")
