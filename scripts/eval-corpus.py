#!/usr/bin/env python3
"""Score clerk-guard against the hand-labelled real-world corpus (bench/corpus/*.json).

Usage:
  scripts/eval-corpus.py [--corpus /work/corpus] [--binary PATH] [--labels bench/corpus]
                         [--check] [--all-unlisted] [APP...]

For every label file `<labels>/<app>.json` whose checkout `<corpus>/<app>/` exists (others are
skipped and named), runs

  <binary> routes <checkout>/<scan_root> --format json
  <binary> scan   <checkout>/<scan_root> --format json --fail-on never

An entry is *flagged* when `scan` reports `unprotected-route-handler` / `unprotected-server-action`
on the entry: same file, the rule that fits the entry's kind, and the same symbol (parsed from the
finding's message: "`GET /url` ...", "`/url` (pages/api) ...", "Server action `name` ...") or,
when the message carries no symbol, the same line as the routes row (used when the routes JSON
has a `line` field).

Columns: entries (labelled), flagged (labelled entries flagged), TP (flagged `open`), pub (flagged
`public`), wrong (flagged protected/machine/inert/delegated/not-entry), FN (`open` not flagged,
including `open` entries the tool does not list at all), precision = (TP+pub)/flagged,
recall = TP/(TP+FN) (Clerk apps only), auth-findings (findings of the auth/authz/middleware groups
and client-only-auth; the
target is 0 for apps labelled `uses_clerk: false`), time (routes + scan, seconds).

The findings of every other rule are scored against `<labels>/findings/<app>.json` where one
exists (verdicts right / wrong / debatable per rule, path and line; see bench/corpus/README.md):
a per-rule table, then the wrong and debatable ones, the unlabelled ones and the stale labels.

Exit status is 0, unless --check: then 1 when total precision < 0.95, total recall < 0.97, a
non-Clerk app has auth findings, or under 0.9 of the labelled other findings are right or
debatable.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NEXT_KINDS = {"route-handler", "pages-api", "server-action"}
# Other frameworks' entries (issue 16): their labels carry the entry's `url` too (a file may
# register several routes of one method), except server functions, which have none.
FRAMEWORK_KINDS = {
    "Express": ("express-route",),
    "Fastify": ("fastify-route",),
    "Hono": ("hono-route",),
    "Convex": ("convex-function",),
    "Convex HTTP action": ("convex-http-action",),
    "React Router": ("loader", "action"),
    "Remix": ("loader", "action"),
    "Astro": ("astro-page", "astro-endpoint"),
    "Nuxt": ("nuxt-handler",),
    "TanStack Start": ("server-route",),
    "TanStack Start server function": ("server-fn",),
}
KINDS = NEXT_KINDS | {k for ks in FRAMEWORK_KINDS.values() for k in ks}
LABELS = {"protected", "machine", "inert", "delegated", "public", "open", "not-entry"}
WRONG = {"protected", "machine", "inert", "delegated", "not-entry"}
AUTH_GROUPS = {"auth", "authz", "middleware"}
# Boundary rules that judge authentication (the rest of the boundary group, e.g.
# `server-only-in-client`, holds for any Next.js app).
AUTH_RULES = {"client-only-auth"}
RULE_KIND = {
    "unprotected-route-handler": ("route-handler", "pages-api")
    + tuple(k for ks in FRAMEWORK_KINDS.values() for k in ks),
    "unprotected-server-action": ("server-action",),
}


def run_json(cmd):
    p = subprocess.run(cmd, capture_output=True, text=True)
    try:
        return json.loads(p.stdout)
    except json.JSONDecodeError:
        sys.stderr.write(f"could not parse JSON from {' '.join(cmd)} (exit {p.returncode}):\n"
                         f"{p.stderr[-2000:]}\n")
        return None


def rule_groups(binary):
    rules = run_json([binary, "rules", "--format", "json"]) or []
    return {r["id"]: r.get("group", "") for r in rules}


def parse_finding(f):
    """(kind candidates, symbol or None, url or None) of an unprotected-* finding."""
    msg = f.get("message", "")
    if f["rule"] == "unprotected-server-action":
        m = re.match(r"Server action `([^`]+)`", msg)
        return ("server-action",), (m.group(1) if m else None), None
    m = re.match(r"The Convex function `([^`]+)`", msg)
    if m:
        name = m.group(1)
        return ("convex-function",), (name.split(":")[-1] if ":" in name else "default"), name
    m = re.match(r"`([^` ]+) ([^`]*)` \(([^)]*)\)", msg)
    if m and m.group(3) in FRAMEWORK_KINDS:
        return FRAMEWORK_KINDS[m.group(3)], m.group(1), m.group(2)
    m = re.match(r"`([A-Z]+) [^`]*`", msg)
    if m:
        return ("route-handler",), m.group(1), None
    if re.match(r"`[^`]*` \(pages/api\)", msg):
        return ("pages-api",), "default", None
    return RULE_KIND[f["rule"]], None, None


def norm_sym(kind, sym):
    return "default" if kind == "pages-api" else sym


def entry_key(e):
    """The key of a label or a `routes` row: Next.js entries by (file, kind, symbol); other
    frameworks' by their URL too."""
    url = None if e["kind"] in NEXT_KINDS else e.get("url")
    return (e["file"], e["kind"], norm_sym(e["kind"], e["symbol"]), url)


def load_labels(path):
    data = json.load(open(path))
    problems = []
    seen = set()
    for e in data.get("entries", []):
        if e.get("kind") not in KINDS:
            problems.append(f"bad kind {e.get('kind')!r} for {e.get('file')}")
        if e.get("label") not in LABELS:
            problems.append(f"bad label {e.get('label')!r} for {e.get('file')} {e.get('symbol')}")
        key = entry_key(e)
        if key in seen:
            problems.append(f"duplicate entry {key}")
        seen.add(key)
    return data, problems


def fmt_ratio(num, den):
    return f"{num / den:.3f}" if den else "-"


VERDICTS = {"right", "wrong", "debatable"}
# --check: the share of labelled findings of the other rules judged right or debatable.
OTHER_MIN = 0.9


def load_finding_labels(path):
    """`findings/<app>.json`: verdicts on the app's findings of every rule other than the two
    entry rules, keyed by (rule, path, line), and the folder they were judged over when it is not
    the entries' `scan_root` (None, None when the app has no such file)."""
    if not os.path.isfile(path):
        return None, None
    with open(path) as fh:
        data = json.load(fh)
    out = {}
    for f in data.get("findings", []):
        if f.get("verdict") not in VERDICTS:
            print(f"warning: {path}: verdict {f.get('verdict')!r} of {f.get('rule')} "
                  f"{f.get('path')}:{f.get('line')} is not one of {sorted(VERDICTS)}", file=sys.stderr)
            continue
        out[(f["rule"], f["path"], f["line"])] = f
    out[None] = data.get("missed", [])
    return out, data.get("scan_root")


def score_other_findings(others):
    """Per-rule table of the other rules' findings against their labels; returns the share of
    labelled findings judged right or debatable (1.0 when none is labelled)."""
    per_rule = {}
    wrong, unlabelled, stale, missed = [], [], [], []
    labelled_apps = 0
    for app, findings, labels in others:
        if labels is None:
            continue
        labelled_apps += 1
        seen = set()
        for f in findings:
            key = (f["rule"], f["path"], f.get("line"))
            r = per_rule.setdefault(f["rule"], dict.fromkeys(["reported", "right", "debatable", "wrong", "unlabelled"], 0))
            r["reported"] += 1
            lab = labels.get(key)
            if lab is None:
                r["unlabelled"] += 1
                unlabelled.append((app, f["rule"], f["path"], f.get("line"), f["message"]))
                continue
            seen.add(key)
            r[lab["verdict"]] += 1
            if lab["verdict"] != "right":
                wrong.append((app, lab["verdict"], f["rule"], f["path"], f.get("line"), lab.get("why", "")))
        for key in labels:
            if key is not None and key not in seen:
                stale.append((app,) + key + (labels[key]["verdict"],))
        missed.extend((app, m.get("rule"), m.get("path"), m.get("line"), m.get("why", "")) for m in labels[None])

    print(f"\n# other rules' findings ({labelled_apps} apps with findings/<app>.json)")
    hdr = f"{'rule':42} {'reported':>8} {'right':>5} {'debat':>5} {'wrong':>5} {'unlab':>5}"
    print(hdr)
    print("-" * len(hdr))
    tot = dict.fromkeys(["reported", "right", "debatable", "wrong", "unlabelled"], 0)
    for rule in sorted(per_rule):
        r = per_rule[rule]
        for k in tot:
            tot[k] += r[k]
        print(f"{rule:42} {r['reported']:>8} {r['right']:>5} {r['debatable']:>5} {r['wrong']:>5} {r['unlabelled']:>5}")
    print("-" * len(hdr))
    print(f"{'TOTAL':42} {tot['reported']:>8} {tot['right']:>5} {tot['debatable']:>5} {tot['wrong']:>5} {tot['unlabelled']:>5}")
    judged = tot["right"] + tot["debatable"] + tot["wrong"]
    share = (tot["right"] + tot["debatable"]) / judged if judged else 1.0
    print(f"right {fmt_ratio(tot['right'], judged)}, right or debatable {share:.3f} of {judged} labelled")
    for title, items in (("wrong and debatable", wrong), ("reported but not labelled (label these)", unlabelled),
                         ("labelled but no longer reported", stale), ("missed (labelled, not reported)", missed)):
        print(f"\n## {title} ({len(items)})")
        for it in items:
            print("- " + " | ".join(str(x)[:200] for x in it))
    return share


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", default="/work/corpus", help="folder holding one checkout per app")
    ap.add_argument("--binary", default=os.path.join(REPO, "target/release/clerk-guard"))
    ap.add_argument("--labels", default=os.path.join(REPO, "bench/corpus"))
    ap.add_argument("--check", action="store_true",
                    help="exit 1 when precision < 0.95, recall < 0.97 or a non-Clerk app has auth findings")
    ap.add_argument("--all-unlisted", action="store_true",
                    help="also list every entry the tool lists that has no label")
    ap.add_argument("apps", nargs="*")
    args = ap.parse_args()

    groups = rule_groups(args.binary)
    label_files = sorted(f for f in os.listdir(args.labels) if f.endswith(".json"))
    cols = ["entries", "flagged", "TP", "pub", "wrong", "FN"]
    total = dict.fromkeys(cols + ["auth"], 0)
    total_time = 0.0
    wrong_list, fn_list, unlabelled_flagged, unlisted, unlabelled_listed, skipped = [], [], [], [], [], []
    non_clerk_with_auth = []
    rows = []
    others = []  # (app, findings of the other rules, their labels or None)

    for lf in label_files:
        data, problems = load_labels(os.path.join(args.labels, lf))
        app = data.get("app") or lf[:-5]
        if args.apps and app not in args.apps and lf[:-5] not in args.apps:
            continue
        for p in problems:
            print(f"warning: {lf}: {p}", file=sys.stderr)
        checkout = os.path.join(args.corpus, app)
        if not os.path.isdir(checkout):
            skipped.append(f"{app} (no checkout at {checkout}; see bench/corpus/checkout.sh)")
            continue
        root = os.path.join(checkout, data.get("scan_root", "")) if data.get("scan_root") else checkout

        t0 = time.time()
        routes = run_json([args.binary, "routes", root, "--format", "json"])
        scan = run_json([args.binary, "scan", root, "--format", "json", "--fail-on", "never"])
        elapsed = time.time() - t0
        total_time += elapsed
        if routes is None or scan is None:
            skipped.append(f"{app} (clerk-guard output not parseable)")
            continue

        listed = {}
        for r in routes.get("routes", []):
            if r.get("kind") not in KINDS:
                continue
            listed[entry_key(r)] = r

        findings = scan.get("findings", [])
        unprot = [f for f in findings if f["rule"] in RULE_KIND]
        auth_findings = [f for f in findings
                         if groups.get(f["rule"], "") in AUTH_GROUPS or f["rule"] in AUTH_RULES]
        clerk_app = data.get("uses_clerk", True)

        def match(key, row):
            file, kind, sym, url = key
            line = row.get("line") if row else None
            for f in unprot:
                if f.get("path") != file:
                    continue
                kinds, fsym, furl = parse_finding(f)
                if kind not in kinds or (url is not None and furl != url):
                    continue
                if fsym is not None and fsym == sym:
                    return f
                if fsym is None and line is not None and f.get("line") == line:
                    return f
            return None

        c = dict.fromkeys(cols, 0)
        matched_findings = set()
        labelled_keys = set()
        for e in data.get("entries", []):
            key = entry_key(e)
            labelled_keys.add(key)
            c["entries"] += 1
            row = listed.get(key)
            f = match(key, row)
            lab = e["label"]
            info = (app, e["file"], e["kind"], e["symbol"], lab, e.get("why", ""))
            if f is not None:
                matched_findings.add(id(f))
                c["flagged"] += 1
                if lab == "open":
                    c["TP"] += 1
                elif lab == "public":
                    c["pub"] += 1
                else:
                    c["wrong"] += 1
                    wrong_list.append(info + (f["message"],))
            elif lab == "open" and clerk_app:
                # An app without Clerk is out of scope for the auth rules: its open entries
                # are not misses (the target there is no auth finding at all).
                c["FN"] += 1
                tool = (f"{row.get('protection')}: {row.get('detail')}" if row
                        else "not listed by `routes`")
                fn_list.append(info + (tool,))
            if row is None:
                unlisted.append(info)
        for f in unprot:
            if id(f) in matched_findings:
                continue
            kinds, fsym, _ = parse_finding(f)
            unlabelled_flagged.append((app, f["path"], "/".join(kinds), fsym or f"line {f.get('line')}",
                                       f["message"]))
        for key in listed:
            if key not in labelled_keys:
                unlabelled_listed.append((app,) + key)

        flabels, froot = load_finding_labels(os.path.join(args.labels, "findings", app + ".json"))
        ofindings = findings
        if flabels is not None and froot is not None and froot != data.get("scan_root", ""):
            # Judged over another folder of the checkout (usually the whole repository).
            other = run_json([args.binary, "scan", os.path.join(checkout, froot) if froot else checkout,
                              "--format", "json", "--fail-on", "never"])
            ofindings = other.get("findings", []) if other else []
        others.append((app, [f for f in ofindings if f["rule"] not in RULE_KIND], flabels))

        n_auth = len(auth_findings)
        if not data.get("uses_clerk", True) and n_auth:
            non_clerk_with_auth.append(app)
        for k in cols:
            total[k] += c[k]
        total["auth"] += n_auth
        rows.append((app, c, n_auth, elapsed))

    hdr = (f"{'app':22} {'entries':>7} {'flagged':>7} {'TP':>4} {'pub':>4} {'wrong':>5} {'FN':>4} "
           f"{'prec':>6} {'recall':>6} {'auth-findings':>13} {'time':>6}")
    print(hdr)
    print("-" * len(hdr))

    def line(name, c, n_auth, t):
        prec = fmt_ratio(c["TP"] + c["pub"], c["flagged"])
        rec = fmt_ratio(c["TP"], c["TP"] + c["FN"])
        print(f"{name:22} {c['entries']:>7} {c['flagged']:>7} {c['TP']:>4} {c['pub']:>4} {c['wrong']:>5} "
              f"{c['FN']:>4} {prec:>6} {rec:>6} {n_auth:>13} {t:>5.1f}s")

    for app, c, n_auth, t in rows:
        line(app, c, n_auth, t)
    print("-" * len(hdr))
    line("TOTAL", total, total["auth"], total_time)

    for s in skipped:
        print(f"skipped: {s}")

    def section(title, items, fmt):
        print(f"\n## {title} ({len(items)})")
        for it in items:
            print(fmt(it))

    section("wrong verdicts (flagged, but the label says it is not open)", wrong_list,
            lambda i: f"- {i[0]}: {i[1]} [{i[2]} {i[3]}] label={i[4]}: {i[5]}\n    tool: {i[6]}")
    section("false negatives (labelled open, not flagged)", fn_list,
            lambda i: f"- {i[0]}: {i[1]} [{i[2]} {i[3]}]: {i[5]}\n    tool: {i[6]}")
    section("flagged but not labelled (label these)", unlabelled_flagged,
            lambda i: f"- {i[0]}: {i[1]} [{i[2]} {i[3]}]: {i[4][:160]}")
    section("labelled but not listed by `routes`", unlisted,
            lambda i: f"- {i[0]}: {i[1]} [{i[2]} {i[3]}] label={i[4]}")
    if args.all_unlisted or unlabelled_listed:
        section("listed by `routes` but not labelled", unlabelled_listed,
                lambda i: f"- {i[0]}: {i[1]} [{i[2]} {i[3]}]")
    if non_clerk_with_auth:
        print(f"\nnon-Clerk apps with auth findings: {', '.join(non_clerk_with_auth)}")

    other_prec = score_other_findings(others)

    if args.check:
        prec = (total["TP"] + total["pub"]) / total["flagged"] if total["flagged"] else 1.0
        rec = total["TP"] / (total["TP"] + total["FN"]) if (total["TP"] + total["FN"]) else 1.0
        if prec < 0.95 or rec < 0.97 or non_clerk_with_auth or other_prec < OTHER_MIN:
            print(f"\ncheck failed: precision {prec:.3f} (min 0.95), recall {rec:.3f} (min 0.97)"
                  + f", other findings right-or-debatable {other_prec:.3f} (min {OTHER_MIN})"
                  + (f", auth findings in non-Clerk apps: {', '.join(non_clerk_with_auth)}"
                     if non_clerk_with_auth else ""))
            return 1
        print("\ncheck passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
