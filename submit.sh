#!/usr/bin/env bash
# blockals launcher: the one entry point for people and schedulers.
#
#   ./submit.sh <command> [options]       command: train | evaluate | score | generate | bench  (--help on each)
#
# With SPARK_HOME set (or spark-submit on the PATH) it runs the real spark-submit with the application jar
# (Spark not bundled) and conf/spark-defaults.conf; --master, --deploy-mode and --conf are passed to spark-submit.
# Without a Spark installation it runs Spark's own SparkSubmit from the project's Maven dependencies, in local
# mode unless --master says otherwise. The jar and the class path are built on first use.
#
# Settings come from conf/ and the environment, never from editing this file:
#   BLOCKALS_CONF_DIR   folder with spark-defaults.conf and log4j2.properties (default: conf/ beside this script)
#   BLOCKALS_JAR        application jar to use (default: target/blockals-*.jar, built if missing)
#   SPARK_HOME          a Spark installation to submit with
#   JAVA_HOME           the JDK for local runs (Java 17+)
# Exit codes are the job's: 0 ok, 1 unexpected failure, 2 usage/config, 3 input rejected, 4 quality gate.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CONF_DIR="${BLOCKALS_CONF_DIR:-$HERE/conf}"
COMMANDS="train evaluate score generate bench"

usage() {
  echo "usage: $0 <command> [options]   (commands: ${COMMANDS// /, }; '$0 <command> --help' for its options)" >&2
  echo "       spark-submit options accepted anywhere: --master URL, --deploy-mode client|cluster, --conf K=V" >&2
}

if [[ $# -eq 0 ]]; then
  usage
  exit 2
fi
case "$1" in
  -h|--help) usage; exit 0 ;;
esac
COMMAND="$1"
shift
if [[ " $COMMANDS " != *" $COMMAND "* ]]; then
  echo "blockals: unknown command '$COMMAND'" >&2
  usage
  exit 2
fi
for f in "$CONF_DIR/spark-defaults.conf" "$CONF_DIR/log4j2.properties"; do
  if [[ ! -f "$f" ]]; then
    echo "blockals: missing $f (set BLOCKALS_CONF_DIR to a folder holding spark-defaults.conf and log4j2.properties)" >&2
    exit 2
  fi
done

# Split spark-submit's own options from the job's.
MASTER=""
DEPLOY_MODE=""
SPARK_CONFS=()
JOB_ARGS=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --master) [[ $# -ge 2 ]] || { echo "blockals: --master needs a value" >&2; exit 2; }; MASTER="$2"; shift 2 ;;
    --master=*) MASTER="${1#*=}"; shift ;;
    --deploy-mode) [[ $# -ge 2 ]] || { echo "blockals: --deploy-mode needs a value" >&2; exit 2; }; DEPLOY_MODE="$2"; shift 2 ;;
    --deploy-mode=*) DEPLOY_MODE="${1#*=}"; shift ;;
    --conf) [[ $# -ge 2 ]] || { echo "blockals: --conf needs KEY=VALUE" >&2; exit 2; }; SPARK_CONFS+=(--conf "$2"); shift 2 ;;
    --conf=*) SPARK_CONFS+=(--conf "${1#*=}"); shift ;;
    *) JOB_ARGS+=("$1"); shift ;;
  esac
done
if [[ -n "$DEPLOY_MODE" && "$DEPLOY_MODE" != client && "$DEPLOY_MODE" != cluster ]]; then
  echo "blockals: --deploy-mode must be client or cluster, not '$DEPLOY_MODE'" >&2
  exit 2
fi

# The flags Spark's launcher adds on Java 17+; needed by every JVM that runs Spark.
JAVA_FLAGS=(-XX:+IgnoreUnrecognizedVMOptions
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED
  --add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED
  -Djdk.reflect.useDirectMethodHandle=false)
LOG_FLAG="-Dlog4j2.configurationFile=file:$CONF_DIR/log4j2.properties"

# The application jar: built on first use (or when sources are newer), with progress shown.
find_jar() { ls "$HERE"/target/blockals-*.jar 2>/dev/null | grep -v -e '-sources' -e 'original-' | head -n 1 || true; }
JAR="${BLOCKALS_JAR:-}"
if [[ -z "$JAR" ]]; then
  JAR="$(find_jar)"
  if [[ -z "$JAR" || -n "$(find "$HERE/src/main" "$HERE/pom.xml" -newer "$JAR" -type f 2>/dev/null | head -n 1)" ]]; then
    echo "blockals: building the application jar (mvn package, tests skipped; first time takes a minute)..." >&2
    (cd "$HERE" && mvn -B -q -DskipTests package) >&2 || { echo "blockals: the build failed (see above)" >&2; exit 1; }
    JAR="$(find_jar)"
  fi
fi
if [[ ! -f "$JAR" ]]; then
  echo "blockals: application jar not found: $JAR" >&2
  exit 2
fi

SUBMIT_OPTS=(--class io.blockals.cli.Main --name "blockals $COMMAND" --properties-file "$CONF_DIR/spark-defaults.conf")
[[ -n "$MASTER" ]] && SUBMIT_OPTS+=(--master "$MASTER")
[[ -n "$DEPLOY_MODE" ]] && SUBMIT_OPTS+=(--deploy-mode "$DEPLOY_MODE")
SUBMIT_OPTS+=(${SPARK_CONFS[@]+"${SPARK_CONFS[@]}"})
EXEC_OPTS="${JAVA_FLAGS[*]} $LOG_FLAG"
SUBMIT_OPTS+=(--conf "spark.driver.extraJavaOptions=$EXEC_OPTS" --conf "spark.executor.extraJavaOptions=$EXEC_OPTS"
  --files "$CONF_DIR/log4j2.properties")

SPARK_SUBMIT=""
if [[ -n "${SPARK_HOME:-}" && -x "$SPARK_HOME/bin/spark-submit" ]]; then
  SPARK_SUBMIT="$SPARK_HOME/bin/spark-submit"
elif command -v spark-submit >/dev/null 2>&1; then
  SPARK_SUBMIT="$(command -v spark-submit)"
fi

set +e
if [[ -n "$SPARK_SUBMIT" ]]; then
  "$SPARK_SUBMIT" "${SUBMIT_OPTS[@]}" "$JAR" "$COMMAND" ${JOB_ARGS[@]+"${JOB_ARGS[@]}"}
  code=$?
else
  # No Spark installation: Spark's own SparkSubmit from the Maven dependencies (compile scope includes the
  # provided Spark jars). The class path is resolved once and cached next to the jar.
  CP_FILE="$HERE/target/runtime-classpath.txt"
  if [[ ! -s "$CP_FILE" || "$HERE/pom.xml" -nt "$CP_FILE" ]]; then
    echo "blockals: resolving Spark from Maven (first time only)..." >&2
    (cd "$HERE" && mvn -B -q dependency:build-classpath -Dmdep.includeScope=compile -Dmdep.outputFile="$CP_FILE") >&2 \
      || { echo "blockals: could not resolve the class path (see above)" >&2; exit 1; }
  fi
  JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
  # In a plain JVM the driver heap must be set at start: take spark.driver.memory from the defaults file.
  HEAP="$(awk '$1 == "spark.driver.memory" {print $2}' "$CP_FILE" "$CONF_DIR/spark-defaults.conf" 2>/dev/null | tail -n 1)"
  [[ -z "$MASTER" ]] && SUBMIT_OPTS+=(--master "local[*]")
  "$JAVA" ${HEAP:+-Xmx$HEAP} "${JAVA_FLAGS[@]}" "$LOG_FLAG" -cp "$JAR:$(cat "$CP_FILE")" \
    org.apache.spark.deploy.SparkSubmit "${SUBMIT_OPTS[@]}" "$JAR" "$COMMAND" ${JOB_ARGS[@]+"${JOB_ARGS[@]}"}
  code=$?
fi
exit $code
