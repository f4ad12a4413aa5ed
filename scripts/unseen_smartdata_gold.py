#!/usr/bin/env python3
"""Write the held-out unseen-news documents with SmartData's *own* PER/LOC/ORG annotation
as .gold files, to score gazette against SmartData's conventions (a proxy for the SmartData
v3 test split, which is held back).

Usage: python3 scripts/unseen_smartdata_gold.py ../shared/data/ner/smartdata-v3-dev.json.gz OUT/
       gazette eval OUT/
"""
import gzip
import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent


def kind(t):
    t = t.lower().replace("_", "-")
    if t == "person":
        return "PER"
    if t in ("organization", "organization-company"):
        return "ORG"
    if t.startswith("location"):
        return "LOC"
    return None


def main():
    src, out = sys.argv[1], pathlib.Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    ids = {}
    for d, prefix in (("tests/unseen", "d"), ("tests/unseen-sealed", "s")):
        for n, line in enumerate((ROOT / d / "ids.txt").read_text(encoding="utf-8").split("\n"), 1):
            if line:
                ids[line] = f"{prefix}{n:02}"
    text = gzip.open(src, "rt", encoding="utf-8").read()
    dec, i, count = json.JSONDecoder(), 0, 0
    while i < len(text):
        while i < len(text) and text[i].isspace():
            i += 1
        if i >= len(text):
            break
        doc, i = dec.raw_decode(text, i)
        if doc["id"] not in ids:
            continue
        body = doc["text"]["string"]
        spans = []
        for m in doc["conceptMentions"]["array"]:
            k = kind(m["type"])
            s, e = m["span"]["start"], m["span"]["end"]
            # lower-case locations are adjectives ("italienische"): not names
            if k and body[s:e][:1].isupper():
                spans.append((s, e, k))
        spans.sort()
        parts, last = [], 0
        for s, e, k in spans:
            if s < last:
                continue
            parts += [body[last:s], f"[[{k} {body[s:e]}]]"]
            last = e
        parts.append(body[last:])
        name = ids[doc["id"]]
        (out / f"{name}.txt").write_text(body, encoding="utf-8")
        (out / f"{name}.gold").write_text("".join(parts), encoding="utf-8")
        count += 1
    print(f"{count} documents written to {out}")


if __name__ == "__main__":
    main()
