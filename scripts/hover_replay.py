#!/usr/bin/env python3
"""Replays the scale bench's hovers twice and says which were slow in the server.

    python3 scripts/hover_replay.py BINARY CORPUS_DIR [SETTLE_SECONDS] [LOG]

Starts `BINARY lsp` on CORPUS_DIR (a `gazette bench-corpus` folder; the
persistent index goes to $GAZETTE_CACHE_DIR, default /tmp/hover-replay-cache,
so a second run starts warm), waits for indexing and SETTLE_SECONDS (default
15) more, then hovers every capitalised word of the five articles the bench
hovers (`benches/scale.rs`), opening each first, and does it all again. It
prints the client's p50/p99 for both passes and every hover the server's
debug log (LOG, default /tmp/hover-replay.log) reports as slower than 2 ms,
with the word and the card's first lines: a slow first pass and a fast
second one is a card made at the hover.
"""
import json, os, re, sys, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lsp_client import Client  # noqa: E402


def utf16_pos(text, i):
    line = text.count("\n", 0, i)
    start = text.rfind("\n", 0, i) + 1
    return line, len(text[start:i].encode("utf-16-le")) // 2


def main():
    binary, root = sys.argv[1], os.path.abspath(sys.argv[2])
    settle = float(sys.argv[3]) if len(sys.argv) > 3 else 15.0
    log = sys.argv[4] if len(sys.argv) > 4 else "/tmp/hover-replay.log"
    files = sorted(os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs if f.endswith(".txt"))
    env = dict(os.environ, GAZETTE_LOG="gazette=debug")
    env.setdefault("GAZETTE_CACHE_DIR", "/tmp/hover-replay-cache")
    c = Client(binary, env=env, stderr=open(log, "w"))
    t0 = time.time()
    c.initialize(root)
    print(f"indexed in {time.time() - t0:.2f} s", flush=True)
    end = time.time() + settle
    while time.time() < end:  # take the server's messages while waiting
        try:
            c.wait(-1, timeout=max(0.01, end - time.time()))
        except TimeoutError:
            pass
    seen = {}
    for rnd in range(2):
        lat = []
        for k in range(1, 6):
            path = files[len(files) * k // 6]
            text = open(path, encoding="utf-8").read()
            if rnd == 0:
                c.open(path)
            uri = "file://" + path
            for i, ch in enumerate(text):
                if not ch.isupper() or (i > 0 and text[i - 1].isalnum()):
                    continue
                line, col = utf16_pos(text, i)
                t = time.perf_counter()
                rid = c.request_async("textDocument/hover", {
                    "textDocument": {"uri": uri}, "position": {"line": line, "character": col}})
                r = c.wait(rid)[1].get("result")
                d = time.perf_counter() - t
                if r:
                    card = " / ".join(r["contents"]["value"].split("\n")[:3])[:140]
                    seen[rid] = (rnd, text[i:i + 24].split("\n")[0], card)
                    lat.append(d)
        lat.sort()
        p = lambda q: lat[int(round((len(lat) - 1) * q))] * 1e3  # noqa: E731
        print(f"pass {rnd + 1}: {len(lat)} hovers, p50 {p(0.5):.2f} ms, p99 {p(0.99):.2f} ms", flush=True)
    time.sleep(20)  # let the server write its persistent index
    c.close()
    slow = 0
    for l in open(log, encoding="utf-8", errors="replace"):
        m = re.search(r"round trip textDocument/hover (\d+): ([\d.]+) ms", l)
        if m and int(m.group(1)) in seen:
            slow += 1
            rnd, word, card = seen[int(m.group(1))]
            print(f"  {m.group(2)} ms, pass {rnd + 1}: {word!r}: {card}")
    print(f"{slow} hovers over 2 ms in the server")


if __name__ == "__main__":
    main()
