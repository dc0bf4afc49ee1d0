#!/bin/bash
# Starts one node of the compose file's Galera cluster through the image's own entrypoint. The node named by
# GALERA_BOOTSTRAP=1 (mariadb-1) starts a new cluster only when that is safe: on its very first start (no
# grastate.dat yet) or when it was the last node of the cluster to stop (safe_to_bootstrap: 1). Any other
# time it joins the others: a node that crashed and bootstrapped would split the cluster in two.
set -euo pipefail
args=(--wsrep_node_name="$(hostname)" --wsrep_sst_auth="sst:${GALERA_SST_PASSWORD:?set GALERA_SST_PASSWORD}")
state=/var/lib/mysql/grastate.dat
if [ "${GALERA_BOOTSTRAP:-0}" = "1" ]; then
  if [ ! -f "$state" ] || grep -q '^safe_to_bootstrap: *1' "$state"; then
    args+=(--wsrep-new-cluster)
  fi
fi
exec docker-entrypoint.sh mariadbd "${args[@]}"
