"""The sandbox's places: locations (written), their geofences and maps, and geolocations."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .company import Query, Record, ids_of
from .directory import new_location, supplement_locations
from .resources import Resource, by_ids, known, refuse, supplements

if TYPE_CHECKING:
    from .company import Company


def _check_location(company: Company, item: Record, record: Record | None) -> None:
    """Linked job codes must exist; a location in none is linked to nothing."""
    links = item.get("linked_objects")
    if links in (None, []):
        return
    if not isinstance(links, dict):
        raise refuse("linked_objects must be an object")
    for code in links.get("jobcodes", []):
        known(company, "jobcodes", code, "linked_objects.jobcodes")
    item["linked_objects"] = {k: [int(i) for i in v] for k, v in links.items() if v}


class LocationResource(Resource):
    """Locations: a job code lists the locations linked to it."""

    def create(self, company: Company, item: Record) -> Record:
        return self._linked(company, super().create(company, item))

    def update(self, company: Company, item: Record) -> Record:
        return self._linked(company, super().update(company, item))

    def _linked(self, company: Company, location: Record) -> Record:
        place = location["id"]
        linked = set(location["linked_objects"].get("jobcodes", []))
        for code in company.jobcodes.values():
            should = code["id"] in linked
            if (place in code["locations"]) != should:
                others = [i for i in code["locations"] if i != place]
                code["locations"] = sorted([*others, place]) if should else others
                company.touch("jobcodes", code)
        return location


class GeolocationResource(Resource):
    """Geolocations: group_ids filters by the users' groups."""

    def select(self, company: Company, query: Query) -> list[Record]:
        found = super().select(company, query)
        groups = ids_of(query, "group_ids")
        if groups is None:
            return found
        return [g for g in found if company.users.get(g["user_id"], {}).get("group_id") in groups]


LOCATIONS = LocationResource(
    "locations",
    6001,
    new_location(),
    methods=("POST", "PUT"),  # GET /locations is directory.list_locations
    check=_check_location,
    supplement=supplement_locations,
)
GEOLOCATIONS = GeolocationResource(
    "geolocations",
    22001,
    {
        "id": None,
        "user_id": 0,
        "accuracy": 0,
        "altitude": 0,
        "latitude": 0.0,
        "longitude": 0.0,
        "device_identifier": "",
        "source": "gps",
        "heading": 0,
        "speed": 0,
        "created": "",
    },
    methods=("GET", "POST"),
    required=("created", "user_id", "accuracy", "altitude", "latitude", "longitude"),
    filters=(("ids", "id", "ids"), ("user_ids", "user_id", "ids")),
    active=None,
    read_only=("id",),  # created is the device's own time, and required
    check=lambda company, item, record: known(company, "users", item.get("user_id"), "user_id"),
    supplement=supplements(users="user_id"),
)


def _geofence_supplement(company: Company, configs: list[Record]) -> dict[str, Any]:
    places = by_ids(
        company, "locations", (c["type_id"] for c in configs if c["type"] == "location")
    )
    return {"locations": places} if places else {}


GEOFENCES = Resource(
    "geofence_configs",
    23001,
    {
        "id": None,
        "type": "location",
        "type_id": 0,
        "active": True,
        "enabled": True,
        "radius": 150,
        "last_modified": "",
        "created": "",
    },
    methods=("GET",),
    filters=(
        ("ids", "id", "ids"),
        ("type", "type", "texts"),
        ("type_ids", "type_id", "ids"),
        ("enabled", "enabled", "flag"),
    ),
    supplement=_geofence_supplement,
)
MAPS = Resource(
    "locations_map",
    24001,
    {
        "id": None,
        "x_table": "job_codes",
        "x_id": 0,
        "location_id": 0,
        "created": "",
        "last_modified": "",
    },
    methods=("GET",),
    filters=(("ids", "id", "ids"),),
    active=None,
    supplement=supplements(locations="location_id"),
)
RESOURCES = (LOCATIONS, GEOLOCATIONS, GEOFENCES, MAPS)


def seed_places(company: Company, crew: list[int], at: str) -> None:
    """The depot's geofence and job code map, and a trail of three points for the crew."""
    for location in company.locations.values():
        for code in location["linked_objects"].get("jobcodes", []):
            MAPS.add(company, x_id=code, location_id=location["id"])
        if location["linked_objects"]:
            GEOFENCES.add(company, type_id=location["id"], radius=150)
    for n, user in enumerate(crew[:3]):
        GEOLOCATIONS.add(
            company,
            user_id=user,
            accuracy=20.4,
            latitude=43.6700273 + n / 10000,
            longitude=-116.3520972,
            created=at,
        )
