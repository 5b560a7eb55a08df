#!/usr/bin/env bash
# Create /work/corpus/<app> at the commit recorded in each bench/corpus/<app>.json.
#
# Usage: bench/corpus/checkout.sh [--corpus DIR] [--labels DIR] [MIRROR_GIT_DIR...]
#
# MIRROR_GIT_DIR: git directories of fetched snapshots (e.g. /work/.mirror/owner+name/repo).
# Without arguments, /work/.mirror/<owner>+<name>/repo is used for each label file's "repo".
# Checkouts are plain clones of the mirror, detached at the labelled commit; files whose blobs the
# snapshot lacks (>= 4 MiB, LFS) are left out with a sparse checkout. Checkouts are never committed.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
corpus=/work/corpus
labels="$here"
mirrors=()
while [ $# -gt 0 ]; do
  case "$1" in
    --corpus) corpus="$2"; shift 2 ;;
    --labels) labels="$2"; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) mirrors+=("$1"); shift ;;
  esac
done
mkdir -p "$corpus"

# Print "app repo commit" for every label file (python3 reads the JSON).
list_labels() {
  python3 - "$labels" <<'PY'
import json, os, sys
d = sys.argv[1]
for f in sorted(os.listdir(d)):
    if not f.endswith(".json"):
        continue
    j = json.load(open(os.path.join(d, f)))
    if "entries" not in j:
        continue
    print(j.get("app") or f[:-5], j["repo"], j["commit"])
PY
}

# The mirror git dir for owner/name: one given on the command line whose path names
# owner+name (or owner/name), else /work/.mirror/owner+name/repo.
find_mirror() {
  local repo="$1" flat="${1/\//+}" m
  for m in "${mirrors[@]+"${mirrors[@]}"}"; do
    case "$m" in *"$flat"*|*"$repo"*) echo "$m"; return 0 ;; esac
  done
  for m in "/work/.mirror/$flat/repo" "/work/.mirror/$flat"; do
    if git --git-dir="$m" rev-parse --git-dir >/dev/null 2>&1; then echo "$m"; return 0; fi
  done
  return 1
}

status=0
while read -r app repo commit; do
  dest="$corpus/$app"
  if ! mirror="$(find_mirror "$repo")"; then
    echo "skip $app: no mirror of $repo (fetch github:$repo first)" >&2
    status=1
    continue
  fi
  if ! git --git-dir="$mirror" cat-file -e "$commit^{commit}" 2>/dev/null; then
    echo "skip $app: commit $commit not in $mirror" >&2
    status=1
    continue
  fi
  if [ ! -d "$dest/.git" ]; then
    git clone -q --no-checkout "$mirror" "$dest"
  else
    git -C "$dest" fetch -q "$mirror" "$commit" 2>/dev/null || true
  fi
  # Leave out files whose blobs the snapshot does not have (large files, LFS).
  missing="$(git -C "$dest" ls-tree -r "$commit" | awk '$2 == "blob" {print $3}' |
    git -C "$dest" cat-file --batch-check='%(objectname) %(objecttype)' | awk '$2 == "missing" {print $1}')"
  if [ -n "$missing" ]; then
    patterns=('/*')
    while read -r path; do patterns+=("!/$path"); done < <(
      git -C "$dest" ls-tree -r "$commit" | awk -v m="$missing" '
        BEGIN { n = split(m, a, "\n"); for (i = 1; i <= n; i++) miss[a[i]] = 1 }
        $2 == "blob" && ($3 in miss) { sub(/^[^\t]*\t/, ""); print }')
    git -C "$dest" sparse-checkout set --no-cone "${patterns[@]}"
  fi
  git -C "$dest" -c advice.detachedHead=false checkout -q -f "$commit"
  git -C "$dest" clean -fdq
  echo "$app: $dest at $(git -C "$dest" rev-parse --short HEAD) ($repo)"
done < <(list_labels)
exit $status
