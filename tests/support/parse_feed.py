"""Parses a feed with feedparser and prints what the tests check, as JSON.

    python3 tests/support/parse_feed.py FILE
"""
import json
import sys

import feedparser

feed = feedparser.parse(sys.argv[1])
print(json.dumps({
    "bozo": bool(feed.bozo),
    "bozo_exception": str(feed.get("bozo_exception", "")),
    "version": feed.version,
    "title": feed.feed.get("title"),
    "self": [l.href for l in feed.feed.get("links", []) if l.rel == "self"],
    "entries": [{
        "title": e.title,
        "link": e.link,
        "updated": e.get("updated"),
        "terms": [t.term for t in e.get("tags", [])],
        "point": list(e["where"]["coordinates"]) if e.get("where") else None,
    } for e in feed.entries],
}))
