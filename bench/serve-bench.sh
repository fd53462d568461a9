#!/usr/bin/env bash
# recommend and similar-items against their baselines, each side a whole process on local[2], in one run:
#   recommend (top-10, seen items excluded)  vs  MLlib ALSModel.recommendForAllUsers(10) + Parquet (no filter)
#   similar-items (top-10 cosine)            vs  a Spark SQL cross join of all item pairs + window rank
# The model is rank 32 over 60k users x 20k items trained on 2.4M ratings. Data, model and the MLlib copy of the
# model are made first and not timed. Usage: bench/serve-bench.sh [WORK_DIR]
# SERVE_BENCH_USERS, _ITEMS, _RATINGS and _RANK change the sizes (a smoke run on tiny ones, in a WORK_DIR of its own);
# SERVE_BENCH_ROUNDS (default 1) repeats the timed processes, alternating the sides; SERVE_BENCH_SQL=0 leaves out the
# cross-join baseline, which takes tens of minutes at the full size.
set -euo pipefail
HERE="$(cd "$(dirname "$0")/.." && pwd)"
WORK="${1:-/tmp/blockals-serve-bench}"
MASTER="local[2]"
USERS="${SERVE_BENCH_USERS:-60000}"
ITEMS="${SERVE_BENCH_ITEMS:-20000}"
RATINGS="${SERVE_BENCH_RATINGS:-2400000}"
RANK="${SERVE_BENCH_RANK:-32}"
ROUNDS="${SERVE_BENCH_ROUNDS:-1}"
SQL="${SERVE_BENCH_SQL:-1}"
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
  ./submit.sh generate --output "$WORK/ratings" --users "$USERS" --items "$ITEMS" --ratings "$RATINGS" --rank "$RANK" \
    --int-ids
fi
# The ratings file alone: the folder also holds generator.json.
INPUT="$WORK/ratings/train.csv"
if [[ ! -f "$WORK/model/_SUCCESS" ]]; then
  ./submit.sh train --master "$MASTER" --input "$INPUT" --output "$WORK/model" --set rank="$RANK"
fi
# The baseline class runs through spark-submit like blockals (same jar and class path).
JAR="$(ls "$HERE"/target/blockals-*.jar | grep -v -e sources -e javadoc | head -1)"
CP="$JAR:$(cat "$HERE/target/runtime-classpath.txt")"
# A plain JVM, so it needs the --add-opens flags Spark's launcher would add on Java 17, and its heap as -Xmx (a
# spark.driver.memory property is read only by a launcher).
JAVA_OPTS=(-XX:+UseParallelGC -Xmx4g -XX:+IgnoreUnrecognizedVMOptions -Djdk.reflect.useDirectMethodHandle=false
  --add-modules=jdk.incubator.vector -Dspark.master="$MASTER")
for p in java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util java.util.concurrent \
    java.util.concurrent.atomic jdk.internal.ref sun.nio.ch sun.nio.cs sun.security.action sun.util.calendar; do
  JAVA_OPTS+=("--add-opens=java.base/$p=ALL-UNNAMED")
done
baseline() { java "${JAVA_OPTS[@]}" -cp "$CP" io.blockals.bench.ServeBaseline "$@"; }
if [[ ! -d "$WORK/mllib-model" ]]; then
  baseline prepare "$WORK/model" "$WORK/mllib-model" >"$WORK/prepare.log" 2>&1
fi
for round in $(seq 1 "$ROUNDS"); do
  rm -rf "$WORK/out-recommend" "$WORK/out-mllib" "$WORK/out-similar" "$WORK/out-sql"
  run blockals-recommend ./submit.sh recommend --master "$MASTER" --model "$WORK/model" --top-k 10 \
    --exclude-seen "$INPUT" --output "$WORK/out-recommend"
  run mllib-recommend baseline mllib-recommend "$WORK/mllib-model" 10 "$WORK/out-mllib"
  run blockals-similar ./submit.sh similar-items --master "$MASTER" --model "$WORK/model" --top-k 10 \
    --output "$WORK/out-similar"
  if [[ "$SQL" == 1 ]]; then
    run sql-similar baseline sql-similar "$WORK/model" 10 "$WORK/out-sql"
  fi
done
