"""The package as built: its metadata, the version written once, what the sdist and wheel hold."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tarfile
import zipfile
from email.message import Message
from email.parser import Parser
from importlib.metadata import version
from pathlib import Path

import pytest
import yaml

import qbtime_connector
from qbtime_connector import manifest

from .conftest import ROOT

VERSION = version("qbtime-connector")


@pytest.fixture(scope="session")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sdist, and the wheel built from it (as `python -m build` does), in one folder.

    Built once for the whole run: pytest-xdist's workers share the temp root, and the first to
    get there builds while the others wait on the lock.
    """
    from filelock import FileLock

    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # this run's temp dir, under which each worker has its own
    out = shared / "dist"
    with FileLock(str(shared / "dist.lock")):
        if not (out / "done").is_file():
            subprocess.run(
                [sys.executable, "-m", "build", "--no-isolation", "-o", str(out), str(ROOT)],
                check=True,
                capture_output=True,
                timeout=300,
            )
            (out / "done").touch()
    return out


def _wheel(dist: Path) -> Path:
    return next(dist.glob("*.whl"))


def _sdist_files(dist: Path) -> set[str]:
    with tarfile.open(next(dist.glob("*.tar.gz"))) as archive:
        return {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}


def _metadata(dist: Path) -> Message:
    with zipfile.ZipFile(_wheel(dist)) as wheel:
        name = next(n for n in wheel.namelist() if n.endswith(".dist-info/METADATA"))
        return Parser().parsestr(wheel.read(name).decode("utf-8"))


def _generated(path: Path) -> bool:
    """A check generated at build time (hatch_build.py): in every wheel, never in the sdist."""
    return path.parent.name == "schema_checks" and not path.name.startswith("_")


def _project_files(*folders: str) -> set[str]:
    return {
        path.relative_to(ROOT).as_posix()
        for folder in folders
        for path in (ROOT / folder).rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and not _generated(path)
    }


def test_the_version_comes_from_the_package_metadata() -> None:
    assert qbtime_connector.__version__ == VERSION
    assert manifest.load_raw()["version"] == VERSION


def test_the_version_is_written_once_in_pyproject() -> None:
    raw = yaml.safe_load((ROOT / "connector.yaml").read_text(encoding="utf-8"))
    assert "version" not in raw  # derived from the package metadata when the manifest loads
    copies = [
        path.name
        for path in [
            ROOT / "connector.yaml",
            *(ROOT / "qbtime_connector").rglob("*.py"),
            *(ROOT / "qbtime_connector").rglob("*.json"),  # a manifest resolved at build time
        ]
        if re.search(
            rf"""version\w*["']?\s*[:=]\s*["']?{re.escape(VERSION)}""",
            path.read_text("utf-8"),
            re.I,
        )
    ]
    assert copies == []
    assert (ROOT / "pyproject.toml").read_text().count(f'version = "{VERSION}"') == 1


def test_the_metadata_says_what_a_package_index_shows(dist: Path) -> None:
    meta = _metadata(dist)
    classifiers = meta.get_all("Classifier") or []
    assert "License :: OSI Approved :: MIT License" in classifiers
    assert "Typing :: Typed" in classifiers
    assert any(c.startswith("Programming Language :: Python :: 3.") for c in classifiers)
    assert "quickbooks-time" in (meta["Keywords"] or "")
    assert meta.get_all("Project-URL")
    assert meta["Description-Content-Type"] == "text/markdown"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme.splitlines()[0] in meta.get_payload()


def test_the_license_is_mit_and_ships_in_both(dist: Path) -> None:
    assert (ROOT / "LICENSE").read_text().startswith("MIT License")
    assert "LICENSE" in _sdist_files(dist)
    with zipfile.ZipFile(_wheel(dist)) as wheel:
        assert any(n.endswith(".dist-info/licenses/LICENSE") for n in wheel.namelist())


def test_the_sdist_holds_what_its_tests_need(dist: Path) -> None:
    needed = _project_files("qbtime_connector", "tests", "bench", "docs", "schemas", "assets")
    needed |= {"connector.yaml", "README.md", "LICENSE", "pyproject.toml", ".ci/run"}
    needed |= {"hatch_build.py"}
    assert needed - _sdist_files(dist) == set()


def test_the_wheel_carries_the_checks_generated_at_build_time(dist: Path) -> None:
    with zipfile.ZipFile(_wheel(dist)) as wheel:
        names = set(wheel.namelist())
    for spec in (*manifest.actions().values(), *manifest.triggers().values()):
        assert f"qbtime_connector/schema_checks/{spec.key}.py" in names


def test_the_wheel_holds_every_file_the_code_opens(dist: Path) -> None:
    with zipfile.ZipFile(_wheel(dist)) as wheel:
        names = set(wheel.namelist())
    icon = manifest.load_raw()["icon"]
    for name in (
        manifest.MANIFEST_PATH.name,  # the manifest the package reads
        icon,
        "py.typed",
        "__main__.py",
        *(f"schemas/{p.name}" for p in (ROOT / "schemas").glob("*.json")),
    ):
        assert f"qbtime_connector/{name}" in names, name


def test_the_unpacked_wheel_finds_its_files_away_from_the_checkout(
    dist: Path, tmp_path: Path
) -> None:
    with zipfile.ZipFile(_wheel(dist)) as wheel:
        wheel.extractall(tmp_path / "site")
    site = str(tmp_path / "site")
    probe = (
        "import qbtime_connector as q; from qbtime_connector import manifest as m; "
        f"assert q.__file__.startswith({site!r}), q.__file__; "
        "assert m.icon_path().is_file(); "
        "[m.load_schema(a.schema) for a in (*m.actions().values(), *m.data_sources().values())]; "
        "print(q.__version__)"
    )
    shown = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=tmp_path,
        env={"PYTHONPATH": site, "PATH": ""},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.strip() == VERSION


def test_every_declared_run_time_dependency_is_imported_by_the_package() -> None:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    declared = [*project["dependencies"], *extras["sandbox"], *extras["postgres"], *extras["mcp"]]
    imported_as = {"google_re2": "re2"}  # distributions whose module has another name
    names = {re.split(r"[\[<>=~! ]", d, maxsplit=1)[0].lower().replace("-", "_") for d in declared}
    modules = {imported_as.get(n, n) for n in names} - {"qbtime_connector"}
    source = "\n".join(p.read_text() for p in (ROOT / "qbtime_connector").rglob("*.py"))
    unused = {m for m in modules if not re.search(rf"^\s*(import|from) {m}\b", source, re.M)}
    assert unused == set()
    assert "requests_oauthlib" not in modules  # see docs/architecture.md, "Tokens"


# --- The maintainer commands after a plain (not editable) install ------------------------------

CLI = "import sys; from qbtime_connector.cli import main; sys.exit(main(sys.argv[1:]))"


@pytest.fixture(scope="session")
def installed(dist: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel unpacked into a folder of its own, as `pip install .` leaves it (no checkout
    beside the package)."""
    site = tmp_path_factory.mktemp("site")
    with zipfile.ZipFile(_wheel(dist)) as wheel:
        wheel.extractall(site)
    return site


def run_installed(site: Path, cwd: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    """The command line of the installed wheel, run in `cwd` (a script, so cwd is not imported)."""
    script = site.parent / f"{site.name}-cli.py"
    script.write_text(CLI, encoding="utf-8")
    return subprocess.run(
        [sys.executable, str(script), *argv],
        cwd=cwd,
        env={"PYTHONPATH": str(site), "PATH": "", "HOME": str(site.parent)},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("folder", [".", "docs"], ids=["checkout", "a folder of it"])
def test_maintainer_checks_work_inside_the_checkout_after_a_plain_install(
    installed: Path, folder: str
) -> None:
    for argv in (["manifest", "--check"], ["docs", "--check"]):
        done = run_installed(installed, ROOT / folder, *argv)
        assert done.returncode == 0, done.stderr


def test_maintainer_commands_outside_a_checkout_write_nothing(
    installed: Path, tmp_path: Path
) -> None:
    for argv in (["docs"], ["manifest", "--write"], ["manifest", "--check"]):
        done = run_installed(installed, tmp_path, *argv)
        assert done.returncode == 2, done.stderr
        assert done.stderr.count("\n") == 1 and "works in a checkout of the project" in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_from_an_unpacked_sdist_the_suite_tests_the_installed_wheel() -> None:
    """A checkout tests its own package (installed editable); an unpacked sdist with the wheel
    installed tests the wheel, which holds what the build adds, not the source beside tests/."""
    import sysconfig

    from .conftest import WHEEL_UNDER_TEST

    imported = Path(qbtime_connector.__file__).resolve().parent
    if WHEEL_UNDER_TEST:
        assert imported == Path(sysconfig.get_paths()["purelib"]).resolve() / "qbtime_connector"
    else:
        assert imported == ROOT / "qbtime_connector"
