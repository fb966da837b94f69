"""Every example request of the official reference, replayed through its action.

tests/fixtures/reference_examples.json holds the reference's 126 example requests and the
answers shown with them. Each is sent through the action that covers its endpoint method, with
inputs taken from the example's own query or body, against a mocked API that answers with the
reference's answer: the request the connector sends must be the reference's (the same query
parameters or body, numbers and offsets compared by value), its result must fit the action's
`output` schema, and the answer's records must come through, in order, unchanged.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
import responses
from jsonschema import Draft202012Validator

from qbtime_connector import Connection, InputError, ItemError, invoke, manifest
from qbtime_connector.manifest import ActionSpec

from .conftest import API

FIXTURE = json.loads(
    (Path(__file__).parent / "fixtures" / "reference_examples.json").read_text(encoding="utf-8")
)
EXAMPLES: list[dict[str, Any]] = FIXTURE["examples"]
# Which kind of action covers an endpoint method first, where several do (Create Timesheets,
# the batch, covers POST /timesheets before Create Timesheet and Clock In).
PREFERENCE = [
    "qbtime_connector.actions:read_page",
    "qbtime_connector.actions:read_object",
    "qbtime_connector.batches:write_records",
    "qbtime_connector.actions:delete_records",
]
# Examples whose request the connector refuses before sending it, and why.
REFUSED = {
    ("DELETE", "jobcode_assignments"): "its ids hold an empty id ('56788052,58078296,,1234')",
    ("PUT", "reminders"): "its records have no id (it repeats the create example's records)",
}
# The reference's placeholder for a file's base64 ("iVBOR...< actual data here >...ANI="),
# replaced by a real image so the upload example can be sent.
PIXEL = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAC"
    "hwGA60e6kgAAAABJRU5ErkJggg=="
)
_BASIC_OFFSET = re.compile(r"([+-][0-9]{2})([0-9]{2})$")
_MIDNIGHT_UTC = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T00:00:00\+00:00$")


def example_id(example: dict[str, Any]) -> str:
    n = EXAMPLES.index(example)
    return f"{n:03d}-{example['method']}-{example['endpoint']}"


def covering(example: dict[str, Any]) -> ActionSpec:
    """The action that sends this example's endpoint method."""
    found = [
        a
        for a in manifest.actions().values()
        if a.method == example["method"] and a.endpoint == example["endpoint"]
    ]
    rank = {f: n for n, f in enumerate(PREFERENCE)}
    return min(found, key=lambda a: rank.get(a.function, len(rank)))


def by_param(action: ActionSpec, values: Mapping[str, Any]) -> dict[str, Any]:
    """Inputs that say what the example's parameters (or report filters) say."""
    params = {i.param: i.key for i in action.value_inputs if i.param}
    extra_key = "additional_query_parameters"
    inputs: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    for name, value in values.items():
        if name in params:
            inputs[params[name]] = value
        else:
            extra[name] = value
    if extra:
        inputs[extra_key] = extra
    return inputs


def inputs_of(action: ActionSpec, example: dict[str, Any]) -> dict[str, Any]:
    """The inputs a builder would give to send this example's request."""
    if action.function == "qbtime_connector.files:upload_file":
        sent = example["request"]["data"][0]
        meta = sent.get("meta_data", {})
        return {
            "file_name": sent["file_name"],
            "file_content": PIXEL,
            "file_description": meta.get("file_description"),
            "image_rotation": str(meta.get("image_rotation", "")),
        }
    if action.function == "qbtime_connector.batches:write_records":
        body = example["request"]
        beside = {k: v for k, v in body.items() if k != "data"}
        return {"records": body["data"], **by_param(action, beside)}
    if action.method == "POST":  # a report: its filters are under "data"
        return by_param(action, example["request"]["data"])
    if action.key == "get_custom_fields":  # the items of each field are other replays' subject
        return {**by_param(action, example.get("query", {})), "include_items": "false"}
    return by_param(action, example.get("query", {}))


def plain(value: Any) -> Any:
    """A value as compared: digits as numbers, -0600 offsets as -06:00, data URIs alike."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, str):
        text = value.strip()
        if re.fullmatch(r"[0-9]+(\s*,\s*[0-9]+)+", text):  # an id list, as text or a list
            return [int(part) for part in text.split(",")]
        if re.fullmatch(r"-?[0-9]+", text):
            return int(text)
        if re.fullmatch(r"[0-9]+\.[0-9]+", text):
            return float(text)
        if _MIDNIGHT_UTC.match(text):  # a date as the API writes one; sent as the date
            return text[:10]
        if text in {"yes", "no"}:  # the reference's booleans, sent as JSON's
            return text == "yes"
        if "T" in text and _BASIC_OFFSET.search(text):
            return _BASIC_OFFSET.sub(r"\1:\2", text)
        return text
    return value


def answer_of(example: dict[str, Any]) -> Any:
    """What the mocked API answers: the reference's answer, or an empty one of its shape."""
    if example.get("response") is not None:
        return example["response"]
    return {"results": {example["endpoint"]: {}}, "more": False, "supplemental_data": {}}


def records(found: Any) -> list[Any]:
    """An answer's id- or position-keyed records as a list, in the answer's order."""
    return found if isinstance(found, list) else list(found.values())


def answered_records(example: dict[str, Any]) -> list[Any]:
    results = example["response"].get("results", {})
    sets = [v for k, v in results.items() if k not in {"more", "supplemental_data"}]
    return records(sets[0]) if sets else []


def without_defaults(single: str, sent: list[Any], shown: list[Any]) -> list[Any]:
    """The records sent, less the single write's defaults the reference's records leave out."""
    defaults = {i.param: i.default for i in manifest.action(single).value_inputs if i.param}
    return [
        {k: v for k, v in got.items() if k in want or defaults.get(k, object()) != v}
        for got, want in zip(sent, shown, strict=True)
    ]


REPLAYED = [e for e in EXAMPLES if (e["method"], e["endpoint"]) not in REFUSED]


@pytest.mark.parametrize("example", REPLAYED, ids=example_id)
def test_the_example_request_is_sent_as_the_reference_shows_it(
    example: dict[str, Any], mocked_api: responses.RequestsMock, mocked_connection: Connection
) -> None:
    action = covering(example)
    url = re.compile(re.escape(f"{API}/{example['endpoint']}") + r"(\?.*)?$")
    if example["endpoint"] == "files/raw":
        mocked_api.add("GET", url, body=base64.b64decode(PIXEL.split(",")[1]),
                       headers={"Content-Disposition": 'attachment; filename="a.png"'},
                       content_type="application/octet-stream")  # fmt: skip
    else:
        mocked_api.add(example["method"], url, json=answer_of(example))
    if '"customfields": {"' in json.dumps(example.get("request")):
        # Custom field values are checked against their fields first; this account, like one
        # without the add-on, shows none, so the values are left to the API.
        refused = {"error": {"code": 404, "message": "Not Found"}}
        mocked_api.add("GET", f"{API}/customfields", json=refused, status=404)
    try:
        result = invoke(action.key, inputs_of(action, example), mocked_connection)
    except ItemError as failed:  # a single write or a delete whose answer has failed items
        result = {action.endpoint: failed.items}
    path = f"/api/v1/{example['endpoint']}"
    sent = next(c.request for c in mocked_api.calls if urlsplit(str(c.request.url)).path == path)
    if example.get("request") is not None:
        body = json.loads(sent.body or b"")
        expected = example["request"]
        if action.function == "qbtime_connector.files:upload_file":
            expected = {"data": [{**expected["data"][0], "file_data": PIXEL}]}
        if action.endpoint.startswith("reports/"):  # the action's defaults join the filters
            defaults = {i.param for i in action.value_inputs if i.default is not None}
            body["data"] = {
                k: v for k, v in body["data"].items() if k in expected["data"] or k not in defaults
            }
        if action.record_action:  # each record is checked, defaults and all, as the single write
            body["data"] = without_defaults(action.record_action, body["data"], expected["data"])
        assert plain(body) == plain(expected)
    query = dict(parse_qsl(urlsplit(str(sent.url)).query))
    wanted = example.get("query", {})
    assert {k: plain(query.get(k)) for k in wanted} == plain(wanted)
    defaults = {i.param for i in action.value_inputs if i.param and i.default is not None}
    assert set(query) - set(wanted) <= defaults | {"limit", "page"}, action.key
    problems = list(Draft202012Validator(action.output).iter_errors(result))
    assert [f"{list(e.absolute_path)}: {e.message[:120]}" for e in problems] == []
    if example.get("response") is not None and example["endpoint"] != "files/raw":
        shown = answered_records(example)
        got = next((v for v in result.values() if isinstance(v, list)), None)
        if action.key == "get_custom_fields":  # each field comes with its items (none asked)
            got = [{k: v for k, v in field.items() if k != "items"} for field in got or []]
        if got is not None and not action.endpoint.startswith("reports/"):
            assert got == shown


@pytest.mark.parametrize(("method", "endpoint"), list(REFUSED))
def test_an_example_request_the_connector_refuses_is_refused_before_any_call(
    method: str, endpoint: str, mocked_api: responses.RequestsMock, mocked_connection: Connection
) -> None:
    example = next(e for e in EXAMPLES if (e["method"], e["endpoint"]) == (method, endpoint))
    action = covering(example)
    with pytest.raises(InputError):
        invoke(action.key, inputs_of(action, example), mocked_connection)
    assert len(mocked_api.calls) == 0


def test_every_example_is_replayed_or_refused_for_a_reason() -> None:
    assert len(EXAMPLES) == 126
    assert len(REPLAYED) + sum(
        1 for e in EXAMPLES if (e["method"], e["endpoint"]) in REFUSED
    ) == len(EXAMPLES)
    assert len(REPLAYED) == 124
