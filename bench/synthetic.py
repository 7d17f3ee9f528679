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
    translation of every tenth brief; returns the translated briefs' file
    names (without `.md`), each with its number."""
    with open(os.path.join(site, "site.yaml")) as f:
        config = re.sub(r"(?m)^language:.*\n", "", f.read())
    config += "languages: [en, fr]\ntranslations:\n  fr:\n    title: Fiches synthétiques\n"
    with open(os.path.join(site, "site.yaml"), "w") as f:
        f.write(config)
    briefs = sorted(os.path.join(d, f) for d, _, fs in os.walk(os.path.join(site, "content/briefs")) for f in fs)
    translated = {}
    for n, path in enumerate(briefs[::10]):
        with open(path[:-len(".md")] + ".fr.md", "w") as f:
            f.write(f"---\ntitle: {french_title(n)}\n---\n{FRENCH_BODY}")
        translated[os.path.basename(path)[:-len(".md")]] = n
    return translated


FRENCH_BODY = "Une fiche synthétique pour les bancs d'essai.\n"


def french_title(n):
    return f"Fiche synthétique {n}"


def add_french_hugo(site, translated):
    """Makes a Hugo twin (see examples/synthetic_site.rs) English and
    French as `add_french` makes the sitrep site: the same briefs
    translated (`translated`, by file name), with the same titles and
    bodies, and every group's page in French too, since sitrep's French
    edition has one for each group. Like sitrep, Hugo then writes a French
    page for a translated brief only; sitrep's French lists also list the
    briefs not translated (linking to the English pages), Hugo's only the
    French pages."""
    config_path = os.path.join(site, "hugo.toml")
    with open(config_path) as f:
        config = f.read()
    # Top-level keys before the first table, languages after the others.
    first_table = config.index("\n[") + 1
    config = (config[:first_table] + 'defaultContentLanguage = "en"\n' + config[first_table:]
              + '[languages.en]\n  weight = 1\n[languages.fr]\n  weight = 2\n  title = "Fiches synthétiques"\n')
    with open(config_path, "w") as f:
        f.write(config)
    for dirpath, _, names in os.walk(os.path.join(site, "content")):
        for name in names:
            if not name.endswith(".md") or name.endswith(".fr.md"):
                continue
            path = os.path.join(dirpath, name)
            with open(path) as f:
                text = f.read()
            if os.path.basename(dirpath) == "briefs":
                n = translated.get(name[:-len(".md")])
                if n is None:
                    continue
                _, front, _ = text.split("---\n", 2)
                front = re.sub(r"(?m)^title: .*$", f"title: {french_title(n)}", front)
                text = f"---\n{front}---\n{FRENCH_BODY}"
            with open(path[:-len(".md")] + ".fr.md", "w") as f:
                f.write(text)
