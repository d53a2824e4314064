#!/bin/bash
# Instruction counts per row of bench/write-path.ts' steady state under callgrind: starts it with
# instrumentation off and switches it on and off at the script's WP-ON / WP-OFF lines, dumping
# one profile per window (<out>.1: bulkCreate, <out>.2: create(), <out>.3: with --tx3-calls N,
# N transactions of three create()).
#   bench/write-path-callgrind.sh OUT --database sqlite --bulk-calls 5 --create-calls 500
# SCRIPT=transaction-path.ts runs that script instead (one window, <out>.1: the transactions):
#   SCRIPT=transaction-path.ts bench/write-path-callgrind.sh OUT --subject yara --calls 2000
set -euo pipefail
out=$1
shift
cd "$(dirname "$0")"
valgrind --tool=callgrind --instr-atstart=no --smc-check=all-non-file \
  --callgrind-out-file="$out" node --import tsx "${SCRIPT:-write-path.ts}" --reps 1 --marks "$@" 2>/dev/null |
  while read -r line; do
    echo "$line"
    set -- $line
    case "$1" in
      WP-ON) callgrind_control -i on "$3" >/dev/null ;;
      WP-OFF) callgrind_control -i off "$3" >/dev/null && callgrind_control -d "$2" "$3" >/dev/null ;;
    esac
  done
