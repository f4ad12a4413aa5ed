#!/usr/bin/env python3
"""Does gazette learn from annotations? A split-half experiment.

For a folder of hand-annotated articles (`NN.txt` + `NN.gold`, markup in
tests/unseen/README.md), split the articles into halves A and B (sorted by
name: the first half and the rest). Copy them to a scratch corpus, write A's
gold as brat standoff (`.ann` beside each `.txt`; PART spans left out) and
import it (`gazette import --format brat`), then score B with `gazette eval`
(the same scorer; exact span and kind, PER/LOC/ORG) before and after the
import. The scratch corpus has its own cache folder (GAZETTE_CACHE_DIR), so
the adapted model is trained by the run. Both directions: A->B and B->A.

    scripts/learn_eval.py [--gazette target/release/gazette] DIR...
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

MARK = re.compile(r"\[\[(PER|LOC|ORG|OTH|PART) ([^\]|]+)(?:\|[^\]]*)?\]\]")


def brat(gold_text):
    """The brat standoff of a .gold text (character offsets)."""
    lines, plain, pos, n = [], "", 0, 0
    for m in MARK.finditer(gold_text):
        plain += gold_text[pos:m.start()]
        start = len(plain)
        plain += m.group(2)
        pos = m.end()
        if m.group(1) != "PART":
            n += 1
            lines.append(f"T{n}\t{m.group(1)} {start} {len(plain)}\t{m.group(2)}")
    return "".join(line + "\n" for line in lines)


def score(gazette, corpus, env):
    out = subprocess.run([gazette, "eval", corpus, "--format", "json"], env=env,
                         check=True, capture_output=True, text=True).stdout
    a = json.loads(out)["all"]
    p = a["tp"] / max(a["pred"], 1)
    r = a["tp"] / max(a["gold"], 1)
    return 100 * (2 * p * r / (p + r) if p + r else 0.0)


def run(gazette, folder, teach, test, scratch):
    corpus = os.path.join(scratch, "corpus")
    shutil.rmtree(scratch, ignore_errors=True)
    os.makedirs(corpus)
    env = dict(os.environ, GAZETTE_CACHE_DIR=os.path.join(scratch, "cache"))
    for d in teach + test:
        shutil.copy(os.path.join(folder, d + ".txt"), corpus)
    for d in test:
        shutil.copy(os.path.join(folder, d + ".gold"), corpus)
    before = score(gazette, corpus, env)
    for d in teach:
        with open(os.path.join(folder, d + ".gold"), encoding="utf-8") as f:
            ann = brat(f.read())
        with open(os.path.join(corpus, d + ".ann"), "w", encoding="utf-8") as f:
            f.write(ann)
    subprocess.run([gazette, "import", "--format", "brat", corpus], env=env,
                   check=True, capture_output=True)
    t0 = time.time()
    after = score(gazette, corpus, env)
    took = time.time() - t0
    return before, after, took


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gazette", default="target/release/gazette")
    ap.add_argument("folders", nargs="+")
    a = ap.parse_args()
    gazette = os.path.abspath(a.gazette)
    ok = True
    for folder in a.folders:
        docs = sorted(f[:-5] for f in os.listdir(folder) if f.endswith(".gold"))
        half = len(docs) // 2
        A, B = docs[:half], docs[half:]
        with tempfile.TemporaryDirectory() as tmp:
            for name, teach, test in (("A->B", A, B), ("B->A", B, A)):
                before, after, took = run(gazette, folder, teach, test, os.path.join(tmp, name))
                print(f"{folder} {name}: taught {len(teach)} articles, scored {len(test)}: "
                      f"F1 {before:.2f} -> {after:.2f} ({after - before:+.2f} points; "
                      f"eval with training {took:.1f}s)")
                ok &= after - before >= 2.0
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
