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

stamp=node_modules/.overture-package-lock.sha256
current() { [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$(sha256sum package-lock.json | cut -d' ' -f1)" ]; }

install() {
  npm ci --no-audit --no-fund
  sha256sum package-lock.json | cut -d' ' -f1 >"$stamp"
}

case "$mode" in
  start)
    rm -rf "$dir"
    if current; then
      exit 0
    fi
    mkdir -p "$dir"
    echo "Installing the model checks' npm packages in the background (output in $dir/install.log)"
    # its own output files, so that Maven does not wait on our pipes for the background install
    ( set +e; install >"$dir/install.log" 2>&1; echo $? >"$dir/rc.tmp"; mv "$dir/rc.tmp" "$dir/rc" ) </dev/null >/dev/null 2>&1 &
    ;;
  wait)
    if [ -d "$dir" ]; then
      while [ ! -f "$dir/rc" ]; do
        sleep 1
      done
      rc="$(cat "$dir/rc")"
      [ "$rc" = "0" ] || { cat "$dir/install.log"; echo "Installing the model checks' npm packages failed ($rc)" >&2; exit "$rc"; }
    fi
    if current; then
      exit 0
    fi
    install
    ;;
  *)
    echo "usage: $0 start|wait DIR" >&2
    exit 2
    ;;
esac
