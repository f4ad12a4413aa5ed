#!/usr/bin/env python3
"""Pick the unseen-news development documents from SmartData v3 dev (reproducible).

The documents chosen here are held out of training (`crates/core/src/tagger/data.rs` compiles
in tests/unseen*/ids.txt) and annotated by hand in tests/unseen*/ (see their READMEs).
Usage: python3 scripts/unseen_select.py ../shared/data/ner/smartdata-v3-dev.json.gz tests/unseen
       python3 scripts/unseen_select.py SMARTDATA tests/unseen-sealed 20 tests/unseen/ids.txt
       python3 scripts/unseen_select.py --min-chars=100 SMARTDATA tests/unseen-fresh 25 \
           tests/unseen/ids.txt tests/unseen-sealed/ids.txt
(the second form picks 20 further documents, skipping those already listed; the third lowers
the minimum length from 700 characters, since only 2 unused documents of 700 or more are left)
"""
import gzip
import json
import pathlib
import sys
import urllib.parse

# Not news: lyrics, a forum, construction notices, press-release wires, games and legal ads.
SKIP = {"www.songtexte.com", "www.kubaforen.de", "bauarbeiten.bahn.de", "www.games.ch",
        "www.pr-inside.com", "www.openpr.de", "www.anwalt24.de", "www.pcgameshardware.de"}
PER_DOMAIN = 2
COUNT = 32
MIN_CHARS = 700


def documents(path):
    text = gzip.open(path, "rt", encoding="utf-8").read()
    dec = json.JSONDecoder()
    i = 0
    while True:
        while i < len(text) and text[i].isspace():
            i += 1
        if i >= len(text):
            return
        doc, i = dec.raw_decode(text, i)
        yield doc


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--min-chars=")]
    min_chars = MIN_CHARS
    for a in sys.argv[1:]:
        if a.startswith("--min-chars="):
            min_chars = int(a.split("=", 1)[1])
    sys.argv[1:] = args
    src, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    count = int(sys.argv[3]) if len(sys.argv) > 3 else COUNT
    taken = set()
    for f in sys.argv[4:]:
        taken.update(pathlib.Path(f).read_text(encoding="utf-8").split("\n"))
    picked, per = [], {}
    for doc in documents(src):
        if doc["id"] in taken:
            continue
        kind = json.dumps(doc.get("docType") or {})
        if "NEWS_HTML" not in kind and "RSS_XML" not in kind:
            continue
        if len(doc["text"]["string"]) < min_chars:
            continue
        dom = urllib.parse.urlparse(doc["id"]).netloc
        if dom in SKIP or per.get(dom, 0) >= PER_DOMAIN:
            continue
        per[dom] = per.get(dom, 0) + 1
        picked.append(doc)
        if len(picked) == count:
            break
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "ids.txt", "w", encoding="utf-8") as ids:
        for n, doc in enumerate(picked, 1):
            ids.write(doc["id"] + "\n")
            (out / f"{n:02}.txt").write_text(doc["text"]["string"], encoding="utf-8")
    print(f"{len(picked)} documents written to {out}")


if __name__ == "__main__":
    main()
