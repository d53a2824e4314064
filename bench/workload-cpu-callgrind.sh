#!/bin/bash
# Instruction counts of bench/workload-cpu.ts' steady state under callgrind: starts it with
# instrumentation off, switches it on and off at its WP-ON / WP-OFF lines and dumps each window
# (<out>.1, <out>.2, …); the instructions per unit are the total over --runs × the workload's units.
#   bench/workload-cpu-callgrind.sh OUT --subject "yara (mysql2)" --workload fetch-5000-rows --warm 50 --runs 5 --windows 2
set -euo pipefail
out=$1
shift
cd "$(dirname "$0")"
valgrind --tool=callgrind --instr-atstart=no --separate-threads=yes --smc-check=all-non-file \
  --callgrind-out-file="$out" node ${NODE_FLAGS:-} --import tsx workload-cpu.ts --marks "$@" 2>/dev/null |
  while read -r line; do
    echo "$line"
    set -- $line
    case "$1" in
      WP-ON) callgrind_control -i on "$2" >/dev/null ;;
      WP-OFF) callgrind_control -i off "$2" >/dev/null && callgrind_control -d "$2" >/dev/null ;;
    esac
  done
