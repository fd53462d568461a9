#!/usr/bin/env bash
# Whole-process benchmark: `./submit.sh train` from JVM start to committed model, against the small MLlib program
# an MLlib user would write for the same job (io.blockals.bench.MllibProgram: read the CSV, StringIndexer, ALS.fit,
# write the factors), both through Spark's SparkSubmit on local[2], alternating, several rounds, on one CSV.
#
#   bench/whole-process.sh [ratings=3000000] [rank=10] [rounds=3] [explicit|implicit]
#
# Prints the wall seconds of every run, the median ratio blockals/MLlib, and blockals' phases per round from its log
# (start: JVM and Spark start until the job's clock starts, plus publish, Spark stop and JVM exit after it stops;
# set-up; iteration 1; iterations 2..n; factors written; the rest of the job: model.json, report, commit).
# implicit: play counts from `generate --implicit`, implicit=true and biases off for blockals, implicitPrefs for MLlib.
# Needs the jar built (mvn package).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RATINGS="${1:-3000000}"
RANK="${2:-10}"
ROUNDS="${3:-3}"
MODE="${4:-explicit}"
case "$MODE" in
  explicit) GEN_MODE=(); OURS_MODE=(); THEIRS_MODE=() ;;
  implicit) GEN_MODE=(--implicit); OURS_MODE=(--set implicit=true --set biases=false); THEIRS_MODE=(implicit) ;;
  *) echo "mode must be explicit or implicit, not '$MODE'" >&2; exit 2 ;;
esac
ITERS=10
REG=0.05
WORK="$(mktemp -d /tmp/blockals-whole-XXXXXX)"
trap 'rm -rf "$WORK"' EXIT

cd "$HERE"
JAR="$(ls target/blockals-*.jar | grep -v original | head -n 1)"
CP="$(cat target/runtime-classpath.txt)"
# The JVM flags Spark needs on Java 17, from the one place the build keeps them.
read -r -a SPARK_FLAGS <<< "$(grep -o "<spark.jvm.flags>[^<]*" pom.xml | sed "s/<spark.jvm.flags>//")"
USERS=$((RATINGS / 40))
ITEMS=$((RATINGS / 150))
echo "generating $RATINGS ratings ($USERS users, $ITEMS items, string ids) ..." >&2
./submit.sh generate --output "$WORK/data" --users "$USERS" --items "$ITEMS" --ratings "$RATINGS" --rank 10 \
  --noise 0.3 --zipf 0.8 --user-skew 0.5 --test-fraction 0 --seed 42 ${GEN_MODE[@]+"${GEN_MODE[@]}"} >&2
INPUT="$WORK/data/train.csv"

# The same driver JVM options submit.sh gives blockals (the heap committed from the start, the collector options of
# conf/spark-defaults.conf), so both run alike.
read -r -a DEFAULT_OPTS <<< "$(awk '$1 == "spark.driver.defaultJavaOptions" {$1 = ""; print}' conf/spark-defaults.conf)"
FLAGS=(-Xms4g -Xmx4g ${DEFAULT_OPTS[@]+"${DEFAULT_OPTS[@]}"} "${SPARK_FLAGS[@]}"
  -Dlog4j2.configurationFile=file:$HERE/conf/log4j2.properties)

# submit.sh keeps a class-data-sharing archive (BLOCKALS_CDS, default auto) made by its first train run; one untimed
# run on the toy data makes sure it exists, so that no timed round pays the one-time cost of writing it. Run the
# script with BLOCKALS_CDS=off to measure without it.
./submit.sh train --input data/toy/ratings.csv --output "$WORK/warmup" >/dev/null 2>&1

now() { date +%s.%N; }
# The phases of one blockals run from its log: seconds of set-up, iteration 1, iterations 2..n, factor writing and
# the whole job as the job times it.
phases() {
  awk '
    function secs(line,   m) { if (match(line, /\([0-9.]+ s\)/)) { m = substr(line, RSTART + 1, RLENGTH - 4); return m + 0 } return 0 }
    /set-up: /                    { setup = secs($0) }
    / iteration [0-9]+\/[0-9]+:/ { split($5, it, "/"); if (it[1] == 1) first = secs($0); else rest += secs($0) }
    /factors written/             { write = secs($0) }
    /model written to .* in [0-9.]+ s$/ { job = $(NF - 1) }
    END { printf "%.2f %.2f %.2f %.2f %.2f\n", setup, first, rest, write, job }' "$1"
}
declare -a B M P
for r in $(seq 1 "$ROUNDS"); do
  rm -rf "$WORK/ours" "$WORK/theirs"
  t0=$(now)
  ./submit.sh train --master 'local[2]' --input "$INPUT" --output "$WORK/ours" --set rank="$RANK" \
    --set max_iter="$ITERS" --set reg_param="$REG" --set num_user_blocks=2 --set num_item_blocks=2 \
    ${OURS_MODE[@]+"${OURS_MODE[@]}"} >"$WORK/ours.log" 2>&1
  t1=$(now)
  java "${FLAGS[@]}" -cp "$JAR:$CP" org.apache.spark.deploy.SparkSubmit --master 'local[2]' \
    --properties-file conf/spark-defaults.conf --class io.blockals.bench.MllibProgram "$JAR" \
    "$INPUT" "$WORK/theirs" "$RANK" "$ITERS" "$REG" ${THEIRS_MODE[@]+"${THEIRS_MODE[@]}"} >/dev/null 2>&1
  t2=$(now)
  B[$r]=$(echo "$t1 - $t0" | bc)
  M[$r]=$(echo "$t2 - $t1" | bc)
  P[$r]="$(phases "$WORK/ours.log")"
  printf 'round %d: blockals %.1f s, MLlib program %.1f s, ratio %.2f\n' "$r" "${B[$r]}" "${M[$r]}" \
    "$(echo "${B[$r]} / ${M[$r]}" | bc -l)"
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
mb=$(median "${B[@]}")
mm=$(median "${M[@]}")
printf 'median: blockals %.1f s, MLlib program %.1f s, blockals/MLlib %.2f (%d ratings, %s, rank %d, %d iterations, CDS %s)\n' \
  "$mb" "$mm" "$(echo "$mb / $mm" | bc -l)" "$RATINGS" "$MODE" "$RANK" "$ITERS" "${BLOCKALS_CDS:-auto}"
echo
echo "blockals phases, seconds (start = wall - job: JVM, Spark start and stop, publish)"
echo "| round | wall | start | set-up | iteration 1 | iterations 2-$ITERS | factors written | rest of job |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|"
for r in $(seq 1 "$ROUNDS"); do
  read -r setup first rest write job <<< "${P[$r]}"
  printf '| %d | %.2f | %.2f | %s | %s | %s | %s | %.2f |\n' "$r" "${B[$r]}" "$(echo "${B[$r]} - $job" | bc)" \
    "$setup" "$first" "$rest" "$write" "$(echo "$job - $setup - $first - $rest - $write" | bc)"
done
