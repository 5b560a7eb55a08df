#!/usr/bin/env python3
"""Compare `clerk-guard routes --format json` with hand-made labels of real apps.

Usage: scripts/eval-corpus.py CORPUS_DIR [BINARY]

CORPUS_DIR holds one checkout per app (`CORPUS_DIR/<name>/`) and `CORPUS_DIR/labels/<name>.json`
with the hand labels: `{"entries": [{"file", "kind", "symbol", "protected",
"intentionally_public"?}]}`. Prints, per app, how the analyzer's verdicts compare: reported
entries that are really open (true positives), reported entries that are protected (false
positives), open entries it missed, and the precision and recall of its reports.
"""
import json
import os
import subprocess
import sys
import time


def main():
    corpus = sys.argv[1]
    binary = sys.argv[2] if len(sys.argv) > 2 else "target/release/clerk-guard"
    totals = dict(tp=0, public=0, fp=0, fn=0, tn=0, unmatched=0)
    print(f"{'app':24} {'entries':>7} {'reported':>8} {'TP':>4} {'pub':>4} {'FP':>4} {'FN':>4} {'prec':>6} {'recall':>6} {'time':>7}")
    details = []
    for name in sorted(os.listdir(os.path.join(corpus, "labels"))):
        if not name.endswith(".json"):
            continue
        app = name[:-5]
        labels = json.load(open(os.path.join(corpus, "labels", name)))
        root = os.path.join(corpus, app)
        start = time.time()
        out = subprocess.run([binary, "routes", root, "--format", "json"], capture_output=True, text=True)
        elapsed = time.time() - start
        routes = json.loads(out.stdout)["routes"]
        ours = {}
        for r in routes:
            if r["kind"] == "page":
                continue
            key = (r["file"], r["kind"], r["symbol"] if r["kind"] != "pages-api" else "default")
            ours[key] = r
        c = dict(tp=0, public=0, fp=0, fn=0, tn=0, unmatched=0)
        for e in labels["entries"]:
            sym = e["symbol"] if e["kind"] != "pages-api" else "default"
            key = (e["file"], e["kind"], sym)
            r = ours.get(key)
            if r is None:
                c["unmatched"] += 1
                details.append(f"{app}: not found by clerk-guard: {key}")
                continue
            reported = not r["protected"]
            open_ = not e["protected"]
            if reported and open_:
                c["public" if e.get("intentionally_public") else "tp"] += 1
            elif reported and not open_:
                c["fp"] += 1
                details.append(f"{app}: FP {key}: ours={r['detail'][:120]!r} label={e.get('why', '')[:160]!r}")
            elif not reported and open_ and not e.get("intentionally_public"):
                c["fn"] += 1
                details.append(f"{app}: FN {key}: ours={r['protection']} {r['detail'][:100]!r} label={e.get('why', '')[:160]!r}")
            else:
                c["tn"] += 1
        reported = c["tp"] + c["public"] + c["fp"]
        prec = (c["tp"] + c["public"]) / reported if reported else 1.0
        recall = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0
        print(f"{app:24} {len(labels['entries']):>7} {reported:>8} {c['tp']:>4} {c['public']:>4} {c['fp']:>4} {c['fn']:>4} {prec:>6.2f} {recall:>6.2f} {elapsed:>6.2f}s")
        for k in totals:
            totals[k] += c[k]
    reported = totals["tp"] + totals["public"] + totals["fp"]
    prec = (totals["tp"] + totals["public"]) / reported if reported else 1.0
    recall = totals["tp"] / (totals["tp"] + totals["fn"]) if totals["tp"] + totals["fn"] else 1.0
    print(f"{'total':24} {'':>7} {reported:>8} {totals['tp']:>4} {totals['public']:>4} {totals['fp']:>4} {totals['fn']:>4} {prec:>6.2f} {recall:>6.2f}   (unmatched {totals['unmatched']})")
    print("\nTP: open entries reported; pub: intentionally public entries reported (open, by design);")
    print("FP: protected entries reported; FN: open (not public) entries missed.\n")
    for d in details:
        print(d)


if __name__ == "__main__":
    main()
