#!/usr/bin/env bash
# recommend and similar-items against their baselines, each side a whole process on local[2], in one run:
#   recommend (top-10, seen items excluded)  vs  MLlib ALSModel.recommendForAllUsers(10) + Parquet (no filter)
#   similar-items (top-10 cosine)            vs  a Spark SQL cross join of all item pairs + window rank
# The model is rank 32 over 60k users x 20k items trained on 2.4M ratings. Data, model and the MLlib copy of the
# model are made first and not timed. Usage: bench/serve-bench.sh [WORK_DIR]
set -euo pipefail
HERE="$(cd "$(dirname "$0")/.." && pwd)"
WORK="${1:-/tmp/blockals-serve-bench}"
MASTER="local[2]"
mkdir -p "$WORK"
cd "$HERE"

run() { # label, command...: prints the wall-clock seconds of one whole process
  local label="$1"; shift
  local t0 t1
  t0=$(date +%s.%N)
  "$@" >"$WORK/$label.log" 2>&1
  t1=$(date +%s.%N)
  echo "$label $(echo "$t1 - $t0" | bc)"
}

if [[ ! -d "$WORK/ratings" ]]; then
  ./submit.sh generate --output "$WORK/ratings" --users 60000 --items 20000 --ratings 2400000 --rank 32 --int-ids
fi
if [[ ! -f "$WORK/model/_SUCCESS" ]]; then
  ./submit.sh train --master "$MASTER" --input "$WORK/ratings" --output "$WORK/model" --set rank=32
fi
# The baseline class runs through spark-submit like blockals (same jar and class path).
JAR="$(ls "$HERE"/target/blockals-*.jar | grep -v -e sources -e javadoc | head -1)"
CP="$JAR:$(cat "$HERE/target/runtime-classpath.txt")"
JAVA_OPTS=(-XX:+UseParallelGC --add-modules=jdk.incubator.vector -Dspark.master="$MASTER" -Dspark.driver.memory=4g)
baseline() { java "${JAVA_OPTS[@]}" -cp "$CP" io.blockals.bench.ServeBaseline "$@"; }
if [[ ! -d "$WORK/mllib-model" ]]; then
  baseline prepare "$WORK/model" "$WORK/mllib-model" >"$WORK/prepare.log" 2>&1
fi
rm -rf "$WORK/out-mllib" "$WORK/out-sql"
run blockals-recommend ./submit.sh recommend --master "$MASTER" --model "$WORK/model" --top-k 10 \
  --exclude-seen "$WORK/ratings" --output "$WORK/out-recommend"
run mllib-recommend baseline mllib-recommend "$WORK/mllib-model" 10 "$WORK/out-mllib"
run blockals-similar ./submit.sh similar-items --master "$MASTER" --model "$WORK/model" --top-k 10 \
  --output "$WORK/out-similar"
run sql-similar baseline sql-similar "$WORK/model" 10 "$WORK/out-sql"
