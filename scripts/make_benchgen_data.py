#!/usr/bin/env python3
"""Builds data/benchgen/ — the material `gazette bench-corpus` generates
synthetic news articles from — out of the shared annotated data.

Templates: sentences of the GermEval 2014 dev split and the SmartData news
corpus (both CC BY 4.0) with every
PER/LOC/ORG span replaced by a slot ({PER}, {LOC}, {ORG}) and every number by
{NUM}. Names: entity strings of the same data plus first names and surnames
(german-nouns, CC BY-SA 4.0; nam_dict, GNU FDL), towns (OpenStreetMap, ODbL)
and countries (world-countries, ODbL). See data/NOTICE.md.

Usage: python3 scripts/make_benchgen_data.py [../shared/data]
"""
import gzip, json, os, random, re, sys

data = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..", "shared", "data")
out = os.path.join(os.path.dirname(__file__), "..", "data", "benchgen")
os.makedirs(out, exist_ok=True)

def germeval(path):
    sent = []
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if line.startswith("#"):
            continue
        if not line.strip():
            if sent:
                yield sent
            sent = []
            continue
        cols = line.split("\t")
        sent.append((cols[1], cols[2]))
    if sent:
        yield sent

NO_SPACE_BEFORE = set(".,;:!?)]}“\"'")
NO_SPACE_AFTER = set("([{„")

def detok(tokens):
    s = ""
    for t in tokens:
        if s and t[0] not in NO_SPACE_BEFORE and s[-1] not in NO_SPACE_AFTER:
            s += " "
        s += t
    return s

templates, names = [], {"PER": {}, "LOC": {}, "ORG": {}}
for sent in germeval(os.path.join(data, "ner", "germeval2014-dev.tsv")):
    toks, i = [], 0
    while i < len(sent):
        tok, tag = sent[i]
        m = re.match(r"B-(PER|LOC|ORG)$", tag)
        if m:
            kind = m.group(1)
            j = i + 1
            while j < len(sent) and sent[j][1] == "I-" + kind:
                j += 1
            ent = detok([t for t, _ in sent[i:j]])
            names[kind][ent] = names[kind].get(ent, 0) + 1
            toks.append("{%s}" % kind)
            i = j
            continue
        if re.fullmatch(r"\d+([.,]\d+)*", tok):
            toks.append("{NUM}")
        else:
            toks.append(tok)
        i += 1
    if 6 <= len(toks) <= 45:
        templates.append(detok(toks))

# SmartData news (CC BY 4.0): character-offset annotations.
SLOT = {"person": "PER", "organization": "ORG", "organization-company": "ORG",
        "location": "LOC", "location-city": "LOC", "location-street": "LOC"}
dec = json.JSONDecoder()
for fname in ["smartdata-v1-train.json.gz", "smartdata-v1-test.json.gz"]:
    raw = gzip.open(os.path.join(data, "ner", fname), "rt", encoding="utf-8").read()
    i = 0
    while i < len(raw):
        while i < len(raw) and raw[i].isspace():
            i += 1
        if i >= len(raw):
            break
        doc, i = dec.raw_decode(raw, i)
        if doc.get("docType") not in (None, "NEWS", "news", "RSS"):
            continue
        text = doc["text"]["string"]
        ms = sorted((m["span"]["start"], m["span"]["end"], SLOT[m["type"]])
                    for m in (doc.get("conceptMentions") or {}).get("array", []) if m["type"] in SLOT)
        out_s, pos = "", 0
        for a, b, kind in ms:
            if a < pos:
                continue
            ent = text[a:b]
            names[kind][ent] = names[kind].get(ent, 0) + 1
            out_s += text[pos:a] + "{%s}" % kind
            pos = b
        out_s += text[pos:]
        out_s = re.sub(r"\d+([.,]\d+)*", "{NUM}", out_s)
        for line in out_s.splitlines():
            for sent in re.split(r"(?<=[.!?])\s+(?=[A-ZÄÖÜ„\"])", line):
                n = len(sent.split())
                if 6 <= n <= 45 and "http" not in sent and "@" not in sent and "#" not in sent:
                    templates.append(sent.strip())

def lemmas(path):
    rows = open(path, encoding="utf-8").read().splitlines()[1:]
    return [r.split("\t")[0] for r in rows if r and r.split("\t")[0][:1].isupper()]

first = lemmas(os.path.join(data, "gazetteers", "german-nouns-first-names.tsv"))
first += [r.split("\t")[0] for r in open(os.path.join(data, "gazetteers", "first-names-nam-dict.tsv"), encoding="utf-8").read().splitlines()[1:] if "+" not in r][:8000]
surnames = lemmas(os.path.join(data, "gazetteers", "german-nouns-surnames.tsv"))
towns = [t for t in open(os.path.join(data, "gazetteers", "german-towns-osm.list"), encoding="utf-8").read().splitlines() if t and " " not in t]
countries = [r.split("\t")[2] for r in open(os.path.join(data, "gazetteers", "world-countries-de.tsv"), encoding="utf-8").read().splitlines()[1:]]

random.seed(1)
def write(name, lines):
    with gzip.open(os.path.join(out, name), "wt", encoding="utf-8", compresslevel=9) as f:
        for l in lines:
            f.write(l + "\n")

write("templates.txt.gz", sorted(set(templates)))
write("first-names.txt.gz", sorted(set(first)))
write("surnames.txt.gz", sorted(set(surnames)))
write("places.txt.gz", sorted(set(towns) | set(countries) | set(names["LOC"])))
write("orgs.txt.gz", sorted(set(names["ORG"])))
write("persons.txt.gz", sorted(n for n in names["PER"] if " " in n))
print(len(templates), "templates;", len(first), "first names;", len(surnames), "surnames;",
      len(towns) + len(countries), "places;", len(names["ORG"]), "orgs")
