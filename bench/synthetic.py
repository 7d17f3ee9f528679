"""What the benchmarks add to a generated synthetic site (see
examples/synthetic_site.rs): search, and a second language. Everything
added says it is synthetic, like the briefs."""

import os
import re


def add_search(site):
    """Turns the site's search on (`search: true`)."""
    with open(os.path.join(site, "site.yaml"), "a") as f:
        f.write("search: true\n")


def add_french(site):
    """Makes the site English and French, with a synthetic French
    translation of every tenth brief."""
    with open(os.path.join(site, "site.yaml")) as f:
        config = re.sub(r"(?m)^language:.*\n", "", f.read())
    config += "languages: [en, fr]\ntranslations:\n  fr:\n    title: Fiches synthétiques\n"
    with open(os.path.join(site, "site.yaml"), "w") as f:
        f.write(config)
    briefs = sorted(os.path.join(d, f) for d, _, fs in os.walk(os.path.join(site, "content/briefs")) for f in fs)
    for n, path in enumerate(briefs[::10]):
        with open(path[:-len(".md")] + ".fr.md", "w") as f:
            f.write(f"---\ntitle: Fiche synthétique {n}\n---\nUne fiche synthétique pour les bancs d'essai.\n")
