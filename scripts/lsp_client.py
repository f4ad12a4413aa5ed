"""A minimal LSP client over stdio for measurement scripts (answers the
server's own requests with null; LSP_STDERR=1 shows the server's log, a
`stderr` file keeps it)."""
import json, os, subprocess, threading, time, queue

class Client:
    def __init__(self, binary, env=None, preexec=None, stderr=None):
        if stderr is None:
            stderr = None if os.environ.get("LSP_STDERR") else subprocess.DEVNULL
        self.p = subprocess.Popen([binary, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=stderr, env=env, preexec_fn=preexec)
        self.lock = threading.Lock(); self.q = queue.Queue(); self.id = 0; self.notes = []; self.resp = {}; self.arrived = {}
        threading.Thread(target=self._read, daemon=True).start()
    def _read(self):
        f = self.p.stdout
        while True:
            n = None
            while True:
                line = f.readline()
                if not line: self.q.put(None); return
                line = line.strip()
                if not line: break
                if line.lower().startswith(b"content-length:"): n = int(line.split(b":")[1])
            body = f.read(n)
            msg = json.loads(body)
            if "id" in msg and "method" in msg:  # a request of the server's
                self.send({"jsonrpc": "2.0", "id": msg["id"], "result": None})
            self.q.put((time.time(), msg))
    def send(self, msg):
        b = json.dumps(msg).encode() if not isinstance(msg, bytes) else msg
        with self.lock:
            self.p.stdin.write(b"Content-Length: %d\r\n\r\n" % len(b) + b); self.p.stdin.flush()
    def notify(self, m, params): self.send({"jsonrpc": "2.0", "method": m, "params": params})
    def request_async(self, m, params):
        self.id += 1; self.send({"jsonrpc": "2.0", "id": self.id, "method": m, "params": params}); return self.id
    def wait(self, rid, timeout=60):
        end = time.time() + timeout
        while rid not in self.resp:
            left = end - time.time()
            if left <= 0: raise TimeoutError(f"no answer to {rid}")
            try: item = self.q.get(timeout=left)
            except queue.Empty: raise TimeoutError(f"no answer to {rid}")
            if item is None: raise EOFError("server closed")
            t, msg = item
            if "id" in msg and "method" not in msg: self.resp[msg["id"]] = (t, msg)
            else: self.notes.append(msg); self.arrived[id(msg)] = t
        return self.resp.pop(rid)
    def request(self, m, params, timeout=60):
        rid = self.request_async(m, params); return self.wait(rid, timeout)[1]
    def wait_note(self, pred, timeout=60):
        end = time.time() + timeout
        while True:
            for i, n in enumerate(self.notes):
                if pred(n): return self.notes.pop(i)
            left = end - time.time()
            if left <= 0: raise TimeoutError("no such notification")
            try: item = self.q.get(timeout=left)
            except queue.Empty: continue
            if item is None: raise EOFError("server closed")
            t, msg = item
            if "id" in msg and "method" not in msg: self.resp[msg["id"]] = (t, msg)
            else: self.notes.append(msg)
    def initialize(self, root, wait_index=True):
        uri = "file://" + os.path.abspath(root)
        r = self.request("initialize", {"processId": None, "rootUri": uri,
            "workspaceFolders": [{"uri": uri, "name": "c"}],
            "capabilities": {"window": {"workDoneProgress": True},
                             "general": {"positionEncodings": ["utf-16"]}}}, timeout=120)
        self.notify("initialized", {})
        if wait_index:
            self.wait_note(lambda n: n.get("method") == "$/progress" and n["params"]["value"].get("kind") == "end", 300)
        return r
    def open(self, path):
        text = open(path, encoding="utf-8").read()
        self.notify("textDocument/didOpen", {"textDocument": {"uri": "file://" + os.path.abspath(path), "languageId": "plaintext", "version": 1, "text": text}})
        return text
    def close(self):
        try:
            self.request("shutdown", None, 10); self.notify("exit", None)
        except Exception: pass
        try: self.p.wait(5)
        except Exception: self.p.kill()
