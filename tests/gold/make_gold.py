#!/usr/bin/env python3
"""Build tests/gold/seeds.json from the human-readable annotation sources.

Sources (all in tests/gold/):
  annotated/<seed file name>  a copy of each seed article with inline markup:
      [[surface|kind|entity]]   a name mention (kind: person, place, org, other)
      <<surface|entity>>        a derived adjective / demonym (not a name mention)
  figures.tsv                 one numeric figure per row, located by a context
                              string that occurs exactly once in the article
  entities.tsv                every entity id with its kind and canonical name

Everything else (byte offsets, URL spans) is computed here, never by hand.
The script refuses to write the JSON unless:
  * each annotated file with its markup removed is byte-identical to seeds/<file>;
  * every span's text equals the seed bytes [byte_start, byte_end) decoded;
  * every entity id used is listed in entities.tsv with the same kind, and
    every listed id is used;
  * no mention, derived word or figure overlaps a URL, and no two gold
    mentions overlap each other;
  * every figure context occurs exactly once and contains its surface.

Usage: python3 tests/gold/make_gold.py          (writes tests/gold/seeds.json)
       python3 tests/gold/make_gold.py --check  (verifies the JSON is up to date)
"""

import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
SEEDS = os.path.join(REPO, "seeds")
ANNOTATED = os.path.join(HERE, "annotated")
FIGURES = os.path.join(HERE, "figures.tsv")
ENTITIES = os.path.join(HERE, "entities.tsv")
OUT = os.path.join(HERE, "seeds.json")

KINDS = {"person", "place", "org", "other"}
CATEGORIES = {"count", "percent", "money", "year", "date", "time", "ordinal", "duration", "measure"}
MARKUP = re.compile(
    r"\[\[(?P<msurf>[^\]|]+)\|(?P<kind>[a-z]+)\|(?P<ment>[a-z0-9_]+)\]\]"
    r"|<<(?P<dsurf>[^>|]+)\|(?P<dent>[a-z0-9_]+)>>"
)
# A URL runs to the next whitespace; trailing sentence punctuation is not part of it.
URL = re.compile(r"https?://\S+")
URL_TRAILING = ".,;:!?)\"'»“”"


class GoldError(Exception):
    pass


def byte_span(text, char_start, char_end):
    """Character offsets -> UTF-8 byte offsets."""
    start = len(text[:char_start].encode("utf-8"))
    return start, start + len(text[char_start:char_end].encode("utf-8"))


def parse_annotated(name, annotated):
    """Strip markup; return (plain text, mentions, derived) with char offsets."""
    plain = []
    pos_plain = 0
    last = 0
    mentions, derived = [], []
    for m in MARKUP.finditer(annotated):
        chunk = annotated[last : m.start()]
        if "[[" in chunk or "]]" in chunk or "<<" in chunk or ">>" in chunk:
            raise GoldError(f"{name}: malformed markup near {chunk[-60:]!r}")
        plain.append(chunk)
        pos_plain += len(chunk)
        if m.group("msurf") is not None:
            surf, kind, ent = m.group("msurf"), m.group("kind"), m.group("ment")
            if kind not in KINDS:
                raise GoldError(f"{name}: unknown kind {kind!r} for {surf!r}")
            mentions.append((pos_plain, pos_plain + len(surf), surf, kind, ent))
        else:
            surf, ent = m.group("dsurf"), m.group("dent")
            derived.append((pos_plain, pos_plain + len(surf), surf, ent))
        plain.append(surf)
        pos_plain += len(surf)
        last = m.end()
    tail = annotated[last:]
    if "[[" in tail or "<<" in tail:
        raise GoldError(f"{name}: malformed markup near {tail[:60]!r}")
    plain.append(tail)
    return "".join(plain), mentions, derived


def find_urls(text):
    out = []
    for m in URL.finditer(text):
        end = m.end()
        while end > m.start() and text[end - 1] in URL_TRAILING:
            end -= 1
        out.append((m.start(), end))
    return out


def parse_value(raw, category):
    if category in ("date", "time"):
        return raw
    value = float(raw)
    return int(value) if value.is_integer() else value


def tsv_rows(path):
    """(line number, line, columns) of each row of a TSV file; blank lines and comments skipped."""
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            line = line.rstrip("\n")
            if line and not line.startswith("#"):
                yield lineno, line, line.split("\t")


def read_figures():
    rows = []
    for lineno, _, cols in tsv_rows(FIGURES):
        if len(cols) < 7:
            raise GoldError(f"figures.tsv:{lineno}: expected >= 7 columns, got {len(cols)}")
        prefix, context, surface, category, value, unit, group = cols[:7]
        note = cols[7] if len(cols) > 7 else None
        if category not in CATEGORIES:
            raise GoldError(f"figures.tsv:{lineno}: unknown category {category!r}")
        if surface not in context:
            raise GoldError(f"figures.tsv:{lineno}: surface {surface!r} not in context")
        rows.append(
            dict(
                lineno=lineno,
                prefix=prefix,
                context=context,
                surface=surface,
                category=category,
                value=parse_value(value, category),
                unit=None if unit == "-" else unit,
                group=None if group == "-" else group,
                note=note or None,
            )
        )
    return rows


def read_entities():
    out = {}
    for lineno, line, cols in tsv_rows(ENTITIES):
        if len(cols) != 3 or cols[1] not in KINDS or cols[0] in out:
            raise GoldError(f"entities.tsv:{lineno}: bad row {line!r}")
        out[cols[0]] = {"kind": cols[1], "name": cols[2]}
    return out


def build():
    files = sorted(f for f in os.listdir(SEEDS) if f.endswith(".txt"))
    if not files:
        raise GoldError("no seed files")
    gold = {"files": files, "entities": {}, "mentions": [], "derived": [], "urls": [], "figures": []}
    texts = {}
    entity_kind = {}
    for name in files:
        with open(os.path.join(SEEDS, name), "rb") as fh:
            raw = fh.read()
        text = raw.decode("utf-8")
        texts[name] = text
        with open(os.path.join(ANNOTATED, name), encoding="utf-8") as fh:
            annotated = fh.read()
        plain, mentions, derived = parse_annotated(name, annotated)
        if plain.encode("utf-8") != raw:
            # Point at the first difference to make fixing easy.
            i = next((k for k, (a, b) in enumerate(zip(plain, text)) if a != b), min(len(plain), len(text)))
            raise GoldError(f"{name}: annotated text differs from seed at char {i}: {plain[i-30:i+30]!r} vs {text[i-30:i+30]!r}")
        urls = find_urls(text)

        def in_url(a, b):
            return any(a < ue and us < b for us, ue in urls)

        for us, ue in urls:
            bs, be = byte_span(text, us, ue)
            gold["urls"].append({"file": name, "byte_start": bs, "byte_end": be, "text": text[us:ue]})
        prev_end = -1
        for a, b, surf, kind, ent in mentions:
            if in_url(a, b):
                raise GoldError(f"{name}: mention {surf!r} inside a URL")
            if a < prev_end:
                raise GoldError(f"{name}: overlapping mentions at {surf!r}")
            prev_end = b
            if entity_kind.setdefault(ent, kind) != kind:
                raise GoldError(f"entity {ent} has kinds {entity_kind[ent]} and {kind}")
            bs, be = byte_span(text, a, b)
            gold["mentions"].append(
                {"file": name, "byte_start": bs, "byte_end": be, "text": surf, "kind": kind, "entity": ent}
            )
        for a, b, surf, ent in derived:
            if in_url(a, b):
                raise GoldError(f"{name}: derived word {surf!r} inside a URL")
            bs, be = byte_span(text, a, b)
            gold["derived"].append({"file": name, "byte_start": bs, "byte_end": be, "text": surf, "entity": ent})

    figure_spans = set()
    for row in read_figures():
        matches = [f for f in files if f.startswith(row["prefix"] + "_")]
        if len(matches) != 1:
            raise GoldError(f"figures.tsv:{row['lineno']}: file prefix {row['prefix']!r} matches {matches}")
        name = matches[0]
        text = texts[name]
        n = text.count(row["context"])
        if n != 1:
            raise GoldError(f"figures.tsv:{row['lineno']}: context {row['context']!r} occurs {n} times in {name}")
        a = text.index(row["context"]) + row["context"].index(row["surface"])
        b = a + len(row["surface"])
        if any(a < ue and us < b for us, ue in find_urls(text)):
            raise GoldError(f"figures.tsv:{row['lineno']}: figure inside a URL")
        bs, be = byte_span(text, a, b)
        if (name, bs) in figure_spans:
            raise GoldError(f"figures.tsv:{row['lineno']}: duplicate figure")
        figure_spans.add((name, bs))
        fig = {
            "file": name,
            "byte_start": bs,
            "byte_end": be,
            "text": row["surface"],
            "value": row["value"],
            "category": row["category"],
            "unit": row["unit"],
            "group": row["group"],
        }
        if row["note"]:
            fig["note"] = row["note"]
        gold["figures"].append(fig)
    gold["figures"].sort(key=lambda f: (f["file"], f["byte_start"]))

    listed = read_entities()
    for ent, kind in entity_kind.items():
        if ent not in listed:
            raise GoldError(f"entity {ent} is not listed in entities.tsv")
        if listed[ent]["kind"] != kind:
            raise GoldError(f"entity {ent}: kind {kind} in the text, {listed[ent]['kind']} in entities.tsv")
    for ent in listed:
        if ent not in entity_kind:
            raise GoldError(f"entities.tsv lists {ent}, which no mention uses")
    gold["entities"] = {k: listed[k] for k in sorted(listed)}

    # Final self-check on bytes, independent of the char bookkeeping above.
    raw_by_file = {n: texts[n].encode("utf-8") for n in files}
    for section in ("mentions", "derived", "urls", "figures"):
        for item in gold[section]:
            got = raw_by_file[item["file"]][item["byte_start"] : item["byte_end"]].decode("utf-8")
            if got != item["text"]:
                raise GoldError(f"{section}: {item['text']!r} != bytes {got!r}")
    return gold


def render(gold):
    # One item per line keeps diffs reviewable.
    lines = ["{"]
    keys = list(gold)
    for i, key in enumerate(keys):
        comma = "," if i + 1 < len(keys) else ""
        value = gold[key]
        if key == "entities":
            lines.append(f'  "{key}": {{')
            ents = list(value.items())
            for j, (k, v) in enumerate(ents):
                c = "," if j + 1 < len(ents) else ""
                lines.append(f"    {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}{c}")
            lines.append("  }" + comma)
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            lines.append(f'  "{key}": [')
            for j, item in enumerate(value):
                c = "," if j + 1 < len(value) else ""
                lines.append("    " + json.dumps(item, ensure_ascii=False) + c)
            lines.append("  ]" + comma)
        else:
            lines.append(f'  "{key}": {json.dumps(value, ensure_ascii=False)}{comma}')
    lines.append("}")
    return "\n".join(lines) + "\n"


def summary(gold):
    from collections import Counter

    out = []
    by = Counter((m["file"][:3], m["kind"]) for m in gold["mentions"])
    for f in gold["files"]:
        p = f[:3]
        out.append(
            f"{p}: " + ", ".join(f"{k}={by[(p, k)]}" for k in ("person", "place", "org", "other"))
        )
    kinds = Counter(m["kind"] for m in gold["mentions"])
    out.append(f"mentions: {len(gold['mentions'])} {dict(kinds)}")
    out.append(f"entities: {len(gold['entities'])} {dict(Counter(e['kind'] for e in gold['entities'].values()))}")
    out.append(f"derived: {len(gold['derived'])}, urls: {len(gold['urls'])}")
    groups = {f['group'] for f in gold['figures'] if f['group']}
    out.append(
        f"figures: {len(gold['figures'])} {dict(Counter(f['category'] for f in gold['figures']))}, groups: {len(groups)}"
    )
    return "\n".join(out)


def main():
    try:
        gold = build()
    except GoldError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    rendered = render(gold)
    if "--check" in sys.argv:
        with open(OUT, encoding="utf-8") as fh:
            if fh.read() != rendered:
                print("seeds.json is out of date: run tests/gold/make_gold.py", file=sys.stderr)
                return 1
        print("seeds.json is up to date")
    else:
        with open(OUT, "w", encoding="utf-8") as fh:
            fh.write(rendered)
    print(summary(gold))
    return 0


if __name__ == "__main__":
    sys.exit(main())
