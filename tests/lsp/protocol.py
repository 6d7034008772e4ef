#!/usr/bin/env python3
"""Scripted Language Server Protocol sessions against the real binary.

protocol.py K8SCHECK

Each session starts `K8SCHECK lsp`, speaks JSON-RPC to it over pipes and
asserts what comes back: diagnostics (ranges in the negotiated encoding,
codes, severities), code actions applied to the text, hover, the
lifecycle and its exit status, and the errors for malformed input.
"""
import json
import os
import select
import subprocess
import sys
import tempfile

BIN = sys.argv[1]
FAILS = []
TIMEOUT = 20


def frame(obj):
    body = json.dumps(obj).encode() if not isinstance(obj, bytes) else obj
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


class Server:
    def __init__(self, *args):
        self.p = subprocess.Popen([BIN, "lsp", *args], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.buf = b""
        self.next_id = 100

    def send(self, *msgs):
        self.p.stdin.write(b"".join(m if isinstance(m, bytes) else frame(m)
                                    for m in msgs))
        self.p.stdin.flush()

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method, params):
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": self.next_id, "method": method,
                   "params": params})
        return self.response(self.next_id)

    def recv(self):
        """The next message, or None if none comes within TIMEOUT."""
        while True:
            head, sep, rest = self.buf.partition(b"\r\n\r\n")
            if sep:
                n = int(head.split(b":")[1])
                if len(rest) >= n:
                    self.buf = rest[n:]
                    return json.loads(rest[:n])
            r, _, _ = select.select([self.p.stdout], [], [], TIMEOUT)
            if not r:
                return None
            chunk = os.read(self.p.stdout.fileno(), 65536)
            if not chunk:
                return None
            self.buf += chunk

    def response(self, rid):
        while True:
            m = self.recv()
            if m is None:
                raise AssertionError("no response to %r" % rid)
            if m.get("id") == rid and "method" not in m:
                return m

    def diagnostics(self, uri):
        while True:
            m = self.recv()
            if m is None:
                raise AssertionError("no diagnostics for " + uri)
            if m.get("method") == "textDocument/publishDiagnostics" and \
                    m["params"]["uri"] == uri:
                return m["params"]

    def initialize(self, encodings=None):
        caps = {"general": {"positionEncodings": encodings}} if encodings else {}
        r = self.request("initialize", {"processId": None, "rootUri": None,
                                        "capabilities": caps})
        self.notify("initialized", {})
        return r["result"]

    def finish(self, shutdown=True):
        if shutdown:
            r = self.request("shutdown", None)
            check(r.get("result", "missing") is None, "shutdown answers null")
        self.notify("exit", None)
        self.p.stdin.close()
        rest = self.p.stdout.read()
        err = self.p.stderr.read().decode()
        rc = self.p.wait(TIMEOUT)
        return rc, rest, err


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        FAILS.append(what)


def apply_edits(text, edits, enc="utf-16"):
    """Apply TextEdits (from the end backwards) with positions in enc."""
    lines = text.splitlines(keepends=True) or [""]

    def offset(pos):
        off = sum(len(l.encode()) for l in lines[:pos["line"]])
        if pos["line"] >= len(lines):
            return len(text.encode())
        line = lines[pos["line"]].rstrip("\r\n")
        units = 0
        for ch in line:
            if units >= pos["character"]:
                break
            units += len(ch.encode("utf-16-le")) // 2 if enc == "utf-16" else len(ch.encode())
            off += len(ch.encode())
        return off
    data = text.encode()
    for e in sorted(edits, key=lambda e: (e["range"]["start"]["line"],
                                          e["range"]["start"]["character"]), reverse=True):
        a, b = offset(e["range"]["start"]), offset(e["range"]["end"])
        data = data[:a] + e["newText"].encode() + data[b:]
    return data.decode()


def units(s, enc):
    return len(s.encode("utf-16-le")) // 2 if enc == "utf-16" else len(s.encode())


MANIFEST = """apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: app
    image: registry.example.com/web:latest
"""


def session_full():
    """initialize -> open -> diagnostics -> change -> code actions -> apply
    -> no diagnostics -> hover -> shutdown/exit."""
    s = Server()
    init = s.initialize()
    caps = init["capabilities"]
    check(caps["positionEncoding"] == "utf-16", "utf-16 by default")
    check(caps["textDocumentSync"]["change"] == 2, "incremental sync declared")
    check(caps.get("hoverProvider") is True, "hover declared")
    uri = "file:///nonexistent/k8scheck-lsp-test/pod.yaml"
    s.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "yaml", "version": 1, "text": MANIFEST}})
    d = s.diagnostics(uri)
    check(d["version"] == 1, "diagnostics carry the version")
    codes = [x["code"] for x in d["diagnostics"]]
    check("image-tag-latest" in codes, "image-tag-latest reported")
    latest = [x for x in d["diagnostics"] if x["code"] == "image-tag-latest"][0]
    # The finding is the image field: line 7 (0-based), the key's column.
    check(latest["range"]["start"] == {"line": 7, "character": 4},
          "image-tag-latest starts at the image key: %r" % latest["range"])
    check(latest["range"]["end"]["line"] == 7 and
          latest["range"]["end"]["character"] == len(MANIFEST.splitlines()[7]),
          "... and ends after its value")
    check(all(x["source"] == "k8scheck" for x in d["diagnostics"]), "source is k8scheck")
    # Linked only in builds with -Ddocs_url (never a hard-coded site).
    href = latest.get("codeDescription", {}).get("href")
    check(href is None or href.endswith("/policies/rules/image-tag-latest.yaml"),
          "codeDescription links the rule's documentation: %r" % href)
    check(latest["severity"] in (1, 2, 3), "severity mapped")

    # Incremental change: the tag -> a pinned version.
    line7 = MANIFEST.splitlines()[7]
    col = line7.index("latest")
    s.notify("textDocument/didChange", {
        "textDocument": {"uri": uri, "version": 2},
        "contentChanges": [{"range": {"start": {"line": 7, "character": col},
                                      "end": {"line": 7, "character": col + 6}},
                            "text": "1.2.3"}]})
    text = MANIFEST.replace(":latest", ":1.2.3")
    d = s.diagnostics(uri)
    codes = [x["code"] for x in d["diagnostics"]]
    check(d["version"] == 2 and "image-tag-latest" not in codes,
          "after the change image-tag-latest is gone (version 2)")
    check(len(codes) > 0, "other findings remain")

    # A quick fix for one fixable diagnostic, applied.
    fixable = None
    for x in d["diagnostics"]:
        acts = s.request("textDocument/codeAction", {
            "textDocument": {"uri": uri}, "range": x["range"],
            "context": {"diagnostics": [x]}})["result"]
        quick = [a for a in acts if a["kind"] == "quickfix" and
                 a["title"].startswith("Fix") and a["diagnostics"][0]["code"] == x["code"]]
        if quick:
            fixable = (x, quick[0], acts)
            break
    check(fixable is not None, "some diagnostic has a quick fix")
    x, act, acts = fixable
    check(act.get("isPreferred") is True, "a safe fix is preferred")
    check(any(a["title"] == "Ignore %s here" % x["code"] for a in acts),
          "an 'ignore RULE here' action is offered")
    check(any(a["kind"] == "source.fixAll" for a in acts), "a fix-all action is offered")
    text = apply_edits(text, act["edit"]["changes"][uri])
    s.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 3},
                                        "contentChanges": [{"text": text}]})
    d = s.diagnostics(uri)
    check(x["code"] not in [y["code"] for y in d["diagnostics"]] or
          len(d["diagnostics"]) < len(codes), "the fixed diagnostic is gone")

    # Fix all, then ignore what needs a person: no diagnostics left.
    acts = s.request("textDocument/codeAction", {
        "textDocument": {"uri": uri},
        "range": {"start": {"line": 0, "character": 0}, "end": {"line": 99, "character": 0}},
        "context": {"diagnostics": []}})["result"]
    fix_all = [a for a in acts if a["kind"] == "source.fixAll"]
    check(len(fix_all) == 1, "fix all offered once")
    text = apply_edits(text, fix_all[0]["edit"]["changes"][uri])
    version = 4
    s.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                        "contentChanges": [{"text": text}]})
    d = s.diagnostics(uri)
    left = d["diagnostics"]
    while left:
        x = left[0]
        acts = s.request("textDocument/codeAction", {
            "textDocument": {"uri": uri}, "range": x["range"],
            "context": {"diagnostics": [x]}})["result"]
        ig = [a for a in acts if a["title"] == "Ignore %s here" % x["code"]]
        if not ig:
            check(False, "every finding can be ignored: %s" % x["code"])
            break
        text = apply_edits(text, ig[0]["edit"]["changes"][uri])
        version += 1
        s.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                            "contentChanges": [{"text": text}]})
        nd = s.diagnostics(uri)["diagnostics"]
        if len(nd) >= len(left):
            check(False, "ignoring %s removes it" % x["code"])
            break
        left = nd
    check(not left, "no diagnostics after fix all and ignores")
    check("# k8scheck:ignore " in text, "the ignore comment is in the text")
    # The ignore comment is indented as the line it covers.
    for i, l in enumerate(text.splitlines()):
        if "# k8scheck:ignore" in l:
            nxt = text.splitlines()[i + 1]
            ind = len(nxt) - len(nxt.lstrip())
            check(len(l) - len(l.lstrip()) == ind, "ignore comment indented: %r" % l)
            break

    # Hover on a finding: the rule's text, in Markdown.
    s.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version + 1},
                                        "contentChanges": [{"text": MANIFEST}]})
    d = s.diagnostics(uri)
    latest = [x for x in d["diagnostics"] if x["code"] == "image-tag-latest"][0]
    h = s.request("textDocument/hover", {"textDocument": {"uri": uri},
                                         "position": latest["range"]["start"]})["result"]
    check(h is not None and h["contents"]["kind"] == "markdown" and
          "image-tag-latest" in h["contents"]["value"], "hover shows the rule in Markdown")
    h = s.request("textDocument/hover", {"textDocument": {"uri": uri},
                                         "position": {"line": 0, "character": 0}})["result"]
    check(h is None, "no hover where there is no finding")

    # Close: diagnostics cleared.
    s.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    d = s.diagnostics(uri)
    check(d["diagnostics"] == [], "closing clears the diagnostics")
    rc, rest, err = s.finish()
    check(rc == 0, "exit after shutdown: status 0 (got %d)" % rc)


def session_encodings():
    """A finding after é, 日本 and an emoji on its line, in both encodings."""
    prefix = '  containers: [{name: "é日本😀", '
    text = ("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n" + prefix +
            'image: "nginx:latest"}]\n')
    for offered, enc in ((None, "utf-16"), (["utf-8", "utf-16"], "utf-8"),
                         (["utf-32"], "utf-16")):
        s = Server()
        caps = s.initialize(offered)["capabilities"]
        check(caps["positionEncoding"] == enc, "offered %r: %s" % (offered, enc))
        uri = "file:///nonexistent/enc.yaml"
        s.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "yaml", "version": 7, "text": text}})
        d = s.diagnostics(uri)
        latest = [x for x in d["diagnostics"] if x["code"] == "image-tag-latest"]
        want = units(prefix, enc)
        check(latest and latest[0]["range"]["start"] == {"line": 5, "character": want},
              "%s: image-tag-latest at 5:%d (got %r)" % (
                  enc, want, latest and latest[0]["range"]["start"]))
        # An incremental edit after the emoji, in the same encoding.
        col = units(prefix + 'image: "nginx:', enc)
        s.notify("textDocument/didChange", {
            "textDocument": {"uri": uri, "version": 8},
            "contentChanges": [{"range": {"start": {"line": 5, "character": col},
                                          "end": {"line": 5, "character": col + 6}},
                                "text": "1.25"}]})
        d = s.diagnostics(uri)
        check("image-tag-latest" not in [x["code"] for x in d["diagnostics"]],
              "%s: the edit after the emoji lands on the tag" % enc)
        rc, _, _ = s.finish()
        check(rc == 0, "%s: clean exit" % enc)


def session_malformed():
    s = Server()
    # Before initialize: a request is refused, a notification dropped.
    s.send({"jsonrpc": "2.0", "id": 1, "method": "textDocument/hover", "params": {}})
    r = s.response(1)
    check(r["error"]["code"] == -32002, "request before initialize: ServerNotInitialized")
    s.initialize()
    s.send(b"Content-Length: nope\r\n\r\n")
    r = s.recv()
    check(r["id"] is None and r["error"]["code"] == -32700, "bad header: ParseError")
    s.send(frame(b"{not json"))
    r = s.recv()
    check(r["id"] is None and r["error"]["code"] == -32700, "invalid JSON: ParseError")
    s.send(frame(b"[1, 2]"))
    r = s.recv()
    check(r["error"]["code"] == -32600, "a batch array: InvalidRequest")
    s.send({"jsonrpc": "2.0", "id": 2, "method": "no/such/method", "params": {}})
    r = s.response(2)
    check(r["error"]["code"] == -32601, "unknown method: MethodNotFound")
    s.send({"jsonrpc": "2.0", "id": 3, "method": "initialize", "params": {}})
    check(s.response(3)["error"]["code"] == -32600, "second initialize refused")
    # Notifications are never answered, known or not.
    s.send({"jsonrpc": "2.0", "method": "no/such/notification", "params": {}},
           {"jsonrpc": "2.0", "method": "textDocument/didChange",
            "params": {"textDocument": {"uri": "file:///not/open.yaml", "version": 1},
                       "contentChanges": [{"text": "x"}]}},
           {"jsonrpc": "2.0", "id": 4, "method": "shutdown"})
    r = s.recv()
    check(r.get("id") == 4 and r.get("result", 1) is None,
          "notifications get no answer (next message is the shutdown response)")
    s.send({"jsonrpc": "2.0", "id": 5, "method": "textDocument/hover", "params": {}})
    check(s.response(5)["error"]["code"] == -32600, "requests after shutdown refused")
    rc, rest, err = s.finish(shutdown=False)
    check(rc == 0, "exit after shutdown: 0")
    check(rest == b"", "nothing after exit")

    # Huge Content-Length: an error, bounded memory, and the server reads on.
    s = Server()
    s.initialize()
    big = 65 << 20
    s.send(b"Content-Length: %d\r\n\r\n" % big)
    r = s.recv()
    check(r["id"] is None and r["error"]["code"] == -32600, "oversized message refused")
    chunk = b" " * (1 << 20)
    for _ in range(big >> 20):
        s.p.stdin.write(chunk)
    s.p.stdin.flush()
    r = s.request("textDocument/hover", {"textDocument": {"uri": "file:///x"},
                                         "position": {"line": 0, "character": 0}})
    check(r.get("result", 1) is None, "after skipping it, requests are answered")
    rc, _, _ = s.finish()
    check(rc == 0, "oversized: clean exit")

    # A document that does not parse: an error diagnostic at its position.
    s = Server()
    s.initialize()
    uri = "file:///nonexistent/bad.yaml"
    s.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "yaml", "version": 1,
        "text": "kind: Pod\nspec: [\n  x: y\n"}})
    d = s.diagnostics(uri)["diagnostics"]
    check(len(d) >= 1 and d[0]["severity"] == 1 and "code" not in d[0],
          "a syntax error is an error diagnostic")
    check(d and d[0]["range"]["start"]["line"] >= 1, "... at its position: %r" % (
        d and d[0]["range"]))
    # Stale: a change with an older version does not apply.
    s.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 5},
                                        "contentChanges": [{"text": MANIFEST}]})
    d = s.diagnostics(uri)
    s.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 3},
                                        "contentChanges": [{"text": "kind: [\n"}]})
    s.notify("textDocument/didSave", {"textDocument": {"uri": uri}})
    d2 = s.diagnostics(uri)
    check(d2["version"] == 5 and d2["diagnostics"] == d["diagnostics"],
          "an older version never replaces a newer one")
    # Cancellation of a queued request.
    s.send({"jsonrpc": "2.0", "id": 77, "method": "textDocument/hover",
            "params": {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}}},
           {"jsonrpc": "2.0", "method": "$/cancelRequest", "params": {"id": 77}})
    r = s.response(77)
    check(r.get("error", {}).get("code") == -32800, "a queued request is cancelled")
    # exit without shutdown: status 1.
    s.notify("exit", None)
    s.p.stdin.close()
    check(s.p.wait(TIMEOUT) == 1, "exit without shutdown: status 1")
    # End of input without exit: status 1.
    s = Server()
    s.initialize()
    s.p.stdin.close()
    check(s.p.wait(TIMEOUT) == 1, "end of input without exit: status 1")
    check(s.p.stdout.read() == b"" or True, "")


def session_config():
    """Configuration found from the document's path; re-read when it changes."""
    with tempfile.TemporaryDirectory() as d:
        os.mkdir(os.path.join(d, ".git"))
        cfg = os.path.join(d, ".k8scheck.yaml")
        with open(cfg, "w") as f:
            f.write("disable: [image-tag-latest]\n")
        path = os.path.join(d, "pod.yaml")
        with open(path, "w") as f:
            f.write(MANIFEST)
        uri = "file://" + path.replace(" ", "%20")
        s = Server()
        s.initialize()
        s.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "yaml", "version": 1, "text": MANIFEST}})
        codes = [x["code"] for x in s.diagnostics(uri)["diagnostics"]]
        check(codes and "image-tag-latest" not in codes, ".k8scheck.yaml applies")
        with open(cfg, "w") as f:
            f.write("disable: [liveness-probe]\n")
        s.notify("workspace/didChangeWatchedFiles", {"changes": [
            {"uri": "file://" + cfg, "type": 2}]})
        codes = [x["code"] for x in s.diagnostics(uri)["diagnostics"]]
        check("image-tag-latest" in codes and "liveness-probe" not in codes,
              "a changed .k8scheck.yaml is re-read and open documents re-checked")
        with open(cfg, "w") as f:
            f.write("disable: [no-such-rule]\n")
        s.notify("workspace/didChangeConfiguration", {"settings": {}})
        ds = s.diagnostics(uri)["diagnostics"]
        check(len(ds) == 1 and ds[0]["severity"] == 1 and
              "configuration error" in ds[0]["message"],
              "a broken configuration is one error diagnostic: %r" % ds)
        rc, _, err = s.finish()
        check(rc == 0, "config: clean exit")


def session_inherited():
    """An inherited value points at its pod-level line (relatedInformation)."""
    here = os.path.dirname(os.path.abspath(__file__))
    path = os.path.join(here, "..", "golden", "inherit-pod-false", "media-encoder.yaml")
    text = open(path).read()
    s = Server()
    s.initialize()
    uri = "file:///nonexistent/inherit/media-encoder.yaml"
    s.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "yaml", "version": 1, "text": text}})
    d = [x for x in s.diagnostics(uri)["diagnostics"] if x["code"] == "run-as-non-root"]
    # Two containers inherit it (tests/golden/inherit-pod-false/expected.out).
    check(len(d) == 2, "run-as-non-root reported per container")
    rel = d[0].get("relatedInformation", []) if d else []
    # The golden says: set at pod level, line 17, column 9 (1-based).
    check(len(rel) == 1 and rel[0]["location"]["uri"] == uri and
          rel[0]["location"]["range"]["start"] == {"line": 16, "character": 8},
          "relatedInformation points at the pod's runAsNonRoot: %r" % rel)
    check(rel and "pod" in rel[0]["message"], "... with a message: %r" % (
        rel and rel[0]["message"]))
    rc, _, _ = s.finish()
    check(rc == 0, "inherited: clean exit")


def session_dockerfile():
    """A Dockerfile is checked as one: its findings, at their columns, and
    the ADD -> COPY quick fix, which clears its diagnostic."""
    text = "FROM node:20\nADD . /app\nUSER node\n"
    s = Server()
    s.initialize()
    uri = "file:///nonexistent/k8scheck-lsp-df/Dockerfile"
    s.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "dockerfile", "version": 1, "text": text}})
    d = s.diagnostics(uri)["diagnostics"]
    add = [x for x in d if x["code"] == "dockerfile-add"]
    name = [x for x in d if x["code"] == "dockerfile-user-name"]
    check(len(add) == 1 and add[0]["range"]["start"] == {"line": 1, "character": 0},
          "dockerfile-add at the ADD keyword: %r" % add)
    check(len(name) == 1 and name[0]["range"]["start"] == {"line": 2, "character": 5},
          "dockerfile-user-name at the user: %r" % name)
    acts = s.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": add[0]["range"] if add else {},
        "context": {"diagnostics": add}})["result"] if add else []
    quick = [a for a in acts if a["kind"] == "quickfix" and a["title"].startswith("Fix")]
    check(len(quick) == 1, "one quick fix for dockerfile-add: %r" % acts)
    if quick:
        fixed = apply_edits(text, quick[0]["edit"]["changes"][uri])
        check(fixed == "FROM node:20\nCOPY . /app\nUSER node\n", "ADD became COPY: %r" % fixed)
        s.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2},
                                            "contentChanges": [{"text": fixed}]})
        codes = [x["code"] for x in s.diagnostics(uri)["diagnostics"]]
        check("dockerfile-add" not in codes and "dockerfile-user-name" in codes,
              "after the fix: %r" % codes)
    rc, _, _ = s.finish()
    check(rc == 0, "dockerfile: clean exit")


def session_cli():
    p = subprocess.run([BIN, "lsp", "--no-such-option"], capture_output=True,
                       stdin=subprocess.DEVNULL)
    check(p.returncode == 3 and p.stdout == b"", "lsp: unknown option is a usage error")
    with tempfile.TemporaryDirectory() as d:
        log = os.path.join(d, "log")
        s = Server("--stdio", "--log", log)
        s.initialize()
        rc, _, err = s.finish()
        check(rc == 0 and err == "", "--log: nothing on standard error")
        check("initialize" in open(log).read(), "--log: the log is in the file")


for t in (session_full, session_encodings, session_malformed, session_config,
          session_inherited, session_dockerfile, session_cli):
    print("# " + t.__name__)
    try:
        t()
    except Exception as e:  # a hung or crashed server fails the session
        check(False, "%s: %s: %s" % (t.__name__, type(e).__name__, e))

if FAILS:
    print("%d failed" % len(FAILS))
    sys.exit(1)
