package io.blockals.data;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a read found: rows read, good and bad rows, bad rows by reason, the first bad rows (up to 20, in file
 * order) and the input files with their sizes and modification times (the input fingerprint of model.json).
 * Rows read are data rows: header and blank lines are not counted.
 */
public final class InputReport implements Serializable {
  private static final long serialVersionUID = 1L;

  /** One input file as listed when the read started. */
  public record InputFile(String path, long size, long modificationTime) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /**
   * One bad row. For text files {@code line} is the 1-based physical line (the header is line 1) and
   * {@code byteOffset} the offset of the line; for Parquet {@code rowIndex} is the 0-based row index in the
   * file. Fields that do not apply are {@code null}; {@code column} and {@code value} are {@code null} for
   * problems of the whole row (such as a wrong field count).
   */
  public record BadRow(String file, Long line, Long byteOffset, Long rowIndex, String column, String value,
      String reason, String problem) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** {@code file:line}, {@code file: row N (0-based)} or {@code file: byte N}. */
    public String location() {
      if (line != null && line > 0) {
        return file + ":" + line;
      } else if (rowIndex != null) {
        return file + ": row " + rowIndex + " (0-based)";
      }
      return file + ": byte " + byteOffset;
    }

    /** e.g. {@code data/x.csv:17: column 'rating' value 'abc' is not a number}. */
    public String message() {
      return location() + ": " + RowRules.describe(column, value, problem);
    }
  }

  private final String path;
  private final String format;
  private final BadRowPolicy policy;
  private final List<InputFile> files;
  private final long goodRows;
  private final long badRows;
  private final Map<String, Long> badRowsByReason;
  private final List<BadRow> examples;

  InputReport(String path, String format, BadRowPolicy policy, List<InputFile> files, long goodRows, long badRows,
      Map<String, Long> badRowsByReason, List<BadRow> examples) {
    this.path = path;
    this.format = format;
    this.policy = policy;
    this.files = List.copyOf(files);
    this.goodRows = goodRows;
    this.badRows = badRows;
    this.badRowsByReason = Collections.unmodifiableMap(new LinkedHashMap<>(badRowsByReason));
    this.examples = List.copyOf(examples);
  }

  public String path() {
    return path;
  }

  /** csv, tsv, parquet or movielens. */
  public String format() {
    return format;
  }

  public BadRowPolicy policy() {
    return policy;
  }

  public List<InputFile> files() {
    return files;
  }

  public long rowsRead() {
    return goodRows + badRows;
  }

  public long goodRows() {
    return goodRows;
  }

  public long badRows() {
    return badRows;
  }

  /** Reason code (e.g. {@code not_a_number}) to count, sorted by code. */
  public Map<String, Long> badRowsByReason() {
    return badRowsByReason;
  }

  /** The first bad rows in file order, at most 20. */
  public List<BadRow> examples() {
    return examples;
  }

  /** Bad rows over rows read; 0 when nothing was read. */
  public double badFraction() {
    long read = rowsRead();
    return read == 0 ? 0.0 : (double) badRows / read;
  }

  /** One line for the log: counts and bad rows by reason. */
  public String summary() {
    return "read " + path + " (" + format + ", " + files.size() + (files.size() == 1 ? " file" : " files") + "): "
        + rowsRead() + " rows, " + goodRows + " good, " + badRows + " bad"
        + (badRowsByReason.isEmpty() ? "" : " " + badRowsByReason);
  }

  /** Snake_case keys and plain Java values, ready for Jackson (model.json). Inapplicable fields are left out. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("path", path);
    m.put("format", format);
    m.put("bad_row_policy", policy.configName());
    List<Object> fileList = new ArrayList<>();
    for (InputFile f : files) {
      Map<String, Object> fm = new LinkedHashMap<>();
      fm.put("path", f.path());
      fm.put("size", f.size());
      fm.put("modification_time", f.modificationTime());
      fileList.add(fm);
    }
    m.put("files", fileList);
    m.put("rows_read", rowsRead());
    m.put("good_rows", goodRows);
    m.put("bad_rows", badRows);
    m.put("bad_rows_by_reason", new LinkedHashMap<>(badRowsByReason));
    List<Object> exampleList = new ArrayList<>();
    for (BadRow b : examples) {
      Map<String, Object> em = new LinkedHashMap<>();
      em.put("file", b.file());
      putIfPresent(em, "line", b.line());
      putIfPresent(em, "byte_offset", b.byteOffset());
      putIfPresent(em, "row_index", b.rowIndex());
      putIfPresent(em, "column", b.column());
      putIfPresent(em, "value", b.value());
      em.put("reason", b.reason());
      em.put("problem", b.problem());
      exampleList.add(em);
    }
    m.put("bad_row_examples", exampleList);
    return m;
  }

  private static void putIfPresent(Map<String, Object> m, String key, Object value) {
    if (value != null) {
      m.put(key, value);
    }
  }
}
