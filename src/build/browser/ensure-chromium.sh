#!/usr/bin/env bash
# Run by `./mvnw verify`: the real-browser Tasklist and Cockpit tests need Debian's chromium and chromedriver.
# Installs them when they are missing and we may (root with apt-get); otherwise says how.
#   ensure-chromium.sh start DIR   (before compiling) starts the install in the background, its output in DIR
#   ensure-chromium.sh wait DIR    (before the tests) waits for it and fails as it failed; installs now if none ran
# so that a fresh machine's download and unpacking overlap the compilation instead of following it.
set -euo pipefail
mode="${1:-wait}"
dir="${2:-target/browser-install}"

present() { [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; }

install() {
  echo "Installing chromium and chromium-driver for the browser tests (Debian packages)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver
}

may_install() { [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; }

refuse() {
  echo "The browser tests need /usr/bin/chromium and /usr/bin/chromedriver: sudo apt-get install chromium chromium-driver" >&2
  exit 1
}

case "$mode" in
  start)
    rm -rf "$dir"
    if present; then
      exit 0
    fi
    may_install || refuse
    echo "Installing chromium and chromium-driver in the background (output in $dir/install.log)"
    "$(dirname "$0")/../background-step.sh" start "$dir" "$0" install
    ;;
  install)
    install
    ;;
  wait)
    "$(dirname "$0")/../background-step.sh" wait "$dir" || { echo "Installing chromium failed" >&2; exit 1; }
    if present; then
      exit 0
    fi
    may_install || refuse
    install
    ;;
  *)
    echo "usage: $0 start|wait DIR" >&2
    exit 2
    ;;
esac
