#!/usr/bin/env bash
# Run by `./mvnw verify`: the model checks' npm packages (package-lock.json), installed with `npm ci`.
#   install.sh start DIR   (before compiling) starts the install in the background, its output in DIR
#   install.sh wait DIR    (before the checks) waits for it and fails as it failed; installs now if none ran
# An install is skipped while node_modules holds what this package-lock.json names (a stamp of its hash), and a
# fresh one overlaps the compilation and the tests instead of following them (Spectral brings 200 packages).
set -euo pipefail
mode="${1:-wait}"
dir="${2:-target/model-checks-install}"
cd "$(dirname "$0")"
self="$(pwd)/install.sh"
background="$(pwd)/../background-step.sh"

stamp=node_modules/.overture-package-lock.sha256
current() { [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$(sha256sum package-lock.json | cut -d' ' -f1)" ]; }

case "$mode" in
  start)
    rm -rf "$dir"
    if current; then
      exit 0
    fi
    echo "Installing the model checks' npm packages in the background (output in $dir/install.log)"
    "$background" start "$dir" "$self" install
    ;;
  install)
    npm ci --no-audit --no-fund
    sha256sum package-lock.json | cut -d' ' -f1 >"$stamp"
    ;;
  wait)
    "$background" wait "$dir" || { echo "Installing the model checks' npm packages failed" >&2; exit 1; }
    current || "$self" install
    ;;
  *)
    echo "usage: $0 start|wait DIR" >&2
    exit 2
    ;;
esac
