package io.blockals.data;

import io.blockals.BlockalsException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;

/**
 * The files of one input path, listed once on the driver through Hadoop's FileSystem: a single file, or the
 * visible files of a directory (names not starting with {@code _} or {@code .}) sorted by name. Their order
 * is the file index in {@code ord}.
 */
final class InputFiles {
  /** Kinds of file recognised by extension. */
  static final String CSV = "csv";
  static final String TSV = "tsv";
  static final String PARQUET = "parquet";
  static final String MOVIELENS_DAT = "movielens ::";
  static final String MOVIELENS_DATA = "movielens tab";

  private static final List<String> COMPRESSION_SUFFIXES = List.of(".gz", ".bz2", ".deflate", ".zst", ".lz4");
  private static final int MAX_FIRST_LINE = 1 << 20;

  final String path;
  final Configuration conf;
  final List<FileStatus> files;
  final List<String> displayNames;

  private InputFiles(String path, Configuration conf, List<FileStatus> files, List<String> displayNames) {
    this.path = path;
    this.conf = conf;
    this.files = files;
    this.displayNames = displayNames;
  }

  static InputFiles list(Configuration conf, String path) {
    if (path == null || path.isBlank()) {
      throw BlockalsException.usage("no input path given; set --input");
    }
    try {
      Path p = new Path(path);
      FileSystem fs = p.getFileSystem(conf);
      if (!fs.exists(p)) {
        throw BlockalsException.inputRejected("input path does not exist: " + path);
      }
      FileStatus status = fs.getFileStatus(p);
      List<FileStatus> files = new ArrayList<>();
      List<String> names = new ArrayList<>();
      if (status.isFile()) {
        files.add(status);
        names.add(path);
      } else {
        FileStatus[] children = fs.listStatus(p);
        Arrays.sort(children, Comparator.comparing(s -> s.getPath().getName()));
        String prefix = path.endsWith("/") ? path : path + "/";
        for (FileStatus c : children) {
          String name = c.getPath().getName();
          if (c.isFile() && !name.startsWith("_") && !name.startsWith(".")) {
            files.add(c);
            names.add(prefix + name);
          }
        }
      }
      if (files.isEmpty()) {
        throw BlockalsException.inputRejected("no ratings in " + path + ": the directory has no data files");
      }
      if (files.size() >= Ords.MAX_FILES) {
        throw BlockalsException.inputRejected("too many files in " + path + ": " + files.size()
            + "; merge them into fewer files");
      }
      for (int i = 0; i < files.size(); i++) {
        if (files.get(i).getLen() > Ords.POSITION_MASK) {
          throw BlockalsException.inputRejected("file " + names.get(i) + " is larger than 1 TiB; split it");
        }
      }
      return new InputFiles(path, conf, files, names);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list input " + path + ": " + e.getMessage(), e);
    }
  }

  /**
   * The kind of file a name says it is ({@link #CSV}, {@link #TSV}, {@link #PARQUET}, {@link #MOVIELENS_DAT},
   * {@link #MOVIELENS_DATA}), looking through a compression suffix; {@code null} if unknown.
   */
  static String kindOf(String fileName) {
    String n = fileName.toLowerCase(Locale.ROOT);
    for (String suffix : COMPRESSION_SUFFIXES) {
      if (n.endsWith(suffix)) {
        n = n.substring(0, n.length() - suffix.length());
        break;
      }
    }
    if (n.endsWith(".csv")) {
      return CSV;
    } else if (n.endsWith(".tsv") || n.endsWith(".tab")) {
      return TSV;
    } else if (n.endsWith(".parquet")) {
      return PARQUET;
    } else if (n.endsWith(".dat")) {
      return MOVIELENS_DAT;
    } else if (n.endsWith(".data")) {
      return MOVIELENS_DATA;
    }
    return null;
  }

  /**
   * The kind of every file for {@code format = auto}: all files must agree. {@code fileNames} and
   * {@code displayNames} are parallel.
   */
  static String detectKind(List<String> fileNames, List<String> displayNames, String path) {
    Set<String> kinds = new TreeSet<>();
    for (int i = 0; i < fileNames.size(); i++) {
      String kind = kindOf(fileNames.get(i));
      if (kind == null) {
        throw BlockalsException.usage("cannot tell the format of " + displayNames.get(i)
            + " from its extension; set format = csv, tsv, parquet or movielens");
      }
      kinds.add(kind);
    }
    if (kinds.size() > 1) {
      throw BlockalsException.usage("the files in " + path + " have different formats " + kinds
          + "; put one format in a directory or set format explicitly");
    }
    return kinds.iterator().next();
  }

  List<String> fileNames() {
    List<String> out = new ArrayList<>();
    for (FileStatus s : files) {
      out.add(s.getPath().getName());
    }
    return out;
  }

  /** The key tasks use to find a file's index: the path part of its URI (scheme and authority ignored). */
  static String key(Path p) {
    return p.toUri().getPath();
  }

  /**
   * The first line of a file (decompressed if its name says so), without a UTF-8 BOM or line terminator;
   * {@code null} for an empty file. Reads at most 1 MiB.
   */
  String firstLine(int fileIndex) {
    Path p = files.get(fileIndex).getPath();
    try {
      FileSystem fs = p.getFileSystem(conf);
      CompressionCodec codec = new CompressionCodecFactory(conf).getCodec(p);
      try (InputStream raw = fs.open(p);
          InputStream in = codec == null ? raw : codec.createInputStream(raw)) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int b;
        boolean any = false;
        while ((b = in.read()) >= 0 && bytes.size() < MAX_FIRST_LINE) {
          any = true;
          if (b == '\n' || b == '\r') {
            break;
          }
          bytes.write(b);
        }
        if (!any) {
          return null;
        }
        return stripBom(bytes.toString(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + displayNames.get(fileIndex) + ": " + e.getMessage(), e);
    }
  }

  static String stripBom(String s) {
    return !s.isEmpty() && s.charAt(0) == '\uFEFF' ? s.substring(1) : s;
  }
}
