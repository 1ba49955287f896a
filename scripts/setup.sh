#!/usr/bin/env bash
# Installs what TensorForge needs and is missing; does nothing (quickly) when all is there.
# Debian 12: LLVM 19 development packages from apt. The Rust toolchain is expected on PATH.
set -euo pipefail

need_apt=()
for pkg in llvm-19-dev libpolly-19-dev libzstd-dev zlib1g-dev; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
        need_apt+=("$pkg")
    fi
done

if ((${#need_apt[@]})); then
    echo "setup: installing ${need_apt[*]}" >&2
    sudo=""
    if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if ! command -v cargo >/dev/null; then
    echo "setup: cargo not found; install Rust (https://rustup.rs) and run this again" >&2
    exit 1
fi
if [ ! -x /usr/lib/llvm-19/bin/llvm-config ]; then
    echo "setup: LLVM 19 is not at /usr/lib/llvm-19 after installing llvm-19-dev" >&2
    exit 1
fi
