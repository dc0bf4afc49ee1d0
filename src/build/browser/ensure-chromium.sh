#!/usr/bin/env bash
# Run by `./mvnw verify` before the tests: the real-browser Tasklist test needs Debian's chromium and
# chromedriver. Installs them when they are missing and we may (root with apt-get); otherwise says how.
set -euo pipefail
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing chromium and chromium-driver for the browser test (Debian packages)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver
  exit 0
fi
echo "The browser test needs /usr/bin/chromium and /usr/bin/chromedriver: sudo apt-get install chromium chromium-driver" >&2
exit 1
