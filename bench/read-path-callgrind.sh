#!/bin/bash
# Instructions per lookup of bench/read-path.ts' steady state under callgrind: starts it with
# instrumentation off, switches it on and off at its RP-ON / RP-OFF lines and dumps that window.
#   bench/read-path-callgrind.sh OUT --subject "yara (native)" --lookups 4000 [node flags via NODE_FLAGS]
set -euo pipefail
out=$1
shift
cd "$(dirname "$0")"
valgrind --tool=callgrind --instr-atstart=no --separate-threads=yes --smc-check=all-non-file \
  --callgrind-out-file="$out" node ${NODE_FLAGS:-} --import tsx read-path.ts "$@" 2>/dev/null |
  while read -r line; do
    echo "$line"
    set -- $line
    case "$1" in
      RP-ON) callgrind_control -i on "$2" >/dev/null ;;
      RP-OFF) callgrind_control -i off "$2" >/dev/null && callgrind_control -d "$2" >/dev/null ;;
    esac
  done
# --perf-basic-prof (to name JIT code: /tmp/perf-<pid>.map) leaves V8 logs behind.
rm -f isolate-*-v8.log
