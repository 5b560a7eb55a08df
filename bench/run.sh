#!/usr/bin/env bash
# bench/run.sh: time `clerk-guard scan` against ripgrep and plain `cat` on the
# same synthetic Next.js + Clerk monorepo (bench/gen_monorepo.py).
#
#   bash bench/run.sh [--files N] [--runs R] [--warmup W] [--json]
#                     [--baselines-only] [--keep-corpus] [--no-build]
#
# This is a measurement, not a test: it exits non-zero only when the script
# itself cannot do its job (build failure, missing binary, broken CLI
# contract, tool install failure), never because a figure misses a target.
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH_DIR/.." && pwd)"
GEN="$BENCH_DIR/gen_monorepo.py"
KEY_RE='sk_(live|test)_[A-Za-z0-9]{32,}'

FILES=20000
RUNS=10
WARMUP=2
JSON=0
BASELINES_ONLY=0
KEEP=0
NO_BUILD=0
TREE=""
OXLINT=1

usage() {
  cat <<'EOF'
usage: bash bench/run.sh [options]

  --files N          JS/TS files in the generated corpus (default 20000, min 100)
  --runs R           timed runs per command (default 10)
  --warmup W         untimed warm-up runs per command (default 2)
  --json             print the figures as JSON on stdout (the report goes to stderr)
  --baselines-only   time rg and cat only; do not build or run clerk-guard
  --keep-corpus      generate into bench/.corpus (kept and reused by later runs)
  --no-build         skip `cargo build --release`, use the existing binary
  --tree DIR         time on DIR (any checkout, e.g. real apps side by side in one git
                     repo) instead of the generated corpus
  --no-oxlint        do not time oxlint (default: oxlint from PATH, else installed with
                     npm into bench/.tools)
  -h, --help         this help

environment: CARGO_TARGET_DIR (where the release binary is looked for),
TMPDIR (where a temporary corpus goes), BENCH_NO_HYPERFINE=1 (force the
built-in timing loop even when hyperfine is installed)
EOF
}

log() { echo "[bench] $*" >&2; }
die() { echo "[bench] error: $*" >&2; exit 2; }

need_arg() { [[ $# -ge 2 && -n "$2" ]] || die "$1 needs a value"; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --files) need_arg "$@"; FILES=$2; shift 2 ;;
    --files=*) FILES=${1#*=}; shift ;;
    --runs) need_arg "$@"; RUNS=$2; shift 2 ;;
    --runs=*) RUNS=${1#*=}; shift ;;
    --warmup) need_arg "$@"; WARMUP=$2; shift 2 ;;
    --warmup=*) WARMUP=${1#*=}; shift ;;
    --json) JSON=1; shift ;;
    --baselines-only) BASELINES_ONLY=1; shift ;;
    --keep-corpus) KEEP=1; shift ;;
    --no-build) NO_BUILD=1; shift ;;
    --tree) need_arg "$@"; TREE=$2; shift 2 ;;
    --tree=*) TREE=${1#*=}; shift ;;
    --no-oxlint) OXLINT=0; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done
[[ "$FILES" =~ ^[0-9]+$ && "$FILES" -ge 100 ]] || die "--files must be an integer >= 100"
[[ "$RUNS" =~ ^[0-9]+$ && "$RUNS" -ge 1 ]] || die "--runs must be an integer >= 1"
[[ "$WARMUP" =~ ^[0-9]+$ ]] || die "--warmup must be an integer >= 0"

command -v python3 >/dev/null || die "python3 is required (corpus generator and report)"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/clerk-guard-bench.XXXXXX")"
cleanup() { rm -rf "$WORK"; }
trap cleanup EXIT

# ---------------------------------------------------------------- tools
APT_UPDATED=0
SUDO=""
if [[ "$(id -u)" != 0 ]] && command -v sudo >/dev/null; then SUDO="sudo"; fi
apt_install() {
  command -v apt-get >/dev/null || return 1
  if [[ $APT_UPDATED == 0 ]]; then
    log "apt-get update"
    $SUDO apt-get update -qq >&2 || true
    APT_UPDATED=1
  fi
  log "apt-get install -y $*"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >&2
}

if ! command -v rg >/dev/null; then
  apt_install ripgrep || true
  if ! command -v rg >/dev/null; then
    command -v cargo >/dev/null || die "rg missing and neither apt-get nor cargo could install it"
    log "cargo install ripgrep"
    cargo install ripgrep --locked >&2 || die "could not install ripgrep"
    export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
  fi
fi
command -v rg >/dev/null || die "rg still not on PATH after installing it"

HAVE_HYPERFINE=0
if [[ "${BENCH_NO_HYPERFINE:-0}" == 1 ]]; then
  log "BENCH_NO_HYPERFINE=1: using the built-in timing loop"
else
  if ! command -v hyperfine >/dev/null; then
    apt_install hyperfine || log "hyperfine unavailable: using the built-in timing loop"
  fi
  command -v hyperfine >/dev/null && HAVE_HYPERFINE=1
fi

# oxlint (default rules) as the linter baseline: a cold run of a fast Rust JS linter.
OXLINT_BIN=""
if [[ $OXLINT == 1 ]]; then
  if command -v oxlint >/dev/null; then
    OXLINT_BIN="$(command -v oxlint)"
  elif [[ -x "$BENCH_DIR/.tools/node_modules/.bin/oxlint" ]]; then
    OXLINT_BIN="$BENCH_DIR/.tools/node_modules/.bin/oxlint"
  elif command -v npm >/dev/null; then
    log "npm install oxlint (into bench/.tools)"
    if npm install --silent --no-audit --no-fund --prefix "$BENCH_DIR/.tools" oxlint >&2; then
      OXLINT_BIN="$BENCH_DIR/.tools/node_modules/.bin/oxlint"
    fi
  fi
  [[ -n "$OXLINT_BIN" ]] || log "oxlint unavailable: its baseline is skipped"
fi

TIME_BIN=/usr/bin/time
if [[ ! -x $TIME_BIN ]]; then
  apt_install time || true
fi
[[ -x $TIME_BIN ]] || { log "/usr/bin/time unavailable: peak RSS will not be measured"; TIME_BIN=""; }

# ---------------------------------------------------------------- build
BIN=""
if [[ $BASELINES_ONLY == 0 ]]; then
  TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
  BIN="$TARGET_DIR/release/clerk-guard"
  if [[ $NO_BUILD == 0 ]]; then
    command -v cargo >/dev/null || die "cargo not found (needed to build clerk-guard)"
    log "cargo build --release (in $ROOT)"
    (cd "$ROOT" && cargo build --release >&2) || die "cargo build --release failed"
  fi
  [[ -x "$BIN" ]] || die "clerk-guard binary not found at $BIN.
  The analyzer has not been built yet. Build it with 'cargo build --release',
  or time the baselines alone with: bash bench/run.sh --baselines-only"
fi

# ---------------------------------------------------------------- corpus
if [[ -n "$TREE" ]]; then
  [[ -d "$TREE" ]] || die "--tree $TREE is not a directory"
  CORPUS="$(cd "$TREE" && pwd)"
  SUMMARY=""
  CORPUS_ORIGIN="given tree (--tree)"
  log "timing on $CORPUS"
else
GEN_HASH="$(sha256sum "$GEN" | cut -c1-64)"
STAMP_WANT="files=$FILES gen_sha256=$GEN_HASH"
KEPT="$BENCH_DIR/.corpus"
KEPT_STAMP="$BENCH_DIR/.corpus.stamp"
KEPT_SUMMARY="$BENCH_DIR/.corpus.summary.json"
if [[ -d "$KEPT" && -f "$KEPT_STAMP" && -f "$KEPT_SUMMARY" && "$(cat "$KEPT_STAMP")" == "$STAMP_WANT" ]]; then
  CORPUS="$KEPT"
  SUMMARY="$KEPT_SUMMARY"
  CORPUS_ORIGIN="reused bench/.corpus"
  log "reusing $CORPUS ($STAMP_WANT)"
elif [[ $KEEP == 1 ]]; then
  CORPUS="$KEPT"
  SUMMARY="$KEPT_SUMMARY"
  CORPUS_ORIGIN="generated into bench/.corpus"
  rm -rf "$KEPT" "$KEPT_STAMP" "$KEPT_SUMMARY"
  log "generating $FILES-file corpus into $CORPUS"
  python3 "$GEN" "$CORPUS" --files "$FILES" --summary-json "$SUMMARY" >&2 || die "corpus generation failed"
  echo "$STAMP_WANT" > "$KEPT_STAMP"
else
  if [[ -d "$KEPT" ]]; then
    log "bench/.corpus does not match ($STAMP_WANT); generating a temporary corpus (--keep-corpus refreshes it)"
  fi
  CORPUS="$WORK/corpus"
  SUMMARY="$WORK/corpus.summary.json"
  CORPUS_ORIGIN="generated into a temporary directory"
  log "generating $FILES-file corpus into $CORPUS"
  python3 "$GEN" "$CORPUS" --files "$FILES" --summary-json "$SUMMARY" >&2 || die "corpus generation failed"
fi
fi

# ---------------------------------------------------------------- commands
Q_CORPUS=$(printf %q "$CORPUS")
# rg honours .gitignore (the corpus is marked as a git checkout) like the
# analyzer; --hidden so that .env files are searched too; .git is skipped.
CMD_RG="rg --hidden --glob '!.git' -e '$KEY_RE' $Q_CORPUS"
CMD_RGUU="rg -uu --glob '!.git' -e '$KEY_RE' $Q_CORPUS"
CMD_CAT="find $Q_CORPUS -type f -not -path '*/node_modules/*' -not -path '*/.next/*' -not -path '*/.git/*' -print0 | xargs -0 cat"
CMD_OXLINT=""
if [[ -n "$OXLINT_BIN" ]]; then
  CMD_OXLINT="$(printf %q "$OXLINT_BIN") $Q_CORPUS"
fi
CMD_GUARD=""
CMD_GUARD_FILE=""
if [[ -n "$BIN" ]]; then
  # Cold: no facts cache. Warm: the facts cache in the bench's work directory (filled by the
  # warm-up runs), as a developer's second scan finds it.
  CMD_GUARD="$(printf %q "$BIN") scan $Q_CORPUS --format json --fail-on never -q --no-cache"
  CACHE_ENV="CLERK_GUARD_CACHE_DIR=$(printf %q "$WORK/cache")"
  CMD_GUARD_WARM="$CACHE_ENV $(printf %q "$BIN") scan $Q_CORPUS --format json --fail-on never -q"
  # The byte-level rules alone (the secret-key rules): no parsing, no route model.
  CMD_GUARD_SECRETS="$(printf %q "$BIN") scan $Q_CORPUS --select secrets --format json --fail-on never -q --no-cache"
  # One file, as the pre-commit hook and an editor ask: the first route handler in the tree.
  ONE_FILE="$( { rg --files --glob '**/app/**/route.ts' "$CORPUS" 2>/dev/null || true; } | sort | sed -n 1p)"
  if [[ -n "$ONE_FILE" ]]; then
    CMD_GUARD_FILE="$CACHE_ENV $(printf %q "$BIN") scan $(printf %q "$ONE_FILE") --format json --fail-on never -q"
  fi
fi

# ------------------------------------------------- CLI contract check (once)
FINDINGS_JSON="null"
if [[ -n "$CMD_GUARD" ]]; then
  log "checking the CLI contract: clerk-guard scan <corpus> --format json --fail-on never -q"
  set +e
  "$BIN" scan "$CORPUS" --format json --fail-on never -q > "$WORK/guard.json" 2> "$WORK/guard.err"
  rc=$?
  set -e
  if [[ $rc != 0 ]]; then
    head -c 2000 "$WORK/guard.err" >&2 || true
    die "clerk-guard scan exited with status $rc (expected 0 with --fail-on never); see stderr above"
  fi
  FINDINGS_JSON=$(python3 - "$WORK/guard.json" <<'PY'
import json, sys
try:
    d = json.load(open(sys.argv[1]))
    f = d["summary"]["findings"]
    n = len(f) if isinstance(f, list) else int(f)
except Exception as e:  # noqa: BLE001
    sys.stderr.write(f"cannot read summary.findings from the JSON output: {type(e).__name__}: {e}\n")
    sys.exit(1)
rules = {}
items = d.get("findings") if isinstance(d, dict) else None
if isinstance(items, list):
    for it in items:
        if isinstance(it, dict):
            r = it.get("rule") or it.get("rule_id") or it.get("id") or it.get("code")
            if isinstance(r, str):
                rules[r] = rules.get(r, 0) + 1
print(json.dumps({"findings": n, "by_rule": dict(sorted(rules.items()))}))
PY
) || die "clerk-guard did not print JSON with summary.findings (first bytes of stdout: $(head -c 200 "$WORK/guard.json" | tr '\n' ' '))
  Is the scan command implemented yet? Use --baselines-only to time rg/cat alone."
fi

# ---------------------------------------------------------------- counts
count_matches() {  # $1 = extra rg flags; prints the number of key-regex matches
  # shellcheck disable=SC2086
  { rg $1 --glob '!.git' -o -N --no-filename -e "$KEY_RE" "$CORPUS" || true; } | wc -l
}
RG_MATCHES=$(count_matches "--hidden")
RGUU_MATCHES=$(count_matches "-uu")
RG_FILES_IN_SCOPE=$( { rg --files --hidden --glob '!.git' "$CORPUS" || true; } | wc -l)

# ---------------------------------------------------------------- timings
NAMES=()
CMDS=()
if [[ -n "$CMD_GUARD" ]]; then
  NAMES+=("clerk-guard" "clerk-guard-warm" "clerk-guard-secrets")
  CMDS+=("$CMD_GUARD" "$CMD_GUARD_WARM" "$CMD_GUARD_SECRETS")
fi
if [[ -n "$CMD_GUARD_FILE" ]]; then
  NAMES+=("clerk-guard-file"); CMDS+=("$CMD_GUARD_FILE")
fi
if [[ -n "$CMD_OXLINT" ]]; then
  NAMES+=("oxlint"); CMDS+=("$CMD_OXLINT")
fi
NAMES+=("rg" "rg-uu" "cat"); CMDS+=("$CMD_RG" "$CMD_RGUU" "$CMD_CAT")

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")
log "load average before timing: $LOAD_BEFORE"
TIMINGS="$WORK/timings.json"
if [[ $HAVE_HYPERFINE == 1 ]]; then
  HF_ARGS=()
  for i in "${!NAMES[@]}"; do HF_ARGS+=(-n "${NAMES[$i]}" "${CMDS[$i]} > /dev/null"); done
  log "hyperfine: ${#NAMES[@]} commands, warmup $WARMUP, runs $RUNS"
  hyperfine --warmup "$WARMUP" --runs "$RUNS" --ignore-failure --style basic \
    --export-json "$WORK/hf.json" "${HF_ARGS[@]}" >&2 || die "hyperfine failed"
  python3 - "$WORK/hf.json" "$TIMINGS" "${NAMES[@]}" <<'PY'
import json, statistics, sys
src, dst, names = sys.argv[1], sys.argv[2], sys.argv[3:]
res = json.load(open(src))["results"]
out = {}
for name, r in zip(names, res):
    t = r["times"]
    out[name] = {"median_s": r.get("median", statistics.median(t)), "mean_s": r["mean"],
                 "stddev_s": r.get("stddev") or 0.0, "min_s": r["min"], "max_s": r["max"], "runs": len(t)}
json.dump({"timer": "hyperfine", "results": out}, open(dst, "w"))
PY
else
  : > "$WORK/loop.txt"
  for i in "${!NAMES[@]}"; do
    name=${NAMES[$i]}
    cmd="${CMDS[$i]} > /dev/null"
    log "timing $name (warmup $WARMUP, runs $RUNS)"
    for ((w = 0; w < WARMUP; w++)); do bash -c "$cmd" >/dev/null 2>&1 || true; done
    for ((k = 0; k < RUNS; k++)); do
      s=$EPOCHREALTIME
      bash -c "$cmd" >/dev/null 2>&1 || true
      e=$EPOCHREALTIME
      echo "$name $s $e" >> "$WORK/loop.txt"
    done
  done
  python3 - "$WORK/loop.txt" "$TIMINGS" <<'PY'
import json, statistics, sys
runs = {}
for line in open(sys.argv[1]):
    name, s, e = line.split()
    runs.setdefault(name, []).append(float(e) - float(s))
out = {n: {"median_s": statistics.median(t), "mean_s": statistics.fmean(t),
           "stddev_s": statistics.stdev(t) if len(t) > 1 else 0.0,
           "min_s": min(t), "max_s": max(t), "runs": len(t)} for n, t in runs.items()}
json.dump({"timer": "bash loop (EPOCHREALTIME)", "results": out}, open(sys.argv[2], "w"))
PY
fi

# ---------------------------------------------------------------- peak RSS
peak_rss_kb() {  # $@ = command; prints max RSS in kB or "null"
  if [[ -z "$TIME_BIN" ]]; then echo null; return; fi
  "$TIME_BIN" -v -o "$WORK/time.txt" "$@" > /dev/null 2>&1 || true
  local v
  v=$(sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): *//p' "$WORK/time.txt")
  echo "${v:-null}"
}
RSS_GUARD=null
if [[ -n "$BIN" ]]; then
  RSS_GUARD=$(peak_rss_kb "$BIN" scan "$CORPUS" --format json --fail-on never -q)
fi
RSS_RG=$(peak_rss_kb rg --hidden --glob '!.git' -e "$KEY_RE" "$CORPUS")

# ---------------------------------------------------------------- report
# All of the output is read (`head` closing the pipe early can make rg fail the script).
RG_VERSION="$(rg --version | sed -n 1p)"
HF_VERSION="none"
if [[ $HAVE_HYPERFINE == 1 ]]; then HF_VERSION="$(hyperfine --version)"; fi
NPROC="$(nproc 2>/dev/null || echo '?')"
COMMIT="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [[ -n "$(git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null)" ]]; then COMMIT="$COMMIT+dirty"; fi
OXLINT_VERSION="none"
if [[ -n "$OXLINT_BIN" ]]; then OXLINT_VERSION="$("$OXLINT_BIN" --version 2>/dev/null | sed -n 1p)"; fi
export BENCH_COMMIT="$COMMIT" BENCH_OXLINT_VERSION="$OXLINT_VERSION" BENCH_CMD_OXLINT="$CMD_OXLINT" \
  BENCH_CMD_GUARD_FILE="$CMD_GUARD_FILE"
export BENCH_CORPUS="$CORPUS" BENCH_ORIGIN="$CORPUS_ORIGIN" BENCH_SUMMARY="$SUMMARY" \
  BENCH_TIMINGS="$TIMINGS" BENCH_FINDINGS="$FINDINGS_JSON" BENCH_RG_MATCHES="$RG_MATCHES" \
  BENCH_RGUU_MATCHES="$RGUU_MATCHES" BENCH_RG_FILES="$RG_FILES_IN_SCOPE" BENCH_RSS_GUARD="$RSS_GUARD" \
  BENCH_RSS_RG="$RSS_RG" BENCH_JSON="$JSON" BENCH_LOAD="$LOAD_BEFORE" BENCH_RUNS="$RUNS" \
  BENCH_WARMUP="$WARMUP" BENCH_CMD_GUARD="$CMD_GUARD" BENCH_CMD_RG="$CMD_RG" \
  BENCH_CMD_RGUU="$CMD_RGUU" BENCH_CMD_CAT="$CMD_CAT" \
  BENCH_RG_VERSION="$RG_VERSION" BENCH_HF_VERSION="$HF_VERSION" BENCH_NPROC="$NPROC"
python3 - <<'PY'
import json, os, sys

E = os.environ
summ = json.load(open(E["BENCH_SUMMARY"])) if E["BENCH_SUMMARY"] else None
tim = json.load(open(E["BENCH_TIMINGS"]))
res = tim["results"]
guard = json.loads(E["BENCH_FINDINGS"])
rss_g = None if E["BENCH_RSS_GUARD"] == "null" else int(E["BENCH_RSS_GUARD"])
rss_rg = None if E["BENCH_RSS_RG"] == "null" else int(E["BENCH_RSS_RG"])

def med(n):
    return res[n]["median_s"] if n in res else None

def ratio(a, b):
    return None if a is None or b is None or b == 0 else a / b

r_rg = ratio(med("clerk-guard"), med("rg"))
r_sec = ratio(med("clerk-guard-secrets"), med("rg"))
r_warm = ratio(med("clerk-guard-warm"), med("rg"))
r_cat = ratio(med("clerk-guard"), med("cat"))
r_ox = ratio(med("clerk-guard"), med("oxlint"))
corpus = {"path": E["BENCH_CORPUS"], "origin": E["BENCH_ORIGIN"], "files_in_scope_rg": int(E["BENCH_RG_FILES"])}
if summ:
    sc = summ["scanned"]
    exp = summ["expected_key_regex_matches"]
    corpus.update({"js_ts_files": sc["js_ts_files"],
               "other_files": sc["other_files"], "bytes": sc["bytes"],
               "ignored_noise_files": summ["ignored_noise"]["files"],
               "ignored_noise_bytes": summ["ignored_noise"]["bytes"], "tree_sha256": summ["tree_sha256"],
               "planted_keys": len(summ["planted_keys"]), "placeholders": len(summ["placeholders"]),
               "decoys_in_ignored_paths": len(summ["decoys_in_ignored_paths"])})
out = {
    "commit": E["BENCH_COMMIT"],
    "corpus": corpus,
    "machine": {"nproc": E["BENCH_NPROC"], "loadavg_before": E["BENCH_LOAD"], "rg": E["BENCH_RG_VERSION"],
                "timer": tim["timer"], "hyperfine": E["BENCH_HF_VERSION"], "oxlint": E["BENCH_OXLINT_VERSION"],
                "runs": int(E["BENCH_RUNS"]), "warmup": int(E["BENCH_WARMUP"])},
    "commands": {k: v for k, v in (("clerk-guard", E["BENCH_CMD_GUARD"]), ("oxlint", E["BENCH_CMD_OXLINT"]),
                                   ("clerk-guard-file", E["BENCH_CMD_GUARD_FILE"]), ("rg", E["BENCH_CMD_RG"]),
                                   ("rg-uu", E["BENCH_CMD_RGUU"]), ("cat", E["BENCH_CMD_CAT"])) if v},
    "timings": res,
    "ratios": {"clerk_guard_over_rg": r_rg, "clerk_guard_over_cat": r_cat, "clerk_guard_over_oxlint": r_ox,
               "clerk_guard_secrets_over_rg": r_sec, "clerk_guard_warm_over_rg": r_warm},
    "peak_rss_kb": {"clerk-guard": rss_g, "rg": rss_rg},
    "clerk_guard_findings": None if guard is None else guard["findings"],
    "clerk_guard_findings_by_rule": None if guard is None else guard["by_rule"],
    "rg_key_matches": int(E["BENCH_RG_MATCHES"]),
    "rg_uu_key_matches": int(E["BENCH_RGUU_MATCHES"]),
    "expected_rg_key_matches": exp["respecting_gitignore"] if summ else None,
    "expected_rg_uu_key_matches": exp["ignoring_gitignore"] if summ else None,
    "targets": {"clerk_guard_over_oxlint_max": 1.0, "clerk_guard_secrets_over_rg_max": 2.0,
                "clerk_guard_warm_over_rg_max": 2.0,
                "peak_rss_mb_max": 150},
}

mib = lambda b: b / (1024 * 1024)
L = []
L.append("")
L.append("== clerk-guard benchmark ==")
L.append(f"commit : {E['BENCH_COMMIT']}")
L.append(f"corpus : {E['BENCH_CORPUS']} ({E['BENCH_ORIGIN']})")
if summ:
    L.append(f"         {sc['js_ts_files']} JS/TS + {sc['other_files']} other files, {mib(sc['bytes']):.1f} MiB in scope "
             f"({int(E['BENCH_RG_FILES'])} files seen by rg); ignored noise {summ['ignored_noise']['files']} files, "
             f"{mib(summ['ignored_noise']['bytes']):.1f} MiB")
else:
    L.append(f"         {int(E['BENCH_RG_FILES'])} files seen by rg")
L.append(f"machine: {E['BENCH_NPROC']} cores, load before timing {E['BENCH_LOAD']}; {E['BENCH_RG_VERSION']}; "
         f"timer: {E['BENCH_HF_VERSION'] if tim['timer'] == 'hyperfine' else tim['timer']}, "
         f"{E['BENCH_WARMUP']} warm-up + {E['BENCH_RUNS']} runs")
L.append("")
L.append(f"{'command':<22}{'median':>10}{'mean':>10}{'± sd':>9}{'min':>10}{'max':>10}")
labels = {"clerk-guard": "clerk-guard scan", "clerk-guard-warm": "  warm (facts cache)",
          "clerk-guard-secrets": "  --select secrets",
          "clerk-guard-file": "  scan ONE_FILE", "oxlint": "oxlint (defaults)",
          "rg": "rg key regex", "rg-uu": "rg -uu key regex", "cat": "cat every file"}
for n in ("clerk-guard", "clerk-guard-warm", "clerk-guard-secrets", "clerk-guard-file", "oxlint", "rg", "rg-uu", "cat"):
    if n not in res:
        L.append(f"{labels[n]:<22}{'not run':>10}")
        continue
    r = res[n]
    L.append(f"{labels[n]:<22}{r['median_s']:>9.3f}s{r['mean_s']:>9.3f}s{r['stddev_s']:>8.3f}s"
             f"{r['min_s']:>9.3f}s{r['max_s']:>9.3f}s")
L.append("")
if r_rg is not None:
    L.append(f"clerk-guard / rg : {r_rg:.2f}x   (every rule: parses route files, builds the route model)")
    if r_ox is not None:
        L.append(f"clerk-guard / oxlint: {r_ox:.2f}x   (target <= 1x: {'met' if r_ox <= 1 else 'NOT met'})")
    if r_sec is not None:
        L.append(f"clerk-guard --select secrets / rg: {r_sec:.2f}x   (target <= 2x: {'met' if r_sec <= 2 else 'NOT met'})")
    if r_warm is not None:
        L.append(f"clerk-guard warm / rg: {r_warm:.2f}x   (target <= 2x: {'met' if r_warm <= 2 else 'NOT met'})")
    L.append(f"clerk-guard / cat: {r_cat:.2f}x")
else:
    L.append("clerk-guard / rg : n/a (clerk-guard not run)")
    L.append("clerk-guard / cat: n/a")
if rss_g is not None:
    L.append(f"peak RSS clerk-guard: {rss_g / 1024:.1f} MiB   (target <= 150 MB: {'met' if rss_g / 1024 <= 150 else 'NOT met'})")
else:
    L.append("peak RSS clerk-guard: n/a")
if rss_rg is not None:
    L.append(f"peak RSS rg         : {rss_rg / 1024:.1f} MiB")
if guard is not None:
    br = ", ".join(f"{k} {v}" for k, v in guard["by_rule"].items())
    L.append(f"clerk-guard findings (summary.findings): {guard['findings']}" + (f"  [{br}]" if br else ""))
if summ:
    L.append(f"keys found by rg: {out['rg_key_matches']} (expected {exp['respecting_gitignore']} = "
             f"{len(summ['planted_keys'])} planted + {exp['respecting_gitignore'] - len(summ['planted_keys'])} "
             f"placeholders that match the raw regex); rg -uu: {out['rg_uu_key_matches']} "
             f"(expected {exp['ignoring_gitignore']}, incl. decoys in ignored paths)")
    L.append("planted keys (what a secret finding should point at):")
    for k in summ["planted_keys"]:
        L.append(f"  {k['path']}:{k['line']}  {k['key'][:12]}...  ({k['where']})")
else:
    L.append(f"keys found by rg: {out['rg_key_matches']}; rg -uu: {out['rg_uu_key_matches']}")

text = "\n".join(L) + "\n"
if E["BENCH_JSON"] == "1":
    sys.stderr.write(text)
    print(json.dumps(out, indent=2))
else:
    sys.stdout.write(text)
PY
