#!/usr/bin/env bash
# The README's first command: install what is missing, build `tfc`, and check every example,
# printing the signatures it inferred.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cargo build --release --quiet -p tf-driver
for f in $(find examples -name '*.tf' | sort); do
    echo "== $f"
    target/release/tfc check --print-signatures "$f"
done
