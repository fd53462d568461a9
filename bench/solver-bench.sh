#!/usr/bin/env bash
# Cholesky against conjugate gradients per rank: one whole `./submit.sh train` process per (rank, solver) on
# local[2], on one generated CSV, biases on, reg_param 0.05. Prints, from each model.json, the median seconds of
# iterations 2..n (iteration 1 also pays for compiling the kernel), the first iteration's, and the training loss
# and RMSE after the last iteration, so the speed of each solver is read beside how far it got.
#
#   bench/solver-bench.sh [ratings=3000000] [ranks=64,128,256] [iterations=10]
# Needs the jar built (mvn package). Rank 256 at 3M ratings takes several minutes per iteration on 2 cores.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RATINGS="${1:-3000000}"
RANKS="${2:-64,128,256}"
ITERS="${3:-10}"
WORK="$(mktemp -d /tmp/blockals-solver-XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
cd "$HERE"
USERS=$((RATINGS / 40))
ITEMS=$((RATINGS / 150))
echo "generating $RATINGS ratings ($USERS users, $ITEMS items) ..." >&2
./submit.sh generate --output "$WORK/data" --users "$USERS" --items "$ITEMS" --ratings "$RATINGS" --rank 10 \
  --noise 0.3 --zipf 0.8 --user-skew 0.5 --test-fraction 0 --seed 42 >&2
./submit.sh train --input data/toy/ratings.csv --output "$WORK/warmup" >/dev/null 2>&1
echo "| rank | solver | iteration 1 s | median of iterations 2-$ITERS s | train loss after $ITERS | train RMSE | wall s |"
echo "|---:|---|---:|---:|---:|---:|---:|"
for rank in ${RANKS//,/ }; do
  for solver in cholesky cg; do
    t0=$(date +%s.%N)
    ./submit.sh train --master 'local[2]' --input "$WORK/data/train.csv" --output "$WORK/m-$rank-$solver" \
      --set rank="$rank" --set solver="$solver" --set max_iter="$ITERS" --set reg_param=0.05 \
      --set num_user_blocks=2 --set num_item_blocks=2 >"$WORK/$rank-$solver.log" 2>&1
    wall=$(echo "$(date +%s.%N) - $t0" | bc)
    python3 - "$WORK/m-$rank-$solver/model.json" "$rank" "$solver" "$wall" <<'PY'
import json, statistics, sys
h = json.load(open(sys.argv[1]))["history"]
rest = [x["seconds"] for x in h[1:]] or [float("nan")]
print("| %s | %s | %.2f | %.2f | %.1f | %.4f | %.1f |" % (sys.argv[2], sys.argv[3], h[0]["seconds"],
      statistics.median(rest), h[-1]["train_loss"], h[-1]["train_rmse"], float(sys.argv[4])))
PY
    rm -rf "$WORK/m-$rank-$solver"
  done
done
