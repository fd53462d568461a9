package io.blockals.model;

import java.util.Locale;

/**
 * How a run publishes its model.
 *
 * @param layout {@link Layout#PLAIN}: the output is the model directory; {@link Layout#DATED}: the output is a root
 *     holding one {@code run=<id>/} model per run and a {@code LATEST} pointer
 * @param runId the run id (recorded in model.json, and the folder name of the dated layout); null = generated
 * @param atomicRename whether the file system renames directories atomically; null = decide from the scheme
 *     ({@link ModelCommitter#hasAtomicRename(String)})
 */
public record PublishOptions(Layout layout, String runId, Boolean atomicRename) {

  /** The two output layouts. */
  public enum Layout {
    PLAIN, DATED;

    /** Parses {@code plain} or {@code dated}; null for anything else. */
    public static Layout parse(String s) {
      return switch (s.trim().toLowerCase(Locale.ROOT)) {
        case "plain" -> PLAIN;
        case "dated" -> DATED;
        default -> null;
      };
    }
  }

  /** The plain layout, a generated run id, rename semantics from the scheme. */
  public static PublishOptions defaults() {
    return new PublishOptions(Layout.PLAIN, null, null);
  }
}
