"""How soon the first references arrive, with and without partial results.

    python3 scripts/references_partial_latency.py target/release/gazette DIR ARTICLE WORD [RUNS]

Indexes DIR, opens ARTICLE, asks for the references of the first WORD in it
RUNS times (default 5) without a partialResultToken (time to the whole
response, parsed) and with one (time to the first `$/progress` batch, to
the last, and to the empty response). Prints the medians.
"""
import os, sys, time, statistics
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__))); from lsp_client import Client
binary, root, article, word = sys.argv[1:5]
runs = int(sys.argv[5]) if len(sys.argv) > 5 else 5
c = Client(binary)
t = time.time(); c.initialize(root); print(f"indexed in {time.time() - t:.1f} s")
text = c.open(article)
i = text.index(word)
line = text.count("\n", 0, i)
col = len(text[text.rfind("\n", 0, i) + 1:i].encode("utf-16-le")) // 2
params = {"textDocument": {"uri": "file://" + os.path.abspath(article)}, "position": {"line": line, "character": col + 1},
          "context": {"includeDeclaration": True}}
c.request("textDocument/hover", params)
whole, first, last, resp, counts = [], [], [], [], []
for r in range(runs):
    t0 = time.time(); n = len(c.request("textDocument/references", params)["result"]); whole.append(time.time() - t0)
    token = f"refs-{r}"
    t0 = time.time(); rid = c.request_async("textDocument/references", dict(params, partialResultToken=token))
    t_resp, msg = c.wait(rid)
    assert msg["result"] == [], msg
    got = [m for m in c.notes if m.get("method") == "$/progress" and m["params"]["token"] == token]
    c.notes = [m for m in c.notes if m not in got]
    assert sum(len(m["params"]["value"]) for m in got) == n, (n, [len(m["params"]["value"]) for m in got])
    counts.append((n, len(got), len(got[0]["params"]["value"]) if got else 0))
    resp.append(t_resp - t0)
    first.append(c.arrived[id(got[0])] - t0); last.append(c.arrived[id(got[-1])] - t0)
ms = lambda xs: f"{statistics.median(xs) * 1e3:.1f} ms"
print(f"{counts[0][0]} locations; whole response {ms(whole)}; partial results: {counts[0][1]} batches, first of {counts[0][2]} after {ms(first)}, last after {ms(last)}; empty response after {ms(resp)}")
c.close()
