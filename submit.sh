#!/usr/bin/env bash
# blockals launcher: the one entry point for people and schedulers.
#
#   ./submit.sh <command> [spark-submit options] [command options]
#   command: train | evaluate | score | recommend | similar-items | export | generate | bench   ('./submit.sh <command> --help' lists its options)
#
# With SPARK_HOME set (or spark-submit on the PATH) it runs that spark-submit with the application jar (Spark is not
# bundled), conf/spark-defaults.conf on top of the installation's own spark-defaults.conf, and the spark-submit
# options listed in usage() below, so standalone, YARN and Kubernetes masters work as with spark-submit itself.
# Without a Spark installation it runs Spark's own SparkSubmit from the project's Maven dependencies, in local mode
# unless --master says otherwise; the jar and its class path are built on first use.
#
# Settings come from conf/ and the environment, never from editing this file:
#   BLOCKALS_CONF_DIR   folder with spark-defaults.conf and log4j2.properties (default: conf/ beside this script)
#   BLOCKALS_JAR        application jar (default: target/blockals-*.jar, built when missing or older than src/).
#                       May be a URI (hdfs://, s3a://, local://) when a Spark installation submits it.
#   SPARK_HOME          a Spark 4.x (Scala 2.13) installation to submit with
#   JAVA_HOME           the JDK (17+) for runs without a Spark installation
#   SPARK_SUBMIT_OPTS   extra JVM options for the submitting JVM (the driver in client mode), as with spark-submit
#   BLOCKALS_CDS        auto (default) | off: without a Spark installation, keep a class-data-sharing archive of the
#                       driver's classes beside the jar (blockals-cds.jsa, made by the first run) to start faster
# Exit codes are the job's, forwarded unchanged: 0 ok, 1 unexpected failure, 2 usage/config, 3 input rejected,
# 4 quality gate. This script itself exits 2 on a usage error, before any JVM starts.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CONF_DIR="${BLOCKALS_CONF_DIR:-$HERE/conf}"
COMMANDS="train evaluate split tune score recommend similar-items export generate bench"
# spark-submit options that take a value and are passed through unchanged. None of them is a blockals option.
PASSTHROUGH="--driver-memory --driver-cores --executor-memory --executor-cores --num-executors --total-executor-cores
  --queue --name --jars --files --archives --packages --repositories --exclude-packages --driver-class-path
  --driver-library-path --driver-java-options --proxy-user --principal --keytab"

usage() {
  echo "usage: $0 <command> [--master URL] [--deploy-mode client|cluster] [--conf K=V]... [command options]" >&2
  echo "       commands: ${COMMANDS// /, } ('$0 <command> --help' for its options)" >&2
  echo "       also passed to spark-submit: $(echo $PASSTHROUGH)" >&2
}

# A usage error: one line saying what is wrong, the usage, exit 2 (before any JVM has started).
bad() {
  echo "blockals: $*" >&2
  usage
  exit 2
}

[[ $# -gt 0 ]] || bad "missing command"
case "$1" in
  -h|--help) usage; exit 0 ;;
esac
COMMAND="$1"
shift
[[ " $COMMANDS " == *" $COMMAND "* ]] || bad "unknown command '$COMMAND'"
for f in "$CONF_DIR/spark-defaults.conf" "$CONF_DIR/log4j2.properties"; do
  [[ -f "$f" ]] || bad "missing $f (set BLOCKALS_CONF_DIR to a folder holding spark-defaults.conf and log4j2.properties)"
done

# Split spark-submit's options from the job's. --opt value and --opt=value are both accepted, as spark-submit does.
MASTER=""
DEPLOY_MODE=""
DRIVER_MEMORY=""
DRIVER_JAVA_OPTIONS=""
SUBMIT_ARGS=()
JOB_ARGS=()
while [[ $# -gt 0 ]]; do
  opt="$1"
  case "$opt" in
    --*=*) name="${opt%%=*}"; value="${opt#*=}"; has_inline=1 ;;
    *) name="$opt"; value=""; has_inline=0 ;;
  esac
  if [[ "$name" == --master || "$name" == --deploy-mode || "$name" == --conf || " $(echo $PASSTHROUGH) " == *" $name "* ]]; then
    if [[ $has_inline -eq 0 ]]; then
      [[ $# -ge 2 && -n "$2" ]] || bad "$name needs a value"
      value="$2"
      shift 2
    else
      shift
    fi
    case "$name" in
      --master) MASTER="$value" ;;
      --deploy-mode) DEPLOY_MODE="$value" ;;
      --conf)
        [[ "$value" == ?*=* ]] || bad "--conf needs KEY=VALUE, not '$value'"
        [[ "$value" == spark.driver.memory=* ]] && DRIVER_MEMORY="${value#*=}"
        # Kept aside: merged with the --add-opens flags below (spark-submit's --driver-java-options wins over it).
        if [[ "$value" == spark.driver.extraJavaOptions=* ]]; then
          [[ -n "$DRIVER_JAVA_OPTIONS" ]] || DRIVER_JAVA_OPTIONS="${value#*=}"
        else
          SUBMIT_ARGS+=(--conf "$value")
        fi ;;
      --driver-java-options) DRIVER_JAVA_OPTIONS="$value" ;;
      --driver-memory) DRIVER_MEMORY="$value"; SUBMIT_ARGS+=("$name" "$value") ;;
      *) SUBMIT_ARGS+=("$name" "$value") ;;
    esac
  else
    JOB_ARGS+=("$opt")
    shift
  fi
done

case "$MASTER" in
  ""|local|local\[*\]|local-cluster\[*\]|spark://?*|yarn|k8s://?*) ;;
  *) bad "--master must be local[N], spark://host:port, yarn or k8s://https://host:port, not '$MASTER'" ;;
esac
case "$DEPLOY_MODE" in
  ""|client|cluster) ;;
  *) bad "--deploy-mode must be client or cluster, not '$DEPLOY_MODE'" ;;
esac
if [[ "$DEPLOY_MODE" == cluster && ( "$MASTER" == local* ) ]]; then
  bad "--deploy-mode cluster needs a cluster master (spark://, yarn, k8s://), not '$MASTER'"
fi
if [[ -n "$DRIVER_MEMORY" && ! "$DRIVER_MEMORY" =~ ^[0-9]+[kKmMgGtT]?[bB]?$ ]]; then
  bad "driver memory must look like 512m or 4g, not '$DRIVER_MEMORY'"
fi
if [[ "$DEPLOY_MODE" == cluster ]]; then
  # The driver runs on a cluster machine, in a working folder of its own: a relative path would name a different
  # (usually missing) file there.
  prev=""
  for a in ${JOB_ARGS[@]+"${JOB_ARGS[@]}"}; do
    case "$prev" in
      --input|--output|--model|--test|--pairs|--config|--exclude-seen|--for-ratings|--users|--items)
        [[ "$a" == /* || "$a" == *://* || "$a" == *:/* ]] \
          || bad "in cluster deploy mode $prev must be an absolute path or a URI (hdfs://, s3a://, file:///), not '$a'" ;;
    esac
    prev="$a"
  done
fi

# The Spark installation, if any.
SPARK_SUBMIT=""
if [[ -n "${SPARK_HOME:-}" && -x "$SPARK_HOME/bin/spark-submit" ]]; then
  SPARK_SUBMIT="$SPARK_HOME/bin/spark-submit"
elif command -v spark-submit >/dev/null 2>&1; then
  SPARK_SUBMIT="$(command -v spark-submit)"
fi
if [[ -z "$SPARK_SUBMIT" ]]; then
  # The project's class path has Spark core, SQL and MLlib, not the YARN or Kubernetes resource managers.
  case "$MASTER" in
    yarn|k8s://*) bad "--master $MASTER needs a Spark installation with YARN/Kubernetes support: set SPARK_HOME" ;;
  esac
  JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
  command -v "$JAVA" >/dev/null 2>&1 || bad "no java found: set JAVA_HOME to a JDK 17 or put java on the PATH"
fi

# The application jar, built on first use (or when the sources are newer), with Maven's progress shown.
find_jar() { ls "$HERE"/target/blockals-*.jar 2>/dev/null | grep -v -e '-sources' -e '/original-' | head -n 1 || true; }
JAR="${BLOCKALS_JAR:-}"
if [[ -z "$JAR" ]]; then
  JAR="$(find_jar)"
  if [[ -z "$JAR" || ! -s "$HERE/target/runtime-classpath.txt" \
        || -n "$(find "$HERE/src/main" "$HERE/pom.xml" -newer "$JAR" -type f 2>/dev/null | head -n 1)" ]]; then
    # Maven's own output (downloads, the shade plugin's notes on overlapping resources) goes to a log: one line
    # here, and the log's tail if the build fails.
    mkdir -p "$HERE/target"
    BUILD_LOG="$HERE/target/build.log"
    echo "blockals: building the application jar (mvn package, tests skipped; the first time downloads Spark" \
      "and takes a few minutes; log: $BUILD_LOG)..." >&2
    if ! (cd "$HERE" && mvn -B -DskipTests package) >"$BUILD_LOG" 2>&1; then
      tail -n 40 "$BUILD_LOG" >&2
      echo "blockals: the build failed (the whole log: $BUILD_LOG)" >&2
      exit 1
    fi
    JAR="$(find_jar)"
  fi
  [[ -f "$JAR" ]] || { echo "blockals: the build made no application jar in $HERE/target" >&2; exit 1; }
elif [[ "$JAR" != *://* && ! -f "$JAR" ]]; then
  bad "BLOCKALS_JAR names no file: $JAR"
fi

# The flags Spark's own launcher adds on Java 17+. spark-submit adds them to the driver in client mode and Spark adds
# them to executors itself; a driver that a cluster manager starts in cluster deploy mode gets them from here. The
# last one, the Vector API module for the small-rank kernel, is blockals' own (conf/spark-defaults.conf gives it to
# executors and client-mode drivers).
JAVA_FLAGS="-XX:+IgnoreUnrecognizedVMOptions
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED
  --add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED
  -Djdk.reflect.useDirectMethodHandle=false --add-modules=jdk.incubator.vector"
JAVA_FLAGS="$(echo $JAVA_FLAGS)"
# The driver logs with conf/log4j2.properties when it runs here (client mode); a cluster's own logging is left alone.
LOG_FLAG="-Dlog4j2.configurationFile=file:$CONF_DIR/log4j2.properties"

SUBMIT_OPTS=(--class io.blockals.cli.Main --name "blockals $COMMAND" --properties-file "$CONF_DIR/spark-defaults.conf")
[[ -n "$MASTER" ]] && SUBMIT_OPTS+=(--master "$MASTER")
[[ -n "$DEPLOY_MODE" ]] && SUBMIT_OPTS+=(--deploy-mode "$DEPLOY_MODE")
SUBMIT_OPTS+=(${SUBMIT_ARGS[@]+"${SUBMIT_ARGS[@]}"})
if [[ "$DEPLOY_MODE" == cluster ]]; then
  # Standalone's cluster-mode client starts the driver with spark.driver.extraJavaOptions only (found in the cluster
  # test: spark.driver.defaultJavaOptions is not applied there), so the flags go in front of the user's own options.
  SUBMIT_OPTS+=(--driver-java-options "$JAVA_FLAGS${DRIVER_JAVA_OPTIONS:+ $DRIVER_JAVA_OPTIONS}")
elif [[ -n "$DRIVER_JAVA_OPTIONS" ]]; then
  SUBMIT_OPTS+=(--driver-java-options "$DRIVER_JAVA_OPTIONS")
fi

if [[ -n "$SPARK_SUBMIT" ]]; then
  # --load-spark-defaults (Spark 4) keeps the installation's spark-defaults.conf (event log, YARN jars, k8s image)
  # under conf/spark-defaults.conf, which only sets what blockals needs.
  export SPARK_SUBMIT_OPTS="${SPARK_SUBMIT_OPTS:+$SPARK_SUBMIT_OPTS }$LOG_FLAG"
  exec "$SPARK_SUBMIT" --load-spark-defaults "${SUBMIT_OPTS[@]}" "$JAR" "$COMMAND" ${JOB_ARGS[@]+"${JOB_ARGS[@]}"}
fi

# No Spark installation: Spark's SparkSubmit from the Maven dependencies (runtime-classpath.txt, written by
# `mvn package` beside the jar, includes the provided Spark jars). This JVM is the driver in client mode, so its
# heap is the driver memory: --driver-memory, else --conf spark.driver.memory, else the defaults file.
CP_FILE="$(dirname "$JAR")/runtime-classpath.txt"
[[ -s "$CP_FILE" ]] || bad "no $CP_FILE beside the jar: run 'mvn package' or set SPARK_HOME"
if [[ -z "$DRIVER_MEMORY" ]]; then
  DRIVER_MEMORY="$(awk '$1 == "spark.driver.memory" {print $2}' "$CONF_DIR/spark-defaults.conf" | tail -n 1)"
fi
DRIVER_JVM=()
# In cluster deploy mode this JVM only hands the driver to the master and waits; otherwise it is the driver.
if [[ "$DEPLOY_MODE" != cluster ]]; then
  # The whole heap committed from the start (-Xms): the young generation has its full size from the first
  # collection instead of growing through several, each copying the live blocks. Pages are only touched when used.
  [[ -n "$DRIVER_MEMORY" ]] && DRIVER_JVM+=("-Xms${DRIVER_MEMORY%[bB]}" "-Xmx${DRIVER_MEMORY%[bB]}")
  # This JVM is already the driver, so the defaults file's driver options are applied here, as spark-submit would.
  DEFAULT_OPTS="$(awk '$1 == "spark.driver.defaultJavaOptions" {$1 = ""; print}' "$CONF_DIR/spark-defaults.conf" | tail -n 1)"
  # shellcheck disable=SC2206 # a list of JVM options
  [[ -n "${DEFAULT_OPTS// /}" ]] && DRIVER_JVM+=($DEFAULT_OPTS)
  # shellcheck disable=SC2206 # a list of JVM options, split as spark-submit splits it
  [[ -n "$DRIVER_JAVA_OPTIONS" ]] && DRIVER_JVM+=($DRIVER_JAVA_OPTIONS)
fi
[[ -z "$MASTER" ]] && SUBMIT_OPTS+=(--master "local[*]")

# Class-data sharing: Spark's driver loads ~15k classes, and loading and verifying them is several seconds of every
# run (a 3M-rating train: 16.5-17.7 s without, 13.4-14.6 s with the archive). The first train run writes an archive
# of the classes it loaded beside the jar (this costs that run about 15 s once); later runs of any command map it.
# The archive is rebuilt when the jar, the class path or the JDK changes; the JVM ignores an archive it cannot use.
# BLOCKALS_CDS=off turns this off.
CDS_ARCHIVE="$(dirname "$JAR")/blockals-cds.jsa"
CDS_FLAGS=()
CDS_PART=""
JAVA_BIN="$(readlink -f "$(command -v "$JAVA")" 2>/dev/null || true)"
case "${BLOCKALS_CDS:-auto}" in
  off) ;;
  auto)
    if [[ "$DEPLOY_MODE" != cluster && -n "$JAVA_BIN" ]]; then
      if [[ -s "$CDS_ARCHIVE" && "$CDS_ARCHIVE" -nt "$JAR" && "$CDS_ARCHIVE" -nt "$CP_FILE" \
            && "$CDS_ARCHIVE" -nt "$JAVA_BIN" ]]; then
        CDS_FLAGS=("-XX:SharedArchiveFile=$CDS_ARCHIVE" -Xshare:auto -Xlog:cds=off -Xlog:cds+dynamic=off)
      elif [[ "$COMMAND" == train && -w "$(dirname "$JAR")" ]]; then
        # Written under a name of this run's own and renamed when the JVM is done, so a concurrent run never maps
        # a half-written archive; leftovers of killed runs are cleared after a day.
        find "$(dirname "$JAR")" -maxdepth 1 -name 'blockals-cds.jsa.*.part' -mmin +1440 -delete 2>/dev/null || true
        CDS_PART="$CDS_ARCHIVE.$$.part"
        CDS_FLAGS=("-XX:ArchiveClassesAtExit=$CDS_PART" -Xlog:cds=off -Xlog:cds+dynamic=off)
      fi
    fi ;;
  *) bad "BLOCKALS_CDS must be auto or off, not '$BLOCKALS_CDS'" ;;
esac

# shellcheck disable=SC2086 # JAVA_FLAGS and SPARK_SUBMIT_OPTS are lists of JVM options
DRIVER_CMD=("$JAVA" $JAVA_FLAGS ${DRIVER_JVM[@]+"${DRIVER_JVM[@]}"} ${CDS_FLAGS[@]+"${CDS_FLAGS[@]}"} \
  ${SPARK_SUBMIT_OPTS:-} "$LOG_FLAG" -cp "$JAR:$(cat "$CP_FILE")" \
  org.apache.spark.deploy.SparkSubmit "${SUBMIT_OPTS[@]}" "$JAR" "$COMMAND" ${JOB_ARGS[@]+"${JOB_ARGS[@]}"})
if [[ -z "$CDS_PART" ]]; then
  exec "${DRIVER_CMD[@]}"
fi
# The archive-writing run: the JVM runs as a child so the archive can be renamed into place after it exits.
# SIGTERM/SIGINT/SIGHUP are passed on, so a scheduler stopping this script stops the job as it would with exec.
set +e
"${DRIVER_CMD[@]}" &
DRIVER_PID=$!
trap 'kill -TERM "$DRIVER_PID" 2>/dev/null' TERM INT HUP
wait "$DRIVER_PID"
RC=$?
while kill -0 "$DRIVER_PID" 2>/dev/null; do
  wait "$DRIVER_PID"
  RC=$?
done
# A JVM that ended by a signal (RC > 128) may not have finished writing the archive, and a JVM that maps a truncated
# archive crashes, so the archive is promoted only if a JVM with the same class path and options maps it (-Xshare:on
# fails rather than falling back when it cannot).
# shellcheck disable=SC2086 # JAVA_FLAGS is a list of JVM options
if [[ $RC -lt 128 && -s "$CDS_PART" ]] && "$JAVA" $JAVA_FLAGS ${DRIVER_JVM[@]+"${DRIVER_JVM[@]}"} \
    "-XX:SharedArchiveFile=$CDS_PART" -Xshare:on -Xlog:cds=off -Xlog:cds+dynamic=off -XX:ErrorFile=/dev/null \
    -XX:-CreateCoredumpOnCrash -cp "$JAR:$(cat "$CP_FILE")" -version >/dev/null 2>&1; then
  mv -f "$CDS_PART" "$CDS_ARCHIVE" 2>/dev/null || rm -f "$CDS_PART"
else
  rm -f "$CDS_PART"
fi
exit "$RC"
