#!/usr/bin/env bash
# A slow build step in the background, so that it overlaps the compilation and the tests instead of following them:
#   background-step.sh start DIR COMMAND...   runs COMMAND with its output in DIR/install.log, its exit code in DIR/rc
#   background-step.sh wait DIR               waits for it, prints its output and exits as it exited (0 if none ran)
# Its own output files, so that Maven does not wait on our pipes for the background command.
set -euo pipefail
mode="$1"
dir="$2"
shift 2
case "$mode" in
  start)
    mkdir -p "$dir"
    ( set +e; "$@" >"$dir/install.log" 2>&1; echo $? >"$dir/rc.tmp"; mv "$dir/rc.tmp" "$dir/rc" ) </dev/null >/dev/null 2>&1 &
    ;;
  wait)
    [ -d "$dir" ] || exit 0
    while [ ! -f "$dir/rc" ]; do
      sleep 1
    done
    cat "$dir/install.log"
    exit "$(cat "$dir/rc")"
    ;;
  *)
    echo "usage: $0 start DIR COMMAND... | wait DIR" >&2
    exit 2
    ;;
esac
