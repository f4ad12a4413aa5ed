#!/usr/bin/env python3
"""How many machine errors the review queue puts first.

Runs `gazette review DIR --format json` on a folder of hand-annotated
articles (`NN.txt` + `NN.gold`, markup in tests/unseen/README.md) and counts
the machine errors among the first N items of the queue and among all of
them. An item is an error unless a gold name has exactly its span and kind
(PER/LOC/ORG/OTH); an item overlapping a PART span (a compound with a name
inside) is neutral and counted as right. A random N items hold on average
N x (errors / items) errors; the queue should hold at least 3 times that.

    scripts/review_queue_eval.py [--gazette target/release/gazette] [-n 50] DIR...
"""
import argparse
import json
import os
import re
import subprocess
import sys

LABEL = {"person": "PER", "place": "LOC", "organisation": "ORG", "other": "OTH"}
MARK = re.compile(r"\[\[(PER|LOC|ORG|OTH|PART) ([^\]|]+)(?:\|[^\]]*)?\]\]")


def gold_spans(gold_text):
    """(start, end, kind) in UTF-8 bytes of the plain text."""
    out, plain, pos = [], b"", 0
    for m in MARK.finditer(gold_text):
        plain += gold_text[pos:m.start()].encode()
        start = len(plain)
        plain += m.group(2).encode()
        out.append((start, len(plain), m.group(1)))
        pos = m.end()
    return out


def measure(gazette, folder, n, dump=False):
    items = json.loads(subprocess.run(
        [gazette, "review", folder, "--format", "json"],
        check=True, capture_output=True, text=True).stdout)
    gold = {}
    for f in os.listdir(folder):
        if f.endswith(".gold"):
            with open(os.path.join(folder, f), encoding="utf-8") as fh:
                gold[os.path.abspath(os.path.join(folder, f[:-5] + ".txt"))] = gold_spans(fh.read())

    def error(it):
        spans = gold.get(os.path.abspath(it["path"]), [])
        s, e, k = it["byte_start"], it["byte_end"], LABEL[it["label"]]
        if any(gk == "PART" and s < ge and gs < e for gs, ge, gk in spans):
            return False
        return (s, e, k) not in spans

    # Only articles with a gold file are scored (a README beside them is not).
    items = [it for it in items if os.path.abspath(it["path"]) in gold]
    errs = [error(it) for it in items]
    if dump:
        for it, e in zip(items, errs):
            print(f"{it['score']:.3f} {'ERR' if e else 'ok '} {it['source']:<13} "
                  f"{it['label']:<12} {it['text']!r} {os.path.basename(it['path'])}")
    top = sum(errs[:n])
    rate = sum(errs) / max(len(errs), 1)
    return {"folder": folder, "items": len(items), "errors": sum(errs),
            "top": top, "n": n, "random_expected": round(n * rate, 2),
            "ratio": round(top / (n * rate), 2) if rate else None}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gazette", default="target/release/gazette")
    ap.add_argument("-n", type=int, default=50)
    ap.add_argument("--dump", action="store_true", help="print every item, marked")
    ap.add_argument("folders", nargs="+")
    a = ap.parse_args()
    ok = True
    for d in a.folders:
        r = measure(a.gazette, d, a.n, a.dump)
        print(f"{d}: {r['items']} queue items, {r['errors']} machine errors; "
              f"first {r['n']}: {r['top']} errors, a random {r['n']}: "
              f"{r['random_expected']} on average; ratio {r['ratio']}")
        ok &= r["ratio"] is not None and r["ratio"] >= 3
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
