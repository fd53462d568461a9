package io.blockals.model;

import io.blockals.BlockalsException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a model directory safely. A run writes everything into a hidden staging folder beside the target
 * ({@code .<name>._staging-<run id>}), {@code _SUCCESS} last, and only then swaps it in by rename. The previous model
 * is moved aside first and deleted only after the new one is in place, and put back if the swap fails. A target that
 * exists but is not a blockals model is refused before any work starts: a typo in an output path must never delete
 * someone's data.
 *
 * <p>Hidden names (leading '.') are skipped by Hadoop and Spark listings, so a half-written staging folder never
 * shows up in a reader's listing of the parent.
 */
public final class ModelCommitter {
  private static final Logger LOG = LoggerFactory.getLogger(ModelCommitter.class);
  private static final DateTimeFormatter RUN_ID = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
      .withZone(ZoneOffset.UTC);

  private final FileSystem fs;
  private final Path target;
  private final String runId;
  private final Path staging;

  private ModelCommitter(FileSystem fs, Path target, String runId) {
    this.fs = fs;
    this.target = target;
    this.runId = runId;
    this.staging = sibling("_staging-" + runId);
  }

  /**
   * Checks the target and prepares a staging folder; call before training so a bad output path fails fast.
   * Removes staging folders left behind by earlier runs that died.
   */
  public static ModelCommitter prepare(String output, Configuration conf) {
    Path target = new Path(output);
    try {
      FileSystem fs = target.getFileSystem(conf);
      target = fs.makeQualified(target);
      if (target.getParent() == null) {
        throw BlockalsException.usage("refusing to write a model to the root of a file system: " + output);
      }
      if (fs.exists(target)) {
        FileStatus st = fs.getFileStatus(target);
        if (!st.isDirectory()) {
          throw BlockalsException.usage("output " + output + " is a file, not a model directory; choose another path");
        }
        boolean empty = fs.listStatus(target).length == 0;
        if (!empty && !ModelDirectory.isBlockalsModel(fs, target)) {
          throw BlockalsException.usage("output " + output + " exists and is not a blockals model directory; "
              + "refusing to overwrite it (choose a new path or remove it yourself)");
        }
      }
      String runId = RUN_ID.format(Instant.now()) + "-"
          + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
      ModelCommitter c = new ModelCommitter(fs, target, runId);
      c.cleanStale();
      fs.mkdirs(c.staging);
      return c;
    } catch (IOException e) {
      throw BlockalsException.usage("cannot prepare output " + output + ": " + e.getMessage());
    }
  }

  public String runId() {
    return runId;
  }

  public Path target() {
    return target;
  }

  public Path staging() {
    return staging;
  }

  public FileSystem fileSystem() {
    return fs;
  }

  /** A hidden folder beside the target for this run's scratch data (checkpoints). */
  public Path scratch(String what) {
    return sibling("_" + what + "-" + runId);
  }

  /** Writes {@code _SUCCESS} into staging and swaps staging in for the target. */
  public void commit() throws IOException {
    writeSmallFile(new Path(staging, ModelDirectory.SUCCESS), "");
    Path old = null;
    if (fs.exists(target)) {
      old = sibling("_previous-" + runId);
      if (!fs.rename(target, old)) {
        throw new IOException("could not move the previous model " + target + " aside to " + old);
      }
    }
    boolean ok = false;
    try {
      ok = fs.rename(staging, target);
    } finally {
      if (!ok && old != null) {
        // Put the previous model back so readers keep a model.
        fs.rename(old, target);
      }
    }
    if (!ok) {
      throw new IOException("could not rename " + staging + " to " + target);
    }
    if (old != null) {
      fs.delete(old, true);
    }
    LOG.info("published model {}", target);
  }

  /** Removes this run's staging folder (a failed or refused run). */
  public void abort() {
    try {
      if (fs.exists(staging)) {
        fs.delete(staging, true);
      }
    } catch (IOException e) {
      LOG.warn("could not remove staging folder {}: {}", staging, e.getMessage());
    }
  }

  public void writeSmallFile(Path p, String content) throws IOException {
    try (OutputStream out = fs.create(p, true)) {
      out.write(content.getBytes(StandardCharsets.UTF_8));
    }
  }

  private void cleanStale() throws IOException {
    Path parent = target.getParent();
    if (!fs.exists(parent)) {
      return;
    }
    String prefix = "." + target.getName() + "._";
    for (FileStatus st : fs.listStatus(parent)) {
      String name = st.getPath().getName();
      if (name.startsWith(prefix + "staging-") || name.startsWith(prefix + "checkpoints-")) {
        LOG.warn("removing {} left behind by an earlier run that did not finish", st.getPath());
        fs.delete(st.getPath(), true);
      } else if (name.startsWith(prefix + "previous-") && !fs.exists(target)) {
        // A run died between moving the old model aside and putting the new one in place: restore it.
        LOG.warn("restoring the previous model from {}", st.getPath());
        fs.rename(st.getPath(), target);
      }
    }
  }

  private Path sibling(String suffix) {
    return new Path(target.getParent(), "." + target.getName() + "." + suffix);
  }
}
