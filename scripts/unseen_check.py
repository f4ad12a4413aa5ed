#!/usr/bin/env python3
"""Check hand annotations of tests/unseen: stripping the markup must give NN.txt back.

Usage: python3 scripts/unseen_check.py tests/unseen [NN ...]
Prints every mention (kind, surface, key) so an annotator can re-read them.
"""
import pathlib
import re
import sys

MARK = re.compile(r"\[\[(PER|LOC|ORG|OTH|PART) ((?:(?!\]\]).)+?)(?:\|((?:(?!\]\]).)+?))?\]\]", re.S)


def strip(gold):
    out, mentions, last = [], [], 0
    for m in MARK.finditer(gold):
        out.append(gold[last:m.start()])
        start = sum(len(s) for s in out)
        out.append(m.group(2))
        mentions.append((m.group(1), start, start + len(m.group(2)), m.group(2), m.group(3) or m.group(2)))
        last = m.end()
    out.append(gold[last:])
    return "".join(out), mentions


def main():
    root = pathlib.Path(sys.argv[1])
    names = sys.argv[2:] or sorted(p.stem for p in root.glob("*.gold"))
    bad = 0
    for n in names:
        text = (root / f"{n}.txt").read_text(encoding="utf-8")
        gold = (root / f"{n}.gold").read_text(encoding="utf-8")
        plain, mentions = strip(gold)
        if "[[" in plain or "]]" in plain:
            print(f"{n}: markup left after stripping (bad kind or bracket?)")
            bad += 1
        if plain != text:
            i = next((i for i, (a, b) in enumerate(zip(plain, text)) if a != b), min(len(plain), len(text)))
            print(f"{n}: text differs at char {i}: gold {plain[i-20:i+20]!r} vs text {text[i-20:i+20]!r}")
            bad += 1
        print(f"{n}: {len(mentions)} mentions")
        for kind, s, e, surf, key in mentions:
            print(f"   {kind:4} {surf}" + (f"  -> {key}" if key != surf else ""))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
