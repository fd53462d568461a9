package io.blockals.safety;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.Progressable;

/**
 * The local file system under the scheme {@code stall:}, which freezes the calling thread at a chosen point so that a
 * test can kill or signal the JVM in a known state, with no timing involved:
 * <ul>
 *   <li>{@code fs.stall.create = <substring>}: creating a file whose path contains it (e.g. a Parquet part of
 *       {@code user_factors}: the middle of writing the model);</li>
 *   <li>{@code fs.stall.rename = <substring>}: right after a rename whose destination contains it (e.g. the previous
 *       model moved aside, the middle of the swap).</li>
 * </ul>
 * On reaching the point it writes the file {@code fs.stall.marker} (a local path) and sleeps until interrupted.
 * Used through {@code spark.hadoop.fs.stall.impl}; test scope only.
 */
public class StallingFileSystem extends RawLocalFileSystem {
  private static final URI NAME = URI.create("stall:///");

  @Override
  public URI getUri() {
    return NAME;
  }

  @Override
  public String getScheme() {
    return "stall";
  }

  @Override
  public FSDataOutputStream create(Path f, boolean overwrite, int bufferSize, short replication, long blockSize,
      Progressable progress) throws IOException {
    maybeStall("create", f);
    return super.create(f, overwrite, bufferSize, replication, blockSize, progress);
  }

  @Override
  public FSDataOutputStream create(Path f, FsPermission permission, boolean overwrite, int bufferSize,
      short replication, long blockSize, Progressable progress) throws IOException {
    maybeStall("create", f);
    return super.create(f, permission, overwrite, bufferSize, replication, blockSize, progress);
  }

  @Override
  public boolean rename(Path src, Path dst) throws IOException {
    boolean ok = super.rename(src, dst);
    maybeStall("rename", dst);
    return ok;
  }

  private void maybeStall(String op, Path p) throws IOException {
    String pattern = getConf().get("fs.stall." + op, "");
    String marker = getConf().get("fs.stall.marker", "");
    if (pattern.isEmpty() || marker.isEmpty() || !p.toString().contains(pattern)) {
      return;
    }
    java.nio.file.Path m = java.nio.file.Path.of(marker);
    java.nio.file.Path tmp = m.resolveSibling(m.getFileName() + ".tmp");
    Files.writeString(tmp, op + " " + p + "\n", StandardCharsets.UTF_8);
    Files.move(tmp, m, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    try {
      Thread.sleep(Long.MAX_VALUE);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("stalled " + op + " of " + p + " interrupted");
    }
  }
}
