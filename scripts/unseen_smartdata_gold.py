#!/usr/bin/env python3
"""Write SmartData v3 development documents with SmartData's *own* PER/LOC/ORG annotation
as .gold files, to score gazette against SmartData's conventions (a proxy for the SmartData
v3 test split, which is held back).

Usage: python3 scripts/unseen_smartdata_gold.py ../shared/data/ner/smartdata-v3-dev.json.gz OUT/
       gazette eval OUT/

By default the 52 documents of the hand-annotated sets (tests/unseen, tests/unseen-sealed),
named after them (d01…, s01…). With --rest, the other documents of the file instead, in file
order (x001…): mostly tweets, traffic and rail reports and short company news, as the
test split is (tests/smartdata-dev holds them).
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
    args = [a for a in sys.argv[1:] if a != "--rest"]
    rest = "--rest" in sys.argv[1:]
    src, out = args[0], pathlib.Path(args[1])
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
        if (doc["id"] in ids) == rest:
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
        name = f"x{count + 1:03}" if rest else ids[doc["id"]]
        (out / f"{name}.txt").write_text(body, encoding="utf-8")
        (out / f"{name}.gold").write_text("".join(parts), encoding="utf-8")
        count += 1
    print(f"{count} documents written to {out}")


if __name__ == "__main__":
    main()
