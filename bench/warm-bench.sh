#!/usr/bin/env bash
# Warm against cold retraining, the nightly case: "yesterday" is the ratings before the 90th percentile of the
# timestamps, "today" is all of them. Each side is a whole `./submit.sh train` process on local[2]:
#   yesterday  cold, max_iter 10                   (untimed: the published model tonight's run starts from)
#   cold       on today, max_iter 10               (what a scheduler runs without warm start)
#   warm       on today, init_model = yesterday, max_iter 10
#   warm-N     on today, init_model = yesterday, max_iter = N, the first iteration at which warm's validation RMSE
#              is within 1% of cold's final one
#   MLlib      the MLlib program on today, 10 iterations (MLlib cannot start from a model)
# Every blockals run holds out the same pairs (validation_fraction 0.1, a seeded hash of user and item, so
# yesterday's run never saw tonight's validation pairs either) and records validation_rmse per iteration in
# model.json. Prints the validation RMSE per iteration of cold and warm, and the wall seconds of every process.
#
#   bench/warm-bench.sh [ratings=3000000] [rank=10]
# Needs the jar built (mvn package).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RATINGS="${1:-3000000}"
RANK="${2:-10}"
ITERS=10
REG=0.05
WORK="$(mktemp -d /tmp/blockals-warm-XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
cd "$HERE"
JAR="$(ls target/blockals-*.jar | grep -v original | head -n 1)"
CP="$(cat target/runtime-classpath.txt)"
read -r -a SPARK_FLAGS <<< "$(grep -o "<spark.jvm.flags>[^<]*" pom.xml | sed "s/<spark.jvm.flags>//")"
read -r -a DEFAULT_OPTS <<< "$(awk '$1 == "spark.driver.defaultJavaOptions" {$1 = ""; print}' conf/spark-defaults.conf)"
FLAGS=(-Xmx4g ${DEFAULT_OPTS[@]+"${DEFAULT_OPTS[@]}"} "${SPARK_FLAGS[@]}"
  -Dlog4j2.configurationFile=file:$HERE/conf/log4j2.properties)
USERS=$((RATINGS / 40))
ITEMS=$((RATINGS / 150))
echo "generating $RATINGS ratings ($USERS users, $ITEMS items, string ids) ..." >&2
./submit.sh generate --output "$WORK/data" --users "$USERS" --items "$ITEMS" --ratings "$RATINGS" --rank 10 \
  --noise 0.3 --zipf 0.8 --user-skew 0.5 --test-fraction 0 --seed 42 >&2
TODAY="$WORK/data/train.csv"
CUT=$(tail -n +2 "$TODAY" | cut -d, -f4 | sort -n | awk '{a[NR] = $1} END {print a[int(NR * 0.9)]}')
awk -F, -v cut="$CUT" 'NR == 1 || $4 < cut' "$TODAY" > "$WORK/yesterday.csv"
echo "yesterday: $(($(wc -l < "$WORK/yesterday.csv") - 1)) ratings before timestamp $CUT; today: $(($(wc -l < "$TODAY") - 1))" >&2
# The class-data-sharing archive exists before any timed run (see whole-process.sh).
./submit.sh train --input data/toy/ratings.csv --output "$WORK/warmup" >/dev/null 2>&1

now() { date +%s.%N; }
train() { # label, input, extra --set arguments...: trains, prints the wall seconds
  local label="$1" input="$2"; shift 2
  local t0 t1
  t0=$(now)
  ./submit.sh train --master 'local[2]' --input "$input" --output "$WORK/$label" --set rank="$RANK" \
    --set reg_param="$REG" --set validation_fraction=0.1 --set num_user_blocks=2 --set num_item_blocks=2 "$@" \
    >"$WORK/$label.log" 2>&1
  t1=$(now)
  echo "$t1 - $t0" | bc
}
history() { # model dir: "iteration validation_rmse seconds" per line
  python3 -c 'import json,sys; [print(h["iteration"], h["validation_rmse"], h["seconds"]) for h in json.load(open(sys.argv[1]))["history"]]' "$1/model.json"
}
train yesterday "$WORK/yesterday.csv" --set max_iter="$ITERS" >/dev/null
T_COLD=$(train cold "$TODAY" --set max_iter="$ITERS")
T_WARM=$(train warm "$TODAY" --set max_iter="$ITERS" --set init_model="$WORK/yesterday")
COLD_FINAL=$(history "$WORK/cold" | tail -n 1 | cut -d' ' -f2)
N=$(history "$WORK/warm" | awk -v goal="$COLD_FINAL" '$2 <= goal * 1.01 {print $1; exit}')
N="${N:-$ITERS}"
rm -rf "$WORK/warm-n"
T_WARM_N=$(train warm-n "$TODAY" --set max_iter="$N" --set init_model="$WORK/yesterday")
t0=$(now)
java "${FLAGS[@]}" -cp "$JAR:$CP" org.apache.spark.deploy.SparkSubmit --master 'local[2]' \
  --properties-file conf/spark-defaults.conf --class io.blockals.bench.MllibProgram "$JAR" \
  "$TODAY" "$WORK/mllib" "$RANK" "$ITERS" "$REG" >/dev/null 2>&1
T_MLLIB=$(echo "$(now) - $t0" | bc)

echo
echo "validation RMSE per iteration ($RATINGS ratings, rank $RANK, reg_param $REG; cold's final x 1.01 = $(echo "$COLD_FINAL * 1.01" | bc -l | cut -c1-6))"
echo "| iteration | cold | warm | cold s | warm s |"
echo "|---:|---:|---:|---:|---:|"
paste -d' ' <(history "$WORK/cold") <(history "$WORK/warm") \
  | awk '{printf "| %d | %.4f | %.4f | %.2f | %.2f |\n", $1, $2, $5, $3, $6}'
echo
echo "| process | iterations | wall s | / cold | / MLlib |"
echo "|---|---:|---:|---:|---:|"
row() { printf '| %s | %s | %.1f | %.2f | %.2f |\n' "$1" "$2" "$3" "$(echo "$3 / $T_COLD" | bc -l)" "$(echo "$3 / $T_MLLIB" | bc -l)"; }
row "blockals cold" "$ITERS" "$T_COLD"
row "blockals warm" "$ITERS" "$T_WARM"
row "blockals warm, stopped at cold's RMSE + 1%" "$N" "$T_WARM_N"
row "MLlib program, cold" "$ITERS" "$T_MLLIB"
echo "warm reaches cold's final validation RMSE ($COLD_FINAL) within 1% at iteration $N"
