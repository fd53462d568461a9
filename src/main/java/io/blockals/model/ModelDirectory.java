package io.blockals.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.blockals.BlockalsException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** Names and checks of the model directory layout, shared by the writer, the committer and the readers. */
public final class ModelDirectory {
  public static final int FORMAT_VERSION = 1;
  public static final String ENGINE = "blockals";
  public static final String MODEL_JSON = "model.json";
  public static final String USER_FACTORS = "user_factors";
  public static final String ITEM_FACTORS = "item_factors";
  public static final String SUCCESS = "_SUCCESS";
  public static final String REJECTS = "rejects";

  private ModelDirectory() {}

  /** True if {@code dir} holds a model.json written by blockals (complete or not). */
  public static boolean isBlockalsModel(FileSystem fs, Path dir) throws IOException {
    Path json = new Path(dir, MODEL_JSON);
    if (!fs.exists(json)) {
      return false;
    }
    try {
      Map<String, Object> m = parse(fs, json);
      return ENGINE.equals(m.get("engine"));
    } catch (IOException e) {
      return false;
    }
  }

  /** Reads model.json of a committed model; exit 2 if the directory is not one. */
  public static Map<String, Object> readModelJson(String dir, Configuration conf) {
    Path p = new Path(dir);
    try {
      FileSystem fs = p.getFileSystem(conf);
      if (!fs.exists(new Path(p, SUCCESS)) || !fs.exists(new Path(p, MODEL_JSON))) {
        throw BlockalsException.usage("not a committed blockals model (no " + SUCCESS + " or " + MODEL_JSON + "): "
            + dir);
      }
      Map<String, Object> m = parse(fs, new Path(p, MODEL_JSON));
      Object v = m.get("format_version");
      if (!(v instanceof Number n) || n.intValue() != FORMAT_VERSION) {
        throw BlockalsException.usage("model " + dir + " has format_version " + v + "; this blockals reads "
            + FORMAT_VERSION);
      }
      return m;
    } catch (IOException e) {
      throw BlockalsException.usage("cannot read model " + dir + ": " + e.getMessage());
    }
  }

  /**
   * The model directory a reader should open for {@code dir}: {@code dir} itself, or, for the root of the dated
   * layout (a {@code LATEST} file and no model.json), the run LATEST names.
   */
  public static String resolve(String dir, Configuration conf) {
    Path p = new Path(dir);
    try {
      FileSystem fs = p.getFileSystem(conf);
      Path latest = new Path(p, ModelCommitter.LATEST);
      if (!fs.exists(new Path(p, MODEL_JSON)) && fs.exists(latest)) {
        return new Path(p, readPointer(fs, latest)).toString();
      }
      return dir;
    } catch (IOException e) {
      throw BlockalsException.usage("cannot read model " + dir + ": " + e.getMessage());
    }
  }

  /** The run folder name in a LATEST file (one line, {@code run=<id>}); anything else is an error. */
  public static String readPointer(FileSystem fs, Path latest) throws IOException {
    byte[] buf;
    try (InputStream in = fs.open(latest)) {
      buf = in.readNBytes(4096);
    }
    String name = new String(buf, StandardCharsets.UTF_8).trim();
    if (!name.startsWith(ModelCommitter.RUN_PREFIX) || name.contains("/") || name.contains("\n")) {
      throw new IOException(latest + " does not name a run folder: '" + name + "'");
    }
    return name;
  }

  /** model.json of a directory (no checks beyond being JSON); for the quality gate's look at the published model. */
  public static Map<String, Object> readJson(FileSystem fs, Path json) throws IOException {
    return parse(fs, json);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> parse(FileSystem fs, Path json) throws IOException {
    try (InputStream in = fs.open(json)) {
      return new ObjectMapper().readValue(in, Map.class);
    }
  }
}
