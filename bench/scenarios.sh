#!/usr/bin/env bash
# scenarios.sh PORCUPINE WORKDIR - scenarios per second on the default plan for
#   (a) the baseline a planner would script: `porcupine export --scenario K` and one glpsol
#       process per scenario, one after the other;
#   (b) `porcupine scenarios` on 1 thread;
#   (c) `porcupine scenarios` on every core;
# simplex iterations per scenario (glpsol, porcupine cold, porcupine warm), and peak memory
# (VmHWM via GNU time) at N = 1,000 and N = 100,000.  Whole-process wall times: start-up,
# the nominal solve and writing every report are included in (b) and (c).
#
# BENCH_NA   scenarios for (a)                   (default 20: glpsol takes ~0.5 s each)
# BENCH_NB   scenarios for (b) and (c)           (default 300)
# BENCH_NCOLD scenarios for the cold run          (default 60)
# BENCH_NMEM the large N for peak memory         (default 100000)
# BENCH_BIG_PLAN plan for the large-N memory run (default: tiny.yaml, because 100,000
#            scenarios of the default plan take over an hour on 2 cores; set it to
#            "default" to use the default plan)
set -euo pipefail
P=$1
W=$2
HERE=$(cd "$(dirname "$0")" && pwd)
NA=${BENCH_NA:-20}
NB=${BENCH_NB:-300}
NCOLD=${BENCH_NCOLD:-60}
NMEM=${BENCH_NMEM:-100000}
BIG=${BENCH_BIG_PLAN:-$HERE/../inputs/plans/tiny.yaml}
CORES=$(nproc)
GAP=1e-6 # the default plan's solver.mip_gap, for both sides
rm -rf "$W"
mkdir -p "$W"
now() { date +%s.%N; }
rate() { python3 -c "print(f'{$1 / ($3 - $2):.2f}')"; }
json() { python3 -c "import json,sys; d=json.load(open('$1')); print($2)"; }

echo "porcupine scenario benchmark: default plan, $CORES cores, $(date -u +%FT%TZ)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

# (a) baseline: export + glpsol, one process per scenario
t0=$(now)
for k in $(seq 0 $((NA - 1))); do
	"$P" export --scenario "$k" --format mps -o "$W/s.mps"
	glpsol --freemps "$W/s.mps" --mipgap $GAP -o "$W/s.sol" >"$W/glpsol.log" 2>&1
	# iterations: the counter of glpsol's last progress line
	grep -E '^[ *+][ ]*[0-9]+:' "$W/glpsol.log" | tail -1 | sed -E 's/^[ *+]+([0-9]+):.*/\1/' >>"$W/glpsol.it"
done
t1=$(now)
A=$(rate "$NA" "$t0" "$t1")
A_IT=$(python3 -c "v=[int(x) for x in open('$W/glpsol.it')]; print(f'{sum(v)/len(v):.0f}')")

# (b) one thread, warm; and cold for the iteration count
t0=$(now)
"$P" scenarios -n "$NB" --threads 1 -o "$W/b" -q
t1=$(now)
B=$(rate "$NB" "$t0" "$t1")
B_IT=$(json "$W/b/report.json" "f\"{d['scenarios']['solver']['iterations']['mean']:.0f}\"")
B_START=$(json "$W/b/report.json" "d['scenarios']['solver']['lp_start'], d['scenarios']['solver']['mip']")
t0=$(now)
"$P" scenarios -n "$NCOLD" --threads 1 --cold -o "$W/cold" -q
t1=$(now)
COLD=$(rate "$NCOLD" "$t0" "$t1")
COLD_IT=$(json "$W/cold/report.json" "f\"{d['scenarios']['solver']['iterations']['mean']:.0f}\"")

# (c) every core
t0=$(now)
"$P" scenarios -n "$NB" --threads "$CORES" -o "$W/c" -q
t1=$(now)
C=$(rate "$NB" "$t0" "$t1")
if cmp -s "$W/b/scenarios.csv" "$W/c/scenarios.csv"; then SAME=identical; else SAME=DIFFERENT; fi

# peak memory
mem() { # PLAN N -> "whole-process-KiB engine-KiB" (engine: before report.html/.xlsx)
	local plan=()
	[ "$1" != default ] && plan=("$1")
	PORCUPINE_SCENARIOS_MEMSTAT=1 /usr/bin/time -f %M -o "$W/mem" "$P" scenarios "${plan[@]}" \
		-n "$2" --threads "$CORES" -o "$W/m" -q 2>"$W/memstat"
	echo "$(cat "$W/mem") $(sed -nE 's/^peak before views:[[:space:]]*([0-9]+) kB/\1/p' "$W/memstat")"
}
mib() { python3 -c "print(f'{$1/1024:.1f}')"; }
read -r M1 E1 <<<"$(mem default 1000)"
if [ "$BIG" = default ]; then
	read -r MB EB <<<"$(mem default "$NMEM")"; MBNAME="default plan"; MS=$M1; ES=$E1
else
	read -r MS ES <<<"$(mem "$BIG" 1000)"; read -r MB EB <<<"$(mem "$BIG" "$NMEM")"
	MBNAME=$(basename "$BIG")
fi

cat <<EOT

                                              scenarios/s   simplex iterations/scenario
(a) export + glpsol per scenario (N=$NA)        $A            $A_IT (glpsol, presolve, cold)
    porcupine, 1 thread, cold (N=$NCOLD)          $COLD            $COLD_IT
(b) porcupine, 1 thread (N=$NB)               $B            $B_IT (warm from the nominal basis)
(c) porcupine, $CORES threads (N=$NB)              $C
    b and c scenarios.csv: $SAME
    how scenarios started (b): $B_START

b/a = $(python3 -c "print(f'{$B/$A:.1f}')")   (target >= 10)
c/b = $(python3 -c "print(f'{$C/$B:.2f}')")   (target >= $(python3 -c "print(0.9*$CORES)"))

peak RSS (MiB)                       whole run   engine (before report.html/.xlsx)
default plan, N=1000                 $(mib "$M1")        $(mib "$E1")
$MBNAME, N=1000                   $(mib "$MS")        $(mib "$ES")
$MBNAME, N=$NMEM                 $(mib "$MB")        $(mib "$EB")
ratio N=$NMEM / N=1000             $(python3 -c "print(f'{$MB/$MS:.2f}')")        $(python3 -c "print(f'{$EB/$ES:.2f}')")
load average after: $(cut -d' ' -f1-3 /proc/loadavg)
EOT
