#!/usr/bin/env bash
# Driver heap against the number of ratings, on a real Spark standalone cluster: the driver (client deploy mode, its
# own JVM) must not grow with the data, because nothing the size of the data is ever collected to it.
#
#   bench/driver-heap.sh [sizes=1000000,3000000,10000000] [driver-memory=1g]
#
# Starts a Master and one Worker (2 cores, 10g) on 127.0.0.1 from the Maven dependency jars, generates one CSV per size
# (ratings/40 users, ratings/150 items, string ids), runs `./submit.sh train` on each with the given driver heap and a
# GC log, prints the driver's largest heap in use before a collection and its largest live heap after one, and stops
# everything it started. Needs the jar built (mvn package).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SIZES="${1:-1000000,3000000,10000000}"
DRIVER_MEMORY="${2:-1g}"
WORK="$(mktemp -d /tmp/blockals-heap-XXXXXX)"
cd "$HERE"
read -r -a SPARK_FLAGS <<< "$(grep -o "<spark.jvm.flags>[^<]*" pom.xml | sed "s/<spark.jvm.flags>//")"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
MASTER_PORT="$(free_port)"
MASTER_UI="$(free_port)"
WORKER_PORT="$(free_port)"
WORKER_UI="$(free_port)"

# A SPARK_HOME whose jars/ are the runtime class path: the Worker builds executor class paths from it.
mkdir -p "$WORK/spark-home/jars" "$WORK/worker/local" "$WORK/logs"
tr ':' '\n' < target/runtime-classpath.txt | while read -r jar; do ln -s "$jar" "$WORK/spark-home/jars/"; done
export SPARK_HOME="$WORK/spark-home" SPARK_LOCAL_IP=127.0.0.1 SPARK_SCALA_VERSION=2.13
export JAVA_HOME="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  pkill -f "$WORK/spark-home" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

java -Xmx256m "${SPARK_FLAGS[@]}" -Dspark.master.rest.enabled=false -cp "$SPARK_HOME/jars/*" \
  org.apache.spark.deploy.master.Master --host 127.0.0.1 --port "$MASTER_PORT" --webui-port "$MASTER_UI" \
  > "$WORK/logs/master.log" 2>&1 &
PIDS+=($!)
sleep 3
SPARK_LOCAL_DIRS="$WORK/worker/local" java -Xmx256m "${SPARK_FLAGS[@]}" -Dspark.worker.cleanup.enabled=false \
  -cp "$SPARK_HOME/jars/*" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --port "$WORKER_PORT" \
  --webui-port "$WORKER_UI" --cores 2 --memory 10g --work-dir "$WORK/worker" "spark://127.0.0.1:$MASTER_PORT" \
  > "$WORK/logs/worker.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 60); do
  curl -s "http://127.0.0.1:$MASTER_UI/json/" | grep -q '"state" : "ALIVE"' && break
  sleep 1
done

# The Spark installation above is for the Workers only: submit.sh takes its SparkSubmit-from-Maven path.
for n in ${SIZES//,/ }; do
  env -u SPARK_HOME ./submit.sh generate --output "$WORK/data-$n" --users $((n / 40)) --items $((n / 150)) --ratings "$n" --rank 10 \
    --noise 0.3 --zipf 0.8 --user-skew 0.5 --test-fraction 0 --seed 42 >/dev/null 2>&1
  start=$(date +%s)
  env -u SPARK_HOME ./submit.sh train --master "spark://127.0.0.1:$MASTER_PORT" --driver-memory "$DRIVER_MEMORY" \
    --driver-java-options "-Xlog:gc:file=$WORK/gc-$n.log" --conf spark.executor.memory=8g \
    --conf spark.driver.host=127.0.0.1 --input "$WORK/data-$n/train.csv" --output "$WORK/model-$n" \
    --set rank=10 --set max_iter=10 --set num_user_blocks=2 --set num_item_blocks=2 > "$WORK/train-$n.log" 2>&1 \
    || { echo "train on $n ratings failed:" >&2; tail -20 "$WORK/train-$n.log" >&2; exit 1; }
  secs=$(( $(date +%s) - start ))
  python3 - "$WORK/gc-$n.log" "$n" "$secs" "$DRIVER_MEMORY" <<'EOF'
import re, sys
log, n, secs, mem = sys.argv[1:]
gcs = re.findall(r'Pause (Young|Full)[^\n]*?(\d+)M->(\d+)M\((\d+)M\)', open(log).read())
print(f"{int(n):>10} ratings: train {secs:>3} s with a {mem} driver heap; driver: {len(gcs)} collections, "
      f"at most {max(int(g[1]) for g in gcs)} MB in use before one, at most {max(int(g[2]) for g in gcs)} MB live "
      f"after one")
EOF
  rm -rf "$WORK/data-$n" "$WORK/model-$n"
done
