"""Checks the rules of RFC 4287 that tests/fixtures/schemas/atom.rnc, a
grammar, cannot: prints one line per breach and exits 1 if there is any.

    python3 tests/support/check_atom.py FILE...
"""
import sys
import xml.etree.ElementTree as ET

ATOM = "{http://www.w3.org/2005/Atom}"


def alternates(element):
    """(type, hreflang) of each alternate link (rel defaults to alternate)."""
    return [(link.get("type"), link.get("hreflang"))
            for link in element.findall(ATOM + "link")
            if link.get("rel", "alternate") == "alternate"]


def breaches(path):
    feed = ET.parse(path).getroot()
    if feed.tag != ATOM + "feed":
        yield f"{path}: the root is {feed.tag}, not an Atom feed"
        return
    feed_has_author = feed.find(ATOM + "author") is not None
    # 4.1.1: one alternate link per type and language.
    kinds = alternates(feed)
    if len(kinds) != len(set(kinds)):
        yield f"{path}: the feed has two alternate links of one type and language"
    # 4.1.1: a feed should have a self link.
    if not any(link.get("rel") == "self" for link in feed.findall(ATOM + "link")):
        yield f"{path}: the feed has no self link"
    for n, entry in enumerate(feed.findall(ATOM + "entry"), 1):
        where = f"{path}: entry {n}"
        # 4.1.1: without a feed author, every entry names its own.
        if not feed_has_author and entry.find(ATOM + "author") is None:
            yield f"{where} has no author and neither has the feed"
        content = entry.find(ATOM + "content")
        # 4.1.2: with no content, an alternate link.
        if content is None and not alternates(entry):
            yield f"{where} has neither content nor an alternate link"
        # 4.1.2: content out of line or not text needs a summary.
        if content is not None and entry.find(ATOM + "summary") is None:
            kind = content.get("type", "text")
            if content.get("src") is not None or kind not in ("text", "html", "xhtml") and not (
                    kind.endswith("+xml") or kind.endswith("/xml") or kind.startswith("text/")):
                yield f"{where} has content that is not text and no summary"
        kinds = alternates(entry)
        if len(kinds) != len(set(kinds)):
            yield f"{where} has two alternate links of one type and language"


problems = [line for path in sys.argv[1:] for line in breaches(path)]
for line in problems:
    print(line)
sys.exit(1 if problems else 0)
