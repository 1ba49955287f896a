#!/usr/bin/env bash
# The README's first command: install what is missing, build `tfc`, check every example
# (printing the signatures it inferred), then train two of them: a linear regression and the
# digits MLP (gradients derived at compile time; running on the reference interpreter until
# native code generation lands).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cargo build --release --quiet -p tf-driver
for f in $(find examples -name '*.tf' | sort); do
    echo "== $f"
    target/release/tfc check --print-signatures "$f"
done
echo "== training examples/regression/linear.tf"
target/release/tfc run examples/regression/linear.tf
echo "== training examples/mlp/digits.tf"
target/release/tfc run examples/mlp/digits.tf
