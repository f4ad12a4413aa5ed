#!/usr/bin/env python3
"""List Rust function bodies longer than a limit (non-test code).

    scripts/fn_lengths.py [--max 25] [DIR ...]      (default: crates/lsp/src)

A body's length is the number of lines strictly between the line of its
opening brace and the line of its closing brace. Test code is left out: files
named `tests.rs` or under a `tests/` folder, and everything after a top-level
`#[cfg(test)]` in a file. Strings, chars and comments are skipped when
matching braces. Exits 1 when any body is over the limit.
"""

import argparse
import re
import sys
from pathlib import Path

FN = re.compile(r"\bfn\s+([A-Za-z_][A-Za-z0-9_]*)")


def code_only(src):
    """`src` with comments, strings and char literals blanked (newlines kept)."""
    out, i, n = [], 0, len(src)
    while i < n:
        c = src[i]
        if src.startswith("//", i):
            j = src.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif src.startswith("/*", i):
            depth, j = 1, i + 2
            while j < n and depth:
                if src.startswith("/*", j):
                    depth, j = depth + 1, j + 2
                elif src.startswith("*/", j):
                    depth, j = depth - 1, j + 2
                else:
                    j += 1
            out.append(re.sub(r"[^\n]", " ", src[i:j]))
            i = j
        elif (m := re.match(r'b?r(#*)"', src[i:])) and (i == 0 or not src[i - 1].isalnum()):
            end = '"' + m.group(1)
            j = src.find(end, i + m.end())
            j = n if j < 0 else j + len(end)
            out.append(re.sub(r"[^\n]", " ", src[i:j]))
            i = j
        elif c == '"':
            j = i + 1
            while j < n and src[j] != '"':
                j += 2 if src[j] == "\\" else 1
            out.append(re.sub(r"[^\n]", " ", src[i : j + 1]))
            i = j + 1
        elif c == "'" and (m := re.match(r"'(\\.[^']*|[^\\'])'", src[i:])):
            out.append(" " * m.end())
            i += m.end()
        else:
            out.append(c)
            i += 1
    return "".join(out)


def non_test(src):
    """The part of a file above its top-level `#[cfg(test)]`."""
    m = re.search(r"^#\[cfg\(test\)\]", src, re.M)
    return src[: m.start()] if m else src


def bodies(path):
    """(name, first line, body lines) of every fn with a body in `path`."""
    code = code_only(non_test(path.read_text()))
    for m in FN.finditer(code):
        # The body's brace: the first `{` before any `;` (a declaration).
        j = m.end()
        while j < len(code) and code[j] not in "{;":
            j += 1
        if j >= len(code) or code[j] == ";":
            continue
        depth, k = 0, j
        while k < len(code):
            depth += {"{": 1, "}": -1}.get(code[k], 0)
            if depth == 0:
                break
            k += 1
        first, open_line = code.count("\n", 0, m.start()) + 1, code.count("\n", 0, j) + 1
        yield m.group(1), first, code.count("\n", j, k) - 1 if k > j else 0, open_line


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--max", type=int, default=25)
    ap.add_argument("dirs", nargs="*", default=["crates/lsp/src"])
    args = ap.parse_args()
    over = []
    for d in args.dirs:
        for path in sorted(Path(d).rglob("*.rs")):
            if path.name == "tests.rs" or "tests" in path.parts:
                continue
            for name, line, n, _ in bodies(path):
                if n > args.max:
                    over.append((n, f"{path}:{line}", name))
    for n, at, name in sorted(over, reverse=True):
        print(f"{n:4}  {at}  {name}")
    print(f"{len(over)} function bodies over {args.max} lines", file=sys.stderr)
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
