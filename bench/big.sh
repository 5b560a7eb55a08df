#!/usr/bin/env bash
# Peak memory and time of `clerk-guard scan` on a large tree, beside rg on the same tree.
#
#   bash bench/big.sh                  # a 2 GiB tree (scripts, JSON, Markdown, assets)
#   bash bench/big.sh --mib 512        # a smaller one
#   bash bench/big.sh --files 100000   # 100k small files instead (about 60 MiB)
#   bash bench/big.sh --tree DIR       # an existing tree
#
# A measurement, not a test: it exits non-zero only when it cannot run. The tree is generated
# under $TMPDIR and deleted at the end. Uses target/release/clerk-guard (build it first).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/clerk-guard"
MIB=2048
FILES=0
TREE=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --mib) MIB=$2; shift 2 ;;
    --files) FILES=$2; shift 2 ;;
    --tree) TREE=$2; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
[[ -x "$BIN" ]] || { echo "no $BIN: run cargo build --release" >&2; exit 2; }
[[ -x /usr/bin/time ]] || { echo "/usr/bin/time is needed (apt-get install time)" >&2; exit 2; }

WORK=""
if [[ -z "$TREE" ]]; then
  WORK="$(mktemp -d "${TMPDIR:-/tmp}/clerk-guard-big.XXXXXX")"
  trap 'rm -rf "$WORK"' EXIT
  TREE="$WORK/tree"
  python3 - "$TREE" "$MIB" "$FILES" <<'PY'
import os, sys
root, mib, files = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
os.makedirs(root)
open(os.path.join(root, "package.json"), "w").write(
    '{"name":"big","dependencies":{"next":"15.5.6","@clerk/nextjs":"6.35.0"}}\n')
open(os.path.join(root, "middleware.ts"), "w").write(
    "import { clerkMiddleware } from '@clerk/nextjs/server'\nexport default clerkMiddleware()\n"
    "export const config = { matcher: ['/((?!_next|.*\\\\..*).*)', '/(api|trpc)(.*)'] }\n")
# A route, a component, a helper: code the analyzer reads; JSON and Markdown it only scans.
route = ("import {{ auth }} from '@clerk/nextjs/server'\nimport {{ db }} from '@/lib/db{n}'\n"
         "export async function GET() {{\n  const {{ userId }} = await auth()\n"
         "  if (!userId) return new Response('no', {{ status: 401 }})\n"
         "  return Response.json(await db.items(userId))\n}}\n")
helper = "export const db = {{ items: async (u: string) => [u, {n}] }}\n" + "// filler line for size\n" * 40
comp = "'use client'\nexport function C{n}() {{ return <div>{{'x{n}'}}</div> }}\n" + "const pad = 1\n" * 40
doc = "# Guide {n}\n\n" + "Some prose about the app and its routes.\n" * 60
data = '{{"items": [' + ",".join(['{{"id": %d, "name": "item"}}' % i for i in range(60)]) + "]}}\n"
kinds = [("app/r{n}/route.ts", route), ("lib/db{n}.ts", helper), ("components/c{n}.tsx", comp),
         ("docs/g{n}.md", doc), ("data/d{n}.json", data)]
if files:
    for n in range(files):
        rel, body = kinds[n % len(kinds)]
        path = os.path.join(root, rel.format(n=n))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        open(path, "w").write(body.format(n=n))
else:
    # Big files: a minified-looking bundle line repeated, in scripts and JSON (1 MiB each).
    target = mib * 1024 * 1024
    line = "var a=function(b){return b+1};" * 32 + "\n"
    chunk = line * (1024 * 1024 // len(line))
    written, n = 0, 0
    while written < target:
        ext = ("js", "json", "ts", "md")[n % 4]
        path = os.path.join(root, f"pkg{n // 500}", f"f{n}.{ext}")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        open(path, "w").write(chunk)
        written += len(chunk)
        n += 1
PY
fi
FILES_IN=$(find "$TREE" -type f | wc -l)
BYTES=$(du -sb "$TREE" | cut -f1)
echo "tree: $TREE ($FILES_IN files, $((BYTES / 1024 / 1024)) MiB); commit $(git -C "$ROOT" rev-parse --short HEAD)"
measure() {
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o "${WORK:-/tmp}/t.txt" "$@" >/dev/null 2>&1 || true
  read -r secs kb < <(tail -n 1 "${WORK:-/tmp}/t.txt")
  awk -v n="$name" -v s="$secs" -v k="$kb" 'BEGIN { printf "%-28s %7.2f s  %8.1f MiB peak RSS\n", n, s, k / 1024 }'
}
measure "clerk-guard scan" "$BIN" scan "$TREE" --format json --fail-on never -q
measure "clerk-guard --select secrets" "$BIN" scan "$TREE" --select secrets --format json --fail-on never -q
measure "rg key regex" rg --hidden -e 'sk_(live|test)_[A-Za-z0-9]{32,}' "$TREE"
