#!/usr/bin/env python3
"""Loads gazette's exports with each ecosystem's own reader.

Usage: check_exports.py GAZETTE CORPUS WORKDIR

CORPUS is exported (``--include both``) in every format
under WORKDIR, then

* JSON Lines: every span becomes a spaCy ``Doc.char_span`` of
  ``spacy.blank("de")``'s tokens with the same text (strict alignment; a name
  inside a token spaCy keeps whole, "NATO" in "NATO-Verbündeten", expanded);
* XMI: dkpro-cassis loads each CAS with the exported type system; its
  ``NamedEntity`` annotations (cassis converts UIMA's UTF-16 offsets) cover
  the same text as the JSON Lines spans;
* brat: each ``.ann`` is read as brat's standoff format documents it
  (``T`` id, type and ``start end[;start end]`` fragments, the fragments'
  text joined by spaces), and each fragment's text is checked against the
  ``.txt`` beside it;
* WebAnno TSV 3.3: the header, each token's UTF-16 offsets against the
  text, and the spans rebuilt from the NamedEntity columns;
* CoNLL: the BIO labels are valid and the tokens are found in order.

All formats must give the same spans (CoNLL: those on token boundaries).
Exits non-zero with a message on the first mismatch.
"""

import json
import os
import re
import subprocess
import sys

import cassis
import spacy

LABELS = {"PER", "LOC", "ORG", "OTH"}


def fail(msg):
    print(f"check_exports: FAIL: {msg}", file=sys.stderr)
    sys.exit(1)


def export(gazette, corpus, fmt, out):
    subprocess.run(
        [gazette, "export", "--format", fmt, "--include", "both", "-o", out, corpus],
        check=True,
        env={**os.environ, "GAZETTE_CACHE_DIR": "off"},
    )


def check_jsonl(path):
    nlp = spacy.blank("de")
    docs = {}
    n = inside = 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            doc = nlp.make_doc(d["text"])
            spans = set()
            for s in d["spans"]:
                if s["label"] not in LABELS:
                    fail(f"jsonl: label {s['label']!r}")
                span = doc.char_span(s["start"], s["end"], label=s["label"], alignment_mode="strict")
                if span is None:
                    # spaCy's blank German tokenizer keeps some compounds
                    # whole ("NATO-Verbündeten"): a name inside one is a
                    # char span once expanded to its token, which covers it.
                    inside += 1
                    span = doc.char_span(s["start"], s["end"], label=s["label"], alignment_mode="expand")
                    if span is None or not (span.start_char <= s["start"] and s["end"] <= span.end_char):
                        fail(f"jsonl: {d['meta']['path']}: no char span for {s}")
                    if doc.text[s["start"]:s["end"]] != d["text"][s["start"]:s["end"]]:
                        fail(f"jsonl: offsets of {s}")
                elif span.text != d["text"][s["start"]:s["end"]]:
                    fail(f"jsonl: span text {span.text!r}")
                spans.add((s["start"], s["end"], s["label"]))
                n += 1
            docs[d["meta"]["path"]] = (d["text"], spans)
    print(
        f"check_exports: jsonl: {n} spans in {len(docs)} articles became spaCy {spacy.__version__} "
        f"char spans ({n - inside} strict, {inside} inside a spaCy token, expanded)"
    )
    return docs


def check_xmi(folder, ref):
    with open(os.path.join(folder, "TypeSystem.xml"), "rb") as f:
        ts = cassis.load_typesystem(f)
    n = 0
    for path, (text, spans) in ref.items():
        xmi = os.path.join(folder, os.path.splitext(path)[0] + ".xmi")
        with open(xmi, "rb") as f:
            cas = cassis.load_cas_from_xmi(f, typesystem=ts)
        if cas.sofa_string != text:
            fail(f"xmi: {path}: sofa text differs")
        got = set()
        for ne in cas.select("de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity"):
            if ne.get_covered_text() != text[ne.begin:ne.end]:
                fail(f"xmi: {path}: covered text")
            got.add((ne.begin, ne.end, ne.value))
            n += 1
        if got != spans:
            fail(f"xmi: {path}: spans differ from jsonl: {sorted(got ^ spans)[:5]}")
    print(f"check_exports: xmi: {n} NamedEntity annotations loaded by dkpro-cassis")


BRAT_T = re.compile(r"^(T\d+)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)\t(.*)$")


def check_brat(folder, ref):
    n = 0
    for path, (text, spans) in ref.items():
        base = os.path.join(folder, os.path.splitext(path)[0])
        with open(base + ".txt", encoding="utf-8") as f:
            txt = f.read()
        if txt != text:
            fail(f"brat: {path}: .txt differs")
        got = set()
        with open(base + ".ann", encoding="utf-8") as f:
            for line in f:
                line = line.rstrip("\n")
                if line.startswith("#"):
                    if not re.match(r"^#\d+\tAnnotatorNotes T\d+\t", line):
                        fail(f"brat: bad note {line!r}")
                    continue
                m = BRAT_T.match(line)
                if not m:
                    fail(f"brat: {path}: not a text-bound annotation: {line!r}")
                frags = [tuple(map(int, fr.split())) for fr in m.group(3).split(";")]
                shown = " ".join(txt[a:b] for a, b in frags)
                if shown != m.group(4):
                    fail(f"brat: {path}: {m.group(1)} text {m.group(4)!r} != {shown!r}")
                got.add((frags[0][0], frags[-1][1], m.group(2)))
                n += 1
        if got != spans:
            fail(f"brat: {path}: spans differ from jsonl: {sorted(got ^ spans)[:5]}")
    print(f"check_exports: brat: {n} text-bound annotations match their text")


def check_webanno(folder, ref):
    n = 0
    for path, (text, spans) in ref.items():
        with open(os.path.join(folder, os.path.splitext(path)[0] + ".tsv"), encoding="utf-8") as f:
            lines = f.read().split("\n")
        if lines[0] != "#FORMAT=WebAnno TSV 3.3":
            fail(f"webanno: {path}: header {lines[0]!r}")
        if lines[1] != "#T_SP=de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity|identifier|value":
            fail(f"webanno: {path}: layer {lines[1]!r}")
        u16 = text.encode("utf-16-le")
        multi, got = {}, set()

        def cp(u):  # UTF-16 offset -> code point offset
            return len(u16[: 2 * u].decode("utf-16-le"))

        for line in lines[2:]:
            if not line or line.startswith("#"):
                continue
            cols = line.split("\t")
            if len(cols) != 6 or not re.match(r"^\d+-\d+(\.\d+)?$", cols[0]):
                fail(f"webanno: {path}: line {line!r}")
            b, e = map(int, cols[1].split("-"))
            tok = u16[2 * b: 2 * e].decode("utf-16-le")
            unesc = re.sub(r"\\(.)", lambda m: {"t": "\t", "n": "\n", "r": "\r"}.get(m.group(1), m.group(1)), cols[2])
            if tok != unesc:
                fail(f"webanno: {path}: token {cols[2]!r} at {b}-{e} is {tok!r}")
            value = cols[4]
            if value == "_":
                continue
            m = re.match(r"^(PER|LOC|ORG|OTH)(?:\[(\d+)\])?$", value)
            if not m:
                fail(f"webanno: {path}: value {value!r}")
            if m.group(2):
                s = multi.setdefault(m.group(2), [cp(b), cp(e), m.group(1)])
                s[0], s[1] = min(s[0], cp(b)), max(s[1], cp(e))
            else:
                got.add((cp(b), cp(e), m.group(1)))
        got |= {tuple(v) for v in multi.values()}
        n += len(got)
        if got != spans:
            fail(f"webanno: {path}: spans differ from jsonl: {sorted(got ^ spans)[:5]}")
    print(f"check_exports: webanno-tsv: {n} spans rebuilt from the token lines")


def check_conll(path, ref):
    docs, cur = {}, None
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("# path = "):
                cur = line[len("# path = "):]
                docs[cur] = []
            elif line:
                n, tok, outer, inner = line.split("\t")
                if not re.match(r"^(O|[BI]-(PER|LOC|ORG|OTH))$", outer) or inner != "O":
                    fail(f"conll: labels {line!r}")
                docs[cur].append((tok, outer))
    n = 0
    for path, toks in docs.items():
        text, spans = ref[path]
        at, got, open_ = 0, set(), None
        bounds = set()
        for tok, lab in toks:
            i = text.find(tok, at)
            if i < 0:
                fail(f"conll: {path}: token {tok!r} not found")
            at = i + len(tok)
            bounds |= {i, at}
            if lab.startswith("I-") and open_ and open_[2] == lab[2:]:
                open_[1] = at
                continue
            if open_:
                got.add(tuple(open_))
            open_ = [i, at, lab[2:]] if lab != "O" else None
        if open_:
            got.add(tuple(open_))
        aligned = {s for s in spans if s[0] in bounds and s[1] in bounds}
        if not aligned <= got:
            fail(f"conll: {path}: token-aligned spans missing: {sorted(aligned - got)[:5]}")
        n += len(got)
    print(f"check_exports: conll: {n} BIO spans, every token-aligned span present")


def main():
    gazette, corpus, work = sys.argv[1:4]
    os.makedirs(work, exist_ok=True)
    for fmt in ["brat", "webanno-tsv", "xmi"]:
        export(gazette, corpus, fmt, os.path.join(work, fmt))
    export(gazette, corpus, "jsonl", os.path.join(work, "export.jsonl"))
    export(gazette, corpus, "conll", os.path.join(work, "export.conll"))
    ref = check_jsonl(os.path.join(work, "export.jsonl"))
    if sum(len(s) for _, s in ref.values()) == 0:
        fail("the export holds no spans")
    check_xmi(os.path.join(work, "xmi"), ref)
    check_brat(os.path.join(work, "brat"), ref)
    check_webanno(os.path.join(work, "webanno-tsv"), ref)
    check_conll(os.path.join(work, "export.conll"), ref)
    print("check_exports: ok")


if __name__ == "__main__":
    main()
