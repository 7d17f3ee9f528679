"""Validates a JSON Feed against tests/fixtures/schemas/jsonfeed-1.1.schema.json
with jsonschema, and checks what a schema cannot (every item's id is its
own): prints one line per problem and exits 1 if there is any.

    python3 tests/support/check_json_feed.py SCHEMA FILE
"""
import json
import sys

import jsonschema

schema = json.load(open(sys.argv[1], encoding="utf-8"))
feed = json.load(open(sys.argv[2], encoding="utf-8"))
jsonschema.Draft7Validator.check_schema(schema)
problems = [f"{'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message}"
            for e in jsonschema.Draft7Validator(schema).iter_errors(feed)]
ids = [item.get("id") for item in feed.get("items", []) if isinstance(item, dict)]
problems += [f"items: the id {i} is used twice" for i in sorted({i for i in ids if ids.count(i) > 1})]
for line in problems:
    print(line)
sys.exit(1 if problems else 0)
