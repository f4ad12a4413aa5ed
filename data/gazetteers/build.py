#!/usr/bin/env python3
"""Derives the compact gazetteer files used by src/recognize from the shared
source data (see data/NOTICE.md for origins and licences).

Run: python3 data/gazetteers/build.py /work/shared/data
Hand-written files (orgs.tsv, roles.txt, stopwords.txt, places-extra.tsv)
are not touched.
"""
import gzip, json, os, sys

src = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data"
out = os.path.dirname(os.path.abspath(__file__))
gz = os.path.join(src, "gazetteers")

lex = json.load(gzip.open(os.path.join(src, "lexicon", "de-lemma-lookup.json.gz")))
# The lookup also lists proper nouns whose only inflected form is the
# genitive ("Moskaus" -> "Moskau"): those are not common words.
forms = {}
for k, v in lex.items():
    forms.setdefault(v, []).append(k)
proper = {
    v for v, ks in forms.items()
    if v[:1].isupper() and all(k in (v + "s", v + "es", v + "'", v) for k in ks)
}
common = (set(lex.keys()) | set(lex.values())) - proper - {v + "s" for v in proper} - {v + "es" for v in proper}
common_lower = {w.lower() for w in common}


def is_common(w):
    return w in common or w.lower() in common_lower


def tsv(name):
    with open(os.path.join(gz, name), encoding="utf-8") as f:
        rows = [l.rstrip("\n").split("\t") for l in f]
    return rows[1:]


places = {}  # surface -> norm


not_places = set()
with open(os.path.join(out, "not-places.txt"), encoding="utf-8") as f:
    for l in f:
        if not l.startswith("#"):
            not_places.update(l.split())


def add_place(surface, norm=None, force=False):
    surface = surface.strip()
    if surface in not_places:
        return
    if not surface or "(" in surface or "," in surface or len(surface) < 3:
        return
    if not surface[0].isupper() or (surface.isupper() and not force):
        return
    if not force and " " not in surface and is_common(surface):
        return
    places.setdefault(surface, norm or surface)


for code, name in tsv("cldr-de-territories.tsv"):
    add_place(name, force=True)
for row in tsv("iso-countries-de.tsv"):
    add_place(row[1], force=True)
for row in tsv("world-countries-de.tsv"):
    add_place(row[2], force=True)
    add_place(row[3], row[2], force=True)
for row in tsv("country-adjectives-de.tsv"):
    add_place(row[0], force=True)
for row in tsv("german-nouns-toponyms.tsv"):
    lemma = row[0]
    add_place(lemma)
    if len(row) > 1 and lemma in places:
        for form in row[1].split("|"):
            form = form.split(")")[-1].strip()
            if form and form != lemma and form.startswith(lemma[:3]) and not is_common(form) and form not in not_places:
                places.setdefault(form, lemma)
with open(os.path.join(gz, "german-towns-osm.list"), encoding="utf-8") as f:
    for l in f:
        add_place(l.strip())

first = set()
# First names that are also common words ("Ernst", "August", "Franz"): only
# used before an unambiguous surname.
first_amb = set()
for row in tsv("first-names-nam-dict.tsv"):
    n = row[0]
    if " " in n or "+" in n or len(n) < 3 or not n[0].isupper():
        continue
    if is_common(n):
        if row[1].strip() in ("M", "F"):
            first_amb.add(n)
        continue
    first.add(n)
for row in tsv("german-nouns-first-names.tsv"):
    n = row[0]
    if len(n) >= 3 and " " not in n and not is_common(n):
        first.add(n)

# First names of one sex (nam_dict's M, ?M, 1M or F, ?F, 1F; names given
# to both, "=" or "?", are left out): which of two people sharing a
# surname "Frau Kälberer" or "die jüngere Mendoza" is.
sex = {}
for row in tsv("first-names-nam-dict.tsv"):
    n, g = row[0], row[1].strip()
    if " " in n or "+" in n or len(n) < 2 or not n[0].isupper() or g in ("=", "?"):
        continue
    g = g[-1]
    sex[n] = g if sex.get(n, g) == g else None

# Wiktionary's first names: common enough to stand alone ("sagte Laura").
first_de = set()
for row in tsv("german-nouns-first-names.tsv"):
    n = row[0]
    if len(n) >= 3 and " " not in n and not is_common(n) and n not in places:
        first_de.add(n)

sur = set()
for row in tsv("german-nouns-surnames.tsv"):
    n = row[0]
    if len(n) >= 3 and " " not in n and not is_common(n) and n not in places and n not in first:
        sur.add(n)

adjs = set()
for row in tsv("country-adjectives-de.tsv"):
    for a in row[1].split(","):
        a = a.strip()
        if a:
            adjs.add(a)

with open(os.path.join(out, "places.tsv"), "w", encoding="utf-8") as f:
    for s in sorted(places):
        f.write(s if places[s] == s else f"{s}\t{places[s]}")
        f.write("\n")
with open(os.path.join(out, "first-names.txt"), "w", encoding="utf-8") as f:
    f.write("\n".join(sorted(first)) + "\n")
with open(os.path.join(out, "first-names-ambiguous.txt"), "w", encoding="utf-8") as f:
    f.write("\n".join(sorted(first_amb)) + "\n")
with open(os.path.join(out, "first-names-de.txt"), "w", encoding="utf-8") as f:
    f.write("\n".join(sorted(first_de)) + "\n")
with open(os.path.join(out, "first-names-sex.tsv"), "w", encoding="utf-8") as f:
    f.write("# First name<TAB>F or M, from nam_dict (see NOTICE.md); built by build.py.\n")
    f.write("".join(f"{n}\t{g}\n" for n, g in sorted(sex.items()) if g))
with open(os.path.join(out, "surnames.txt"), "w", encoding="utf-8") as f:
    f.write("\n".join(sorted(sur)) + "\n")
with open(os.path.join(out, "country-adjectives.txt"), "w", encoding="utf-8") as f:
    f.write("\n".join(sorted(adjs)) + "\n")
words = sorted(common)
with gzip.open(os.path.join(out, "common-words.txt.gz"), "wb", 9) as f:
    f.write(("\n".join(words) + "\n").encode("utf-8"))
print(len(places), len(first), len(sur), len(adjs), len(words))
