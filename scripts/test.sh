#!/usr/bin/env bash
# The README's second command: install what is missing and run every test, with formatting
# and lint checks. Golden files are compared, never rewritten (TFC_BLESS=1 re-blesses by hand).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
unset TFC_BLESS
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --quiet -- -D warnings
cargo test --workspace 2>&1 | tee target/test-output.txt | grep -E "^(test result|running|error|failures|---- )|panicked" || true
# Summarise over every test binary so one line tells the whole story.
awk '/^test result:/ { p += $4; f += $6; i += $8 } END { printf "%d passed, %d failed, %d skipped\n", p, f, i; exit (f > 0) }' target/test-output.txt
if grep -qE "^error(\[|:)|test result: FAILED" target/test-output.txt; then
    echo "tests failed (see target/test-output.txt)" >&2
    exit 1
fi
