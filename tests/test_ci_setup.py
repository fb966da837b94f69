"""What CI and the tests need from the machine is found wherever it is, and never stops CI."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT, postgres_bin


def executable(path: Path, text: str = "#!/bin/sh\nexit 0\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return path


@pytest.fixture
def bare_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A PATH of one empty folder: no pg_config, no initdb."""
    folder = tmp_path / "bin"
    folder.mkdir()
    monkeypatch.setenv("PATH", str(folder))
    return folder


def test_the_postgres_server_is_the_newest_version_installed(
    tmp_path: Path, bare_path: Path
) -> None:
    for version in ("9.6", "13", "16"):
        executable(tmp_path / "lib" / version / "bin" / "initdb")
    (tmp_path / "lib" / "17" / "bin").mkdir(parents=True)  # a client only: no server there
    assert postgres_bin(tmp_path / "lib") == tmp_path / "lib" / "16" / "bin"


def test_pg_config_says_where_the_server_is_first(tmp_path: Path, bare_path: Path) -> None:
    server = tmp_path / "elsewhere" / "bin"
    executable(server / "initdb")
    executable(bare_path / "pg_config", f"#!/bin/sh\necho {server}\n")
    executable(tmp_path / "lib" / "16" / "bin" / "initdb")
    assert postgres_bin(tmp_path / "lib") == server


def test_no_postgres_server_is_none(tmp_path: Path, bare_path: Path) -> None:
    assert postgres_bin(tmp_path / "lib") is None


def test_ci_goes_on_without_apt_get_or_root(tmp_path: Path) -> None:
    tools = tmp_path / "bin"
    for tool in ("ls", "sort", "cat"):  # what the script uses; no apt-get, sudo or chromium
        (tools / tool).parent.mkdir(exist_ok=True)
        (tools / tool).symlink_to(
            f"/usr/bin/{tool}" if Path(f"/usr/bin/{tool}").exists() else f"/bin/{tool}"
        )
    executable(tools / "id", "#!/bin/sh\necho 1000\n")  # not root
    done = subprocess.run(
        ["/bin/bash", str(ROOT / ".ci" / "services")],
        env={"PATH": str(tools), "PG_LIB": str(tmp_path / "no-postgres"), "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "the designer's browser tests are skipped" in done.stderr
    assert "the PostgreSQL token-store tests are skipped" in done.stderr


def test_ci_runs_the_service_setup_and_hard_codes_no_postgres_version() -> None:
    run = (ROOT / ".ci" / "run").read_text()
    assert "bash .ci/services" in run
    assert "postgresql/15" not in run and "postgresql-15" not in run
    assert os.access(ROOT / ".ci" / "services", os.X_OK)


PLUGINS = ["-p", "no:cacheprovider", "--disable-plugin-autoload", "-p", "xdist"]


def test_the_tests_of_one_xdist_group_run_in_one_worker(tmp_path: Path) -> None:
    """The SERIAL group (one PostgreSQL server, the many-process tests one at a time) holds
    under the pytest and pytest-xdist installed: with pytest 9.2, xdist 3.8's own marking of
    groups was ignored and a group's tests went to every worker."""
    (tmp_path / "conftest.py").write_text(
        "from tests.conftest import pytest_collection_modifyitems  # noqa: F401\n"
    )
    (tmp_path / "test_grouped.py").write_text(
        "import pytest\n\n"
        '@pytest.mark.xdist_group("together")\n'
        "@pytest.mark.parametrize('n', range(6))\n"
        "def test_grouped(n):\n    pass\n"
    )
    ran = subprocess.run(
        [sys.executable, "-m", "pytest", "-n", "2", "--dist", "loadgroup", "-v", *PLUGINS],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert ran.returncode == 0, ran.stdout + ran.stderr
    workers = re.findall(
        r"\[(gw\d)\] .*PASSED test_grouped.py::test_grouped\[\d\]@together", ran.stdout
    )
    assert len(workers) == 6 and len(set(workers)) == 1, ran.stdout
