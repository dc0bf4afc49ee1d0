#!/usr/bin/env bash
# Run by the Galera failover benchmark before it starts its three nodes: it needs Debian's MariaDB server
# (mariadbd, mariadb-install-db), the Galera 4 provider and rsync (the state transfer a joining node receives).
# Installs them when they are missing and we may (root with apt-get); otherwise says how.
set -euo pipefail
if [ -x /usr/sbin/mariadbd ] && [ -x /usr/bin/mariadb-install-db ] && [ -f /usr/lib/galera/libgalera_smm.so ] \
    && [ -x /usr/bin/wsrep_sst_rsync ] && command -v rsync >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing mariadb-server, galera-4 and rsync for the Galera benchmark (Debian packages)"
  apt-get update -qq
  # the package's own server must not start on 3306 (policy-rc.d 101: services stay down during the install)
  policy=/usr/sbin/policy-rc.d
  created=""
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod +x "$policy" && created=yes
  fi
  trap 'if [ -n "$created" ]; then rm -f "$policy"; fi' EXIT
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends mariadb-server galera-4 rsync
  exit 0
fi
echo "The Galera benchmark needs mariadbd, galera-4 and rsync: sudo apt-get install mariadb-server galera-4 rsync" >&2
exit 1
