"""Hover latency in an article while gazette.toml (N entities) is edited.

    python3 scripts/kb_keystroke_latency.py target/release/gazette 100000

Generates a corpus (N entities with two aliases each, 50 short articles),
starts the server, opens gazette.toml and one article, then types five
characters into an entity's description and five into an entity's name
(incremental changes, as editors send them) while hovering in the article
every 5 ms; prints hover latency percentiles for each kind of keystroke.
"""
import os, sys, time, tempfile, statistics
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__))); from lsp_client import Client
binary = sys.argv[1]; n = int(sys.argv[2])
d = tempfile.mkdtemp()
with open(f"{d}/gazette.toml", "w") as f:
    for i in range(n):
        f.write(f'[[entity]]\nname = "Vorname{i} Nachname{i}"\nkind = "person"\naliases = ["Nachname{i}", "V. Nachname{i}"]\ndescription = "Person {i}"\n\n')
art = "Die NATO tagte in Brüssel. Vorname7 Nachname7 sprach mit Vorname9 Nachname9 über die NATO.\n" * 20
for k in range(50):
    open(f"{d}/a{k}.txt", "w").write(art)
c = Client(binary)
t = time.time(); c.initialize(d); print(f"{n} entities: initialize+index {time.time()-t:.2f} s")
kb = f"{d}/gazette.toml"; uri = "file://" + kb
kbtext = c.open(kb); c.open(f"{d}/a0.txt")
auri = "file://" + d + "/a0.txt"
c.request("textDocument/hover", {"textDocument": {"uri": auri}, "position": {"line": 0, "character": 5}})
def pos_of(text, needle):
    i = text.index(needle) + len(needle)
    line = text.count("\n", 0, i)
    col = i - (text.rfind("\n", 0, i) + 1)
    return {"line": line, "character": col}
version = 1
for label, needle in [("description keystroke", 'description = "Person 5'), ("name keystroke", 'name = "Vorname5 Nachname5')]:
    lat = []
    p = pos_of(kbtext, needle)
    for v in range(1, 6):
        version += 1
        at = {"line": p["line"], "character": p["character"] + v - 1}
        # One character typed, as an editor sends it (incremental sync).
        c.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"range": {"start": at, "end": at}, "text": "x"}]})
        t_end = time.time() + 1.5
        while time.time() < t_end:
            t0 = time.time()
            c.request("textDocument/hover", {"textDocument": {"uri": auri}, "position": {"line": 0, "character": 5}})
            lat.append((time.time() - t0) * 1e3)
            time.sleep(0.005)
    lat.sort()
    print(f"{label}: {len(lat)} hovers, p50 {statistics.median(lat):.1f} ms, p99 {lat[int(len(lat)*.99)-1]:.1f} ms, max {lat[-1]:.1f} ms")
c.close()
