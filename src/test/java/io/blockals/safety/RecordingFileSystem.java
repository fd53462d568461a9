package io.blockals.safety;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.Progressable;

/**
 * The local file system under the scheme {@code record:}, which logs every file created, renamed or deleted, in the
 * order the calls are made (one JVM: local mode). A test reads the order of writes from {@link #log()} instead of from
 * modification times, which can be equal. Used through {@code fs.record.impl}; test scope only.
 */
public class RecordingFileSystem extends RawLocalFileSystem {
  private static final URI NAME = URI.create("record:///");
  private static final List<String> LOG = new ArrayList<>();

  /** A copy of the log: "create PATH", "rename SRC -> DST", "delete PATH", paths without the scheme. */
  public static synchronized List<String> log() {
    return new ArrayList<>(LOG);
  }

  public static synchronized void clear() {
    LOG.clear();
  }

  private static synchronized void record(String entry) {
    LOG.add(entry);
  }

  @Override
  public URI getUri() {
    return NAME;
  }

  @Override
  public String getScheme() {
    return "record";
  }

  @Override
  public FSDataOutputStream create(Path f, boolean overwrite, int bufferSize, short replication, long blockSize,
      Progressable progress) throws IOException {
    record("create " + f.toUri().getPath());
    return super.create(f, overwrite, bufferSize, replication, blockSize, progress);
  }

  @Override
  public FSDataOutputStream create(Path f, FsPermission permission, boolean overwrite, int bufferSize,
      short replication, long blockSize, Progressable progress) throws IOException {
    record("create " + f.toUri().getPath());
    return super.create(f, permission, overwrite, bufferSize, replication, blockSize, progress);
  }

  @Override
  public boolean rename(Path src, Path dst) throws IOException {
    record("rename " + src.toUri().getPath() + " -> " + dst.toUri().getPath());
    return super.rename(src, dst);
  }

  @Override
  public boolean delete(Path p, boolean recursive) throws IOException {
    record("delete " + p.toUri().getPath());
    return super.delete(p, recursive);
  }
}
