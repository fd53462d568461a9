package io.blockals.model;

import io.blockals.BlockalsException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a model directory safely. A run writes everything into a hidden staging folder beside its target
 * ({@code .<name>._staging-<attempt>}) and publishes only when all of it is written. A target that exists but is not
 * a blockals model is refused before any work starts: a typo in an output path must never delete someone's data.
 *
 * <p>Two layouts ({@link PublishOptions.Layout}): {@code plain}, where the output is the model directory, and
 * {@code dated}, where the output is a root holding {@code run=<run id>/} model directories and a {@code LATEST} file
 * naming the newest published one ({@code run=<id>} and a newline), written last. A re-run with the same run id
 * replaces {@code run=<id>/} like a plain re-run replaces its directory.
 *
 * <p>How the swap is made depends on the store ({@link #hasAtomicRename(String)}):
 * <ul>
 *   <li>File systems with an atomic directory rename (local, HDFS): {@code _SUCCESS} is written into staging, the
 *       previous model is renamed aside, staging is renamed into place, the previous model is deleted (or renamed
 *       back if the swap failed). A reader sees the old model or the new one, never a mixture.</li>
 *   <li>Object stores (s3a, gs, abfs, ...), where a directory rename is a copy of every object: the old
 *       {@code _SUCCESS} is deleted first (so readers stop trusting the old directory), the old model is removed,
 *       staging is copied into place without {@code _SUCCESS}, and the publish ends with one small atomic write:
 *       {@code _SUCCESS} (plain) and then {@code LATEST} (dated). In the plain layout there is a window in which the
 *       directory has no {@code _SUCCESS}; readers that need a model at every moment use the dated layout, whose old
 *       runs stay complete while {@code LATEST} moves.</li>
 * </ul>
 *
 * <p>A run that is refused (quality gate) keeps its complete model in {@code .<name>._rejected-<attempt>} for
 * inspection; the next refused run replaces it and a published run removes it. Stale staging, checkpoint and pointer
 * folders of a run that died are removed when the next run of the same output starts, and a previous model that was
 * moved aside by a run that died mid-swap is put back. Hidden names (leading '.') are skipped by Hadoop and Spark
 * listings, so none of these ever shows up in a reader's listing of the parent. One run per output at a time.
 *
 * <p>{@link #commit()}, {@link #reject()} and {@link #abort()} are mutually exclusive and each happens at most once,
 * so an interrupt (shutdown hook calling {@code abort}) can never tear a commit in half or publish after cleaning up.
 */
public final class ModelCommitter {
  private static final Logger LOG = LoggerFactory.getLogger(ModelCommitter.class);
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
      .withZone(ZoneOffset.UTC);
  /** The pointer file of the dated layout. */
  public static final String LATEST = "LATEST";
  /** Folder-name prefix of one run in the dated layout. */
  public static final String RUN_PREFIX = "run=";
  /**
   * Schemes of object stores whose directory rename is a copy, not an atomic operation. Anything else (file, hdfs,
   * viewfs, webhdfs, ...) is assumed to rename atomically; override with {@code atomic_rename}.
   */
  private static final Set<String> OBJECT_STORES = Set.of("s3", "s3a", "s3n", "gs", "abfs", "abfss", "wasb", "wasbs",
      "oss", "cos", "cosn", "obs", "r2");

  private enum State { OPEN, PUBLISHED, REJECTED, ABORTED }

  private final FileSystem fs;
  private final Path target;
  private final String runId;
  private final String attempt;
  private final Path staging;
  private final boolean atomicRename;
  /** The LATEST file of the dated layout; null in the plain layout. */
  private final Path pointer;
  /** The command whose output this is ({@link #prepareOutput}); null for a model. */
  private final String outputOf;
  private State state = State.OPEN;

  private ModelCommitter(FileSystem fs, Path target, String runId, String attempt, boolean atomicRename,
      Path pointer, String outputOf) {
    this.fs = fs;
    this.target = target;
    this.runId = runId;
    this.attempt = attempt;
    this.atomicRename = atomicRename;
    this.pointer = pointer;
    this.outputOf = outputOf;
    this.staging = sibling("_staging-" + attempt);
  }

  /** {@link #prepare(String, Configuration, PublishOptions)} with the plain layout and a generated run id. */
  public static ModelCommitter prepare(String output, Configuration conf) {
    return prepare(output, conf, PublishOptions.defaults());
  }

  /**
   * Checks the output and prepares a staging folder; call before training so a bad output path fails fast (exit 2).
   * Cleans up after earlier runs of the same output that died.
   */
  public static ModelCommitter prepare(String output, Configuration conf, PublishOptions opts) {
    return prepare(output, conf, opts, null);
  }

  /**
   * Prepares the output of a command that is not a model (predictions, recommendations, ...): written into
   * {@link #staging()} (Spark writes may append to it) and published by {@link #commit()} like a plain model, with
   * {@code _SUCCESS} last. The directory also holds {@value ModelFormat#OUTPUT_MARKER} naming the command; an existing
   * output is replaced only if it carries that marker, and any other existing directory is refused (exit 2). Spark's
   * own {@code _SUCCESS} per write is turned off in {@code conf} (the session's), so the only marker is the last one.
   */
  public static ModelCommitter prepareOutput(String output, Configuration conf, String command) {
    conf.setBoolean("mapreduce.fileoutputcommitter.marksuccessfuljobs", false);
    ModelCommitter c = prepare(output, conf, PublishOptions.defaults(), command);
    try {
      c.writeSmallFile(new Path(c.staging, ModelFormat.OUTPUT_MARKER), ModelFormat.outputMarker(command));
    } catch (IOException e) {
      c.abort();
      throw BlockalsException.usage("cannot prepare output " + output + ": " + e.getMessage());
    }
    return c;
  }

  private static ModelCommitter prepare(String output, Configuration conf, PublishOptions opts, String outputOf) {
    Path root = new Path(output);
    try {
      FileSystem fs = root.getFileSystem(conf);
      root = fs.makeQualified(root);
      if (root.getParent() == null) {
        throw BlockalsException.usage("refusing to write a model to the root of a file system: " + output);
      }
      String attempt = STAMP.format(Instant.now()) + "-"
          + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
      String runId = opts.runId() == null || opts.runId().isEmpty() ? attempt : opts.runId();
      boolean atomic = opts.atomicRename() != null ? opts.atomicRename() : hasAtomicRename(root.toUri().getScheme());
      ModelCommitter c;
      if (opts.layout() == PublishOptions.Layout.DATED) {
        checkDatedRoot(fs, root, output);
        Path run = new Path(root, RUN_PREFIX + runId);
        checkModelTarget(fs, run, run.toString());
        c = new ModelCommitter(fs, run, runId, attempt, atomic, new Path(root, LATEST), null);
      } else if (outputOf != null) {
        checkOutputTarget(fs, root, output, outputOf);
        c = new ModelCommitter(fs, root, runId, attempt, atomic, null, outputOf);
      } else {
        checkModelTarget(fs, root, output);
        c = new ModelCommitter(fs, root, runId, attempt, atomic, null, null);
      }
      c.cleanStale();
      fs.mkdirs(c.staging);
      LOG.info("run {}: staging in {}, publishing to {}{}", runId, c.staging, c.target,
          atomic ? "" : " (no atomic rename on this store: publish ends with a marker write)");
      return c;
    } catch (IOException e) {
      throw BlockalsException.usage("cannot prepare output " + output + ": " + e.getMessage());
    }
  }

  /** True unless the scheme is a known object store (no atomic directory rename). */
  public static boolean hasAtomicRename(String scheme) {
    return scheme == null || !OBJECT_STORES.contains(scheme.toLowerCase(Locale.ROOT));
  }

  private static void checkModelTarget(FileSystem fs, Path target, String shown) throws IOException {
    if (!fs.exists(target)) {
      return;
    }
    if (!fs.getFileStatus(target).isDirectory()) {
      throw BlockalsException.usage("output " + shown + " is a file, not a model directory; choose another path");
    }
    if (fs.listStatus(target).length > 0 && !ModelFormat.isBlockalsModel(fs, target)) {
      boolean datedRoot = fs.exists(new Path(target, LATEST));
      throw BlockalsException.usage("output " + shown + " exists and is not a blockals model directory"
          + (datedRoot ? " (it is a dated-layout root: add --set layout=dated)" : "")
          + "; refusing to overwrite it (choose a new path or remove it yourself)");
    }
  }

  private static void checkOutputTarget(FileSystem fs, Path target, String shown, String command)
      throws IOException {
    if (!fs.exists(target)) {
      return;
    }
    if (!fs.getFileStatus(target).isDirectory()) {
      throw BlockalsException.usage("output " + shown + " is a file; choose a directory path for the " + command
          + " output");
    }
    if (fs.listStatus(target).length > 0 && !ModelFormat.isBlockalsOutput(fs, target)) {
      throw BlockalsException.usage("output " + shown + " exists and is not an earlier blockals output"
          + (ModelFormat.isBlockalsModel(fs, target) ? " (it is a model directory)" : "")
          + "; refusing to overwrite it (choose a new path or remove it yourself)");
    }
  }

  /** A dated root may hold only LATEST, run=... folders and hidden/underscore names (ours, or a store's). */
  private static void checkDatedRoot(FileSystem fs, Path root, String shown) throws IOException {
    if (!fs.exists(root)) {
      return;
    }
    if (!fs.getFileStatus(root).isDirectory()) {
      throw BlockalsException.usage("output " + shown + " is a file, not a folder for dated runs; choose another path");
    }
    if (ModelFormat.isBlockalsModel(fs, root)) {
      throw BlockalsException.usage("output " + shown + " is a plain model directory, not a root of dated runs; "
          + "use layout = plain for it, or a new path for layout = dated");
    }
    for (FileStatus st : fs.listStatus(root)) {
      String name = st.getPath().getName();
      boolean ours = name.startsWith(".") || name.startsWith("_") || (name.equals(LATEST) && st.isFile())
          || (name.startsWith(RUN_PREFIX) && st.isDirectory());
      if (!ours) {
        throw BlockalsException.usage("output " + shown + " holds '" + name + "', which is not a run=... folder or "
            + LATEST + "; refusing to use it as a root of dated runs (choose a new path)");
      }
    }
  }

  /** The run id: the configured one, or generated (a UTC time stamp and a random suffix). */
  public String runId() {
    return runId;
  }

  /** The model directory this run publishes: the output itself, or {@code <output>/run=<id>} when dated. */
  public Path target() {
    return target;
  }

  public Path staging() {
    return staging;
  }

  public FileSystem fileSystem() {
    return fs;
  }

  public boolean atomicRename() {
    return atomicRename;
  }

  /** A hidden folder beside the target for this run's scratch data (checkpoints). */
  public Path scratch(String what) {
    return sibling("_" + what + "-" + attempt);
  }

  /**
   * The model directory readers currently use, if any: the target itself (plain) or the run LATEST names (dated),
   * and only if it carries {@code _SUCCESS}.
   */
  public Optional<Path> publishedModel() throws IOException {
    Path dir = target;
    if (pointer != null) {
      if (!fs.exists(pointer)) {
        return Optional.empty();
      }
      dir = new Path(pointer.getParent(), ModelFormat.readPointer(fs, pointer));
    }
    return fs.exists(new Path(dir, ModelFormat.SUCCESS)) ? Optional.of(dir) : Optional.empty();
  }

  /** Publishes staging as the target (see the class comment for how, per store) and, when dated, moves LATEST. */
  public synchronized void commit() throws IOException {
    if (state != State.OPEN) {
      throw new IOException("run " + runId + " was " + state.name().toLowerCase(Locale.ROOT) + "; not publishing");
    }
    if (atomicRename) {
      swapByRename();
    } else {
      replaceThenMark();
    }
    state = State.PUBLISHED;
    if (pointer != null) {
      writePointer();
    }
    deleteSiblings("_rejected-", null);
    LOG.info("published {} {}{}", outputOf == null ? "model" : outputOf + " output", target, pointer == null ? "" : " (" + pointer + " updated)");
  }

  private void swapByRename() throws IOException {
    writeSmallFile(new Path(staging, ModelFormat.SUCCESS), "");
    Path old = null;
    if (fs.exists(target)) {
      old = sibling("_previous-" + attempt);
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
  }

  private void replaceThenMark() throws IOException {
    if (fs.exists(target)) {
      // Untrust the old model before touching any of its files.
      fs.delete(new Path(target, ModelFormat.SUCCESS), false);
      fs.delete(target, true);
    }
    if (!fs.rename(staging, target)) {
      throw new IOException("could not copy " + staging + " to " + target);
    }
    writeSmallFile(new Path(target, ModelFormat.SUCCESS), "");
  }

  /**
   * Points LATEST at the target. With an atomic rename the new content is written to a hidden file and renamed over
   * LATEST, so a reader finds the old or the new name and never an empty file; on an object store a single PUT
   * replaces the object atomically.
   */
  private void writePointer() throws IOException {
    String content = target.getName() + "\n";
    if (!atomicRename) {
      writeSmallFile(pointer, content);
      return;
    }
    Path tmp = new Path(pointer.getParent(), "." + LATEST + "._pointer-" + attempt);
    writeSmallFile(tmp, content);
    try {
      FileContext.getFileContext(pointer.toUri(), fs.getConf()).rename(tmp, pointer, Options.Rename.OVERWRITE);
    } catch (IOException | UnsupportedOperationException e) {
      // No FileContext binding for this scheme: a short window without LATEST beats a wrong LATEST.
      LOG.debug("rename with overwrite unavailable for {} ({}); deleting then renaming", pointer, e.toString());
      fs.delete(pointer, false);
      if (!fs.rename(tmp, pointer)) {
        throw new IOException("could not write " + pointer);
      }
    }
  }

  /**
   * Keeps a complete but unpublished model for inspection (quality gate refused it): staging, with
   * {@code _SUCCESS} so that {@code evaluate --model} can read it, becomes {@code .<name>._rejected-<attempt>};
   * older rejected models of the same target are removed.
   *
   * @return where the model is
   */
  public synchronized Path reject() throws IOException {
    if (state != State.OPEN) {
      throw new IOException("run " + runId + " was " + state.name().toLowerCase(Locale.ROOT));
    }
    writeSmallFile(new Path(staging, ModelFormat.SUCCESS), "");
    Path rejected = sibling("_rejected-" + attempt);
    deleteSiblings("_rejected-", rejected);
    if (!fs.rename(staging, rejected)) {
      throw new IOException("could not rename " + staging + " to " + rejected);
    }
    state = State.REJECTED;
    return rejected;
  }

  /**
   * Marks the run as failed and removes its staging folder, unless it was already published or rejected.
   *
   * @return true if this call aborted the run (false if it had already ended one way or another)
   */
  public synchronized boolean abort() {
    if (state != State.OPEN) {
      return false;
    }
    state = State.ABORTED;
    deleteStaging();
    return true;
  }

  /** Deletes the staging folder (again): after an abort, tasks that were still running may have re-created it. */
  public void deleteStaging() {
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
    for (FileStatus st : fs.listStatus(parent)) {
      String name = st.getPath().getName();
      int sep = name.lastIndexOf("._");
      if (!name.startsWith(".") || sep < 1) {
        continue;
      }
      String owner = name.substring(1, sep);
      String kind = name.substring(sep + 2);
      if (!owns(owner)) {
        continue;
      }
      Path ownerPath = new Path(parent, owner);
      if (kind.startsWith("staging-") || kind.startsWith("checkpoints-") || kind.startsWith("pointer-")) {
        LOG.warn("removing {} left behind by an earlier run that did not finish", st.getPath());
        fs.delete(st.getPath(), true);
      } else if (kind.startsWith("previous-")) {
        if (!fs.exists(ownerPath)) {
          // A run died between moving the old model aside and putting the new one in place: restore it.
          LOG.warn("restoring the previous model {} from {}", ownerPath, st.getPath());
          fs.rename(st.getPath(), ownerPath);
        } else {
          // A run died after the swap, before deleting the old copy.
          LOG.warn("removing the replaced model {} left behind by an earlier run", st.getPath());
          fs.delete(st.getPath(), true);
        }
      }
    }
  }

  /** Plain: only this target's hidden folders; dated: those of any run in the root, and of the pointer. */
  private boolean owns(String owner) {
    return pointer == null ? owner.equals(target.getName())
        : owner.startsWith(RUN_PREFIX) || owner.equals(LATEST);
  }

  /** Deletes the hidden {@code .<owner>._<kind>*} folders this run owns (see {@link #owns}), except {@code keep}. */
  private void deleteSiblings(String kind, Path keep) {
    try {
      for (FileStatus st : fs.listStatus(target.getParent())) {
        String name = st.getPath().getName();
        int sep = name.lastIndexOf("._");
        if (name.startsWith(".") && sep > 0 && owns(name.substring(1, sep))
            && name.substring(sep + 1).startsWith(kind) && (keep == null || !name.equals(keep.getName()))) {
          LOG.info("removing the earlier refused model {}", st.getPath());
          fs.delete(st.getPath(), true);
        }
      }
    } catch (IOException e) {
      LOG.warn("could not clean {} folders beside {}: {}", kind, target, e.getMessage());
    }
  }

  private Path sibling(String suffix) {
    return new Path(target.getParent(), "." + target.getName() + "." + suffix);
  }
}
