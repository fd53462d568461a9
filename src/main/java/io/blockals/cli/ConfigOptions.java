package io.blockals.cli;

import io.blockals.config.JobConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Option;

/** {@code --config FILE} and {@code --set key=value}: how every command that reads ratings takes its settings. */
final class ConfigOptions {
  @Option(names = "--config", paramLabel = "FILE", description = "Job config (HOCON, JSON or .properties).")
  String config;

  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "Override one config key (repeatable), e.g. --set rank=20.")
  Map<String, String> overrides = new LinkedHashMap<>();

  /** Loads and validates, before any Spark work: a typo costs a second, not a cluster allocation. */
  JobConfig load() {
    return JobConfig.load(config, overrides, new Configuration());
  }
}
