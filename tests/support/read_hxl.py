"""Reads a CSV download with libhxl, the HXL reference library, as HDX
tools do, validates it against libhxl's default schema, and prints what the
tests check as JSON:

    python3 tests/support/read_hxl.py FILE

{"columns": [{"header", "tag", "display_tag"}], "rows": [{display_tag:
value}], "issues": [{"severity", "tag", "value", "message"}]}
"""
import json
import sys

import hxl

dataset = hxl.data(sys.argv[1], hxl.InputOptions(allow_local=True))
columns = [{"header": c.header, "tag": c.tag, "display_tag": c.display_tag} for c in dataset.columns]
rows = [dict(zip((c["display_tag"] for c in columns), row.values)) for row in dataset]

issues = []


def collect(issue):
    rule = issue.rule
    issues.append({
        "severity": rule.severity if rule else None,
        "tag": str(rule.tag_pattern) if rule else None,
        "value": issue.value,
        "message": issue.message,
    })


hxl.schema(callback=collect).validate(hxl.data(sys.argv[1], hxl.InputOptions(allow_local=True)))
print(json.dumps({"columns": columns, "rows": rows, "issues": issues}))
