"""Saved views: named filters stored in the project's meta table.

A view is stored under the key ``view:NAME`` as JSON ``{"query": TEXT, "zone": IANA}``: the
query text as the analyst saw it and the time zone its dates were written in, so that a view
saved while showing Korean time selects the same instants when opened in UTC.
"""

from __future__ import annotations

import json

from workstation.model.query import EventQuery
from workstation.model.query_syntax import format_query, parse_query


def encode_view(query: EventQuery, zone: str) -> str:
    return json.dumps({"query": format_query(query, zone), "zone": zone}, ensure_ascii=False)


def decode_view(stored: str, display_zone: str) -> str:
    """The view's query text re-written for ``display_zone``. ``ValueError`` if unusable."""
    try:
        data = json.loads(stored)
        text, zone = str(data["query"]), str(data["zone"])
    except (ValueError, KeyError, TypeError) as exc:
        raise ValueError("it is not a valid saved view") from exc
    return format_query(parse_query(text, zone), display_zone)
