#!/usr/bin/env python3
"""Score gazette's figures against the hand annotation tests/unseen/figures.tsv.

Usage: python3 scripts/unseen_figures.py target/release/gazette tests/unseen
A gold figure stands where its text first stands as a word of its own after the row before
it (the rows are in text order; see `place`). A gold figure is *fully right* when a predicted figure overlaps its text and has the same
value, category and unit. Units are compared case-insensitively, a counted noun by its
compound head and lemma: gazette names the head noun in its base form ("Flugbegleiter" for
"Lufthansa-Flugbegleiter", "Stimmzettel" for "Stimmzetteln", "Land" for "Ländern"), the
annotation keeps the surface (a pair, "Soldatinnen und Soldaten", by its first noun).
"""
import collections
import json
import pathlib
import subprocess
import sys
from decimal import Decimal, InvalidOperation


def same_value(a, b):
    try:
        return Decimal(str(a)) == Decimal(str(b))
    except InvalidOperation:
        return str(a) == str(b)


def same_unit(a, b):
    fold = str.maketrans("äöü", "aou")  # plural umlaut: "Flugausfall" / "Flugausfällen"
    # A pair ("Soldatinnen und Soldaten") by its first noun.
    a, b = ((x or "").split(" und ")[0] for x in (a, b))
    a = a.lower().rsplit("-", 1)[-1].translate(fold)
    b = b.lower().rsplit("-", 1)[-1].translate(fold)
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    # "-ern" and "-innen" plurals are three letters longer: "Land" / "Ländern",
    # "Kundin" / "Kundinnen".
    most = 3 if long_.endswith(("ern", "innen")) else 2
    return len(short) >= 4 and long_.startswith(short) and len(long_) - len(short) <= most


def place(body, text, k, after, taken):
    """The character offset of a gold figure's text: rows come in text order, so the first
    occurrence from `after` on (the previous row's offset), not taken by an earlier row, that stands as a word of its own
    (no letter or digit glued to an edge that is one: "1." is neither the end of "41." nor
    the start of "2.350"); failing that, the k-th such occurrence, else the k-th anywhere;
    None when there is none."""
    def occurrences():
        at = body.find(text)
        while at >= 0:
            yield at
            at = body.find(text, at + 1)

    def alone(at):
        end = at + len(text)
        glued_before = at > 0 and text[0].isalnum() and body[at - 1].isalnum()
        glued_after = end < len(body) and (
            text[-1].isalnum() and body[end].isalnum()
            or text[-1] in ".," and body[end].isdigit())
        return not (glued_before or glued_after)

    words = [a for a in occurrences() if alone(a)]
    later = [a for a in words if a >= after and a not in taken]
    if later:
        return later[0]
    for hits in (words, list(occurrences())):
        if len(hits) > k:
            return hits[k]
    return None


def main():
    gazette, folder = sys.argv[1], pathlib.Path(sys.argv[2])
    rows = [l.rstrip("\n").split("\t") for l in (folder / "figures.tsv").read_text(encoding="utf-8").splitlines()]
    header, rows = rows[0], rows[1:]
    docs = sorted({r[0] for r in rows})
    out = subprocess.run([gazette, "entities", "--format", "json", "--position-encoding", "utf-8"]
                         + [str(folder / d) for d in docs], capture_output=True, check=True)
    pred = collections.defaultdict(list)
    for f in json.loads(out.stdout)["figures"]:
        pred[pathlib.Path(f["path"]).name].append(f)
    right, found, errors = 0, 0, []
    used = set()
    seen = collections.Counter()
    last = {}
    taken = collections.defaultdict(set)
    for doc, text, value, cat, unit, approx in rows:
        body = (folder / doc).read_bytes()
        k = seen[(doc, text)]
        seen[(doc, text)] += 1
        chars = place(body.decode("utf-8"), text, k, last.get(doc, 0), taken[doc])
        pos = None
        if chars is not None:
            last[doc] = chars
            taken[doc].add(chars)
            pos = len(body.decode("utf-8")[:chars].encode("utf-8"))
        if pos is None:
            errors.append(f"{doc}: gold text not found: {text!r}")
            continue
        end = pos + len(text.encode("utf-8"))
        hits = [f for f in pred[doc] if f["byte_start"] < end and pos < f["byte_end"]]
        if not hits:
            errors.append(f"{doc}: missed {text!r} ({value} {cat} {unit})")
            continue
        found += 1
        f = hits[0]
        used.add((doc, f["byte_start"]))
        ok = (same_value(f["value"], value) and f["category"] == cat
              and same_unit(f["unit"], unit))
        if ok:
            right += 1
        else:
            errors.append(f"{doc}: {text!r}: got {f['value']} {f['category']} {f['unit']!r}, "
                          f"want {value} {cat} {unit!r}")
    spurious = [(d, f["text"], f["category"]) for d in docs for f in pred[d] if (d, f["byte_start"]) not in used]
    n = len(rows)
    print(f"{n} gold figures in {len(docs)} documents: found {found}, fully right {right} "
          f"({100 * right / n:.1f} %); {len(spurious)} predicted figures not in the gold")
    if "--errors" in sys.argv:
        print("\n".join(errors))
        for s in spurious:
            print(f"{s[0]}: not a gold figure: {s[1]!r} ({s[2]})")


if __name__ == "__main__":
    main()
