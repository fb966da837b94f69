"""A fresh process running one action imports only what that action needs."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from qbtime_connector import InputError, manifest, preview
from qbtime_connector.sandbox import Sandbox

from .conftest import secrets_kept_out_of_logs

# Each of these cost a cold start milliseconds and none is needed to run one action on a token
# held in memory: they are imported on first use (refresh, explain, batches, stores, tooling).
NOT_ON_THE_ONE_ACTION_PATH = (
    "dataclasses",
    "inspect",
    "ast",
    "jsonschema",
    "fastjsonschema",
    "yaml",
    "oauthlib",
    "requests_oauthlib",
    "sqlite3",
    "psycopg",
    "filelock",
    "argparse",
    "qbtime_connector.sandbox",
    "qbtime_connector.designer",
    "qbtime_connector.cli",
    "qbtime_connector.batches",
    "qbtime_connector.picklists",
    "qbtime_connector.triggers",
    "qbtime_connector.changes",
    "qbtime_connector.tokens.file",
    "qbtime_connector.tokens.sqlite",
    "qbtime_connector.tokens.postgres",
)

ONE_ACTION = """
import json, sys
import qbtime_connector
from qbtime_connector import InputError, manifest, preview
found = qbtime_connector.invoke("get_users", {}, json.loads(sys.argv[1]))
whole = manifest._document.cache_info().currsize  # 1 once all of manifest.json was parsed
print(json.dumps({"users": len(found["users"]), "modules": sorted(sys.modules), "whole": whole}))
"""


@pytest.fixture(scope="module")
def one_action_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """What a fresh process that imports the package and runs get_users saw and imported, and
    what its sandbox saw ("active": its active users, "calls": the GETs of /users it answered).

    One run serves the module's tests (each reads another part of it). It runs in a folder of
    its own, as a host's does: it imports the installed package (from an unpacked sdist, the
    wheel), never a source tree that happens to be the current folder.
    """
    # Module-scoped, so its sandbox's log records are not the autouse fixture's: scan them here.
    with Sandbox() as sandbox, secrets_kept_out_of_logs(sandbox):
        ran = subprocess.run(
            [sys.executable, "-c", ONE_ACTION, json.dumps(sandbox.connection_config())],
            cwd=tmp_path_factory.mktemp("one-action"),
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        )
        result: dict[str, object] = json.loads(ran.stdout)
        users = sandbox.state.company.users.values()
        result["active"] = sum(1 for user in users if user["active"])
        result["calls"] = sandbox.state.count("GET /api/v1/users")
    return result


def test_one_action_in_a_fresh_process_makes_one_call(one_action_run: dict[str, object]) -> None:
    assert one_action_run["users"] == one_action_run["active"]
    assert one_action_run["active"] != 0
    assert one_action_run["calls"] == 1


@pytest.mark.parametrize("module", NOT_ON_THE_ONE_ACTION_PATH)
def test_one_action_does_not_import(module: str, one_action_run: dict[str, object]) -> None:
    modules = one_action_run["modules"]
    assert isinstance(modules, list)
    assert module not in modules


def test_one_action_parses_only_its_own_entry_of_the_manifest(
    one_action_run: dict[str, object],
) -> None:
    assert one_action_run["whole"] == 0


@pytest.mark.parametrize("section", ["actions", "data_sources", "triggers"])
def test_an_entry_read_alone_is_the_entry_of_the_whole_manifest(section: str) -> None:
    entries = manifest.load_raw()[section]
    assert entries
    for entry in entries:
        assert manifest._entry_alone(section, entry["key"]) == entry
    assert manifest._entry_alone(section, "no_such_entry") is None


@pytest.mark.parametrize(
    "key", ["get_users\udc80", 'get_users", "label": "Get Users', "GET_USERS", "get_users\n"]
)
def test_an_odd_action_key_is_an_input_error_never_another_action(key: str) -> None:
    with pytest.raises(InputError) as refused:
        preview(key, {})
    assert refused.value.errors[0]["input"] == "action_key"
    assert manifest._entry_alone("actions", key) is None
