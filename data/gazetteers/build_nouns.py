#!/usr/bin/env python3
"""Writes common-nouns.txt.gz: German common nouns with all their inflected
forms, from the German Wiktionary via the `german-nouns` package (CC BY-SA
4.0, Wiktionary contributors; see data/NOTICE.md). The spaCy lemma lookup
behind common-words.txt.gz lists only forms that differ from their lemma,
so it misses uninflected nouns ("Polizei") and drops nouns whose only forms
end in -s ("Abbau", "Song") as proper names; this list fills that gap.

Run: pip download german-nouns==1.2.5 --no-deps -d /tmp/gn
     (cd /tmp/gn && unzip -o german_nouns-1.2.5-py3-none-any.whl)
     python3 data/gazetteers/build_nouns.py /tmp/gn/german_nouns/nouns.csv

Left out: every lemma that Wiktionary also lists as a proper name (toponym,
first name, surname, other proper noun, street), abbreviations, words with
a space or of fewer than three letters ("Xi"), any word of a name the
gazetteers here list (places, orgs, persons, first names, surnames; and a
club's first word, "Borussia" of "Borussia Dortmund"), so that no name the recognizer knows becomes a
common word; and nouns without a plural unless they end like an abstract
noun (-ung, -heit, -ismus, ...): Wiktionary lists many proper names as
plain nouns, and they have no plural ("Taunus", "Magellanstraße").
"""
import csv, gzip, os, sys

here = os.path.dirname(os.path.abspath(__file__))
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
PROPER = {"Toponym", "Vorname", "Nachname", "Eigenname", "Straßenname", "Abkürzung"}
proper = {r["lemma"] for r in rows if PROPER & set(r["pos"].split(","))}

names = set()
for fn in os.listdir(here):
    if fn.endswith(".tsv") and (fn.startswith(("places", "orgs", "persons", "other"))):
        for line in open(os.path.join(here, fn), encoding="utf-8"):
            if line.strip() and not line.startswith("#"):
                for n in line.rstrip("\n").split("\t")[:2]:
                    names.add(n)
                    # clubs go by their first word ("Borussia", "Union")
                    if fn.startswith("orgs-sport"):
                        names.add(n.split()[0])
for fn in ("first-names.txt", "first-names-de.txt", "surnames.txt"):
    for line in open(os.path.join(here, fn), encoding="utf-8"):
        names.add(line.strip())

ABSTRACT = ("ung", "heit", "keit", "schaft", "ismus", "ität", "tion", "ik", "ie", "nis", "tum", "ness", "ment")
plural_cols = [c for c in rows[0].keys() if c.startswith("nominativ plural")]


def countable(r):
    return any(r[c].strip() and r[c].strip() != "—" for c in plural_cols)


words = set()
form_cols = [c for c in rows[0].keys() if c.split()[0] in ("nominativ", "genitiv", "dativ", "akkusativ")]
for r in rows:
    if r["lemma"] in proper or "Substantiv" not in r["pos"].split(","):
        continue
    if not countable(r) and not r["lemma"].endswith(ABSTRACT):
        continue
    for c in ["lemma"] + form_cols:
        w = r[c].strip()
        if w and " " not in w and w[:1].isupper() and len(w) >= 3 and w not in names and "-" != w[0]:
            words.add(w)
# only what common-words.txt.gz lacks
words -= set(gzip.open(os.path.join(here, "common-words.txt.gz"), "rt", encoding="utf-8").read().split("\n"))
with gzip.open(os.path.join(here, "common-nouns.txt.gz"), "wb", 9) as f:
    f.write(("\n".join(sorted(words)) + "\n").encode("utf-8"))
print(len(words), "nouns and forms not in common-words.txt.gz")
