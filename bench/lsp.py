#!/usr/bin/env python3
"""Time the editor case of issue 12: after a save, how long until every *other* open
document's diagnostics are published again.

The script speaks LSP over stdio to `clerk-guard lsp`: it opens --docs route files of the
tree, waits for the first model build, then saves one of them (an edit that adds a comment
line, then one that takes it away, alternately) --saves times and measures, for each save,
the time from sending the edit (`didChange`, then `didSave`) until a `publishDiagnostics` of
every other open document arrived. It prints the median and the spread, and `--json` prints them as JSON.

    python3 bench/lsp.py --binary target/release/clerk-guard --tree /tmp/bench20k
"""

import argparse
import json
import os
import queue
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path


def frame(msg):
    body = json.dumps(msg).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def reader(stream, out):
    """Push every message the server sends, with the time it arrived."""
    while True:
        headers = {}
        while True:
            line = stream.readline()
            if not line:
                out.put((time.monotonic(), None))
                return
            line = line.strip()
            if not line:
                break
            k, _, v = line.decode().partition(":")
            headers[k.strip().lower()] = v.strip()
        n = int(headers.get("content-length", "0"))
        body = stream.read(n)
        out.put((time.monotonic(), json.loads(body)))


def route_files(tree, n):
    found = []
    for dirpath, dirnames, filenames in os.walk(tree):
        dirnames[:] = sorted(d for d in dirnames if d not in ("node_modules", ".git", ".next"))
        if "route.ts" in filenames and "/app/" in dirpath + "/":
            found.append(Path(dirpath) / "route.ts")
            if len(found) == n:
                break
    return found


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--binary", default="target/release/clerk-guard")
    ap.add_argument("--tree", required=True)
    ap.add_argument("--docs", type=int, default=5)
    ap.add_argument("--saves", type=int, default=10)
    ap.add_argument("--timeout", type=float, default=120.0)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

    tree = Path(args.tree).resolve()
    docs = route_files(tree, args.docs)
    if len(docs) < 2:
        sys.exit(f"{tree}: fewer than 2 route files to open")
    proc = subprocess.Popen(
        [args.binary, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    )
    inbox = queue.Queue()
    threading.Thread(target=reader, args=(proc.stdout, inbox), daemon=True).start()
    next_id = [0]

    def send(msg):
        proc.stdin.write(frame(msg))
        proc.stdin.flush()

    def request(method, params):
        next_id[0] += 1
        send({"jsonrpc": "2.0", "id": next_id[0], "method": method, "params": params})
        return next_id[0]

    def notify(method, params):
        send({"jsonrpc": "2.0", "method": method, "params": params})

    def wait(pred, what):
        deadline = time.monotonic() + args.timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                sys.exit(f"timed out waiting for {what}")
            try:
                at, msg = inbox.get(timeout=left)
            except queue.Empty:
                continue
            if msg is None:
                sys.exit(f"the server exited while waiting for {what}")
            if pred(msg):
                return at, msg

    uri = lambda p: p.as_uri()
    t_start = time.monotonic()
    rid = request("initialize", {"processId": os.getpid(), "rootUri": uri(tree), "capabilities": {}})
    wait(lambda m: m.get("id") == rid, "initialize")
    notify("initialized", {})
    texts = {}
    for i, p in enumerate(docs):
        texts[p] = p.read_text()
        notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": uri(p), "languageId": "typescript", "version": 1, "text": texts[p]}},
        )
    at, _ = wait(
        lambda m: m.get("method") == "window/logMessage" and "model built" in m["params"]["message"],
        "the first model build",
    )
    first_build = at - t_start
    # Let the publications of the first build arrive.
    time.sleep(0.5)
    while not inbox.empty():
        inbox.get()

    saved = docs[0]
    others = {uri(p) for p in docs[1:]}
    times = []
    version = 1
    original = texts[saved]
    try:
        for k in range(args.saves):
            version += 1
            text = original + ("// edited\n" if k % 2 == 0 else "")
            saved.write_text(text)
            # Timed from the edit: the model's update from the buffer and the publications.
            t0 = time.monotonic()
            notify(
                "textDocument/didChange",
                {"textDocument": {"uri": uri(saved), "version": version}, "contentChanges": [{"text": text}]},
            )
            notify("textDocument/didSave", {"textDocument": {"uri": uri(saved)}, "text": text})
            pending = set(others)
            last = t0
            while pending:
                at, msg = wait(lambda m: m.get("method") == "textDocument/publishDiagnostics", "diagnostics")
                if at < t0:
                    continue
                pending.discard(msg["params"]["uri"])
                last = at
            times.append(last - t0)
            # The rebuild from disk that follows a save: its publications must not count for
            # the next save.
            wait(
                lambda m: m.get("method") == "window/logMessage" and "model built" in m["params"]["message"],
                "the rebuild after the save",
            )
            time.sleep(0.2)
            while not inbox.empty():
                inbox.get()
    finally:
        saved.write_text(original)
        rid = request("shutdown", None)
        try:
            wait(lambda m: m.get("id") == rid, "shutdown")
            notify("exit", None)
        except SystemExit:
            pass
        proc.wait(timeout=10)

    figures = {
        "tree": str(tree),
        "docs": len(docs),
        "first_build_s": round(first_build, 3),
        "refresh_ms": {
            "median": round(statistics.median(times) * 1000, 1),
            "min": round(min(times) * 1000, 1),
            "max": round(max(times) * 1000, 1),
            "runs": len(times),
        },
    }
    if args.json:
        print(json.dumps(figures))
    else:
        r = figures["refresh_ms"]
        print(f"first model build: {first_build:.2f} s ({len(docs)} documents open)")
        print(
            f"save -> other open documents refreshed: median {r['median']} ms "
            f"(min {r['min']}, max {r['max']}, {r['runs']} saves)   target <= 50 ms: "
            + ("met" if r["median"] <= 50 else "NOT met")
        )


if __name__ == "__main__":
    main()
