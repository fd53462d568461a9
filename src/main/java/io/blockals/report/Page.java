package io.blockals.report;

import java.util.Locale;
import org.apache.commons.text.StringEscapeUtils;

/**
 * HTML being written for a report page: the shared frame (doctype, title, styles), raw markup, text escaped by
 * commons-text, and numbers tagged with {@code data-key} (where the number comes from) and {@code data-value}.
 */
final class Page {
  private final StringBuilder out = new StringBuilder();

  /** The page's start up to {@code <body>}, with {@code title} (escaped) as its title. */
  Page head(String title) {
    return raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>").text(title)
        .raw("</title>\n<style>\n").raw(CSS).raw("</style>\n</head>\n<body>\n");
  }

  /** Closes the page and returns it. */
  String end() {
    return raw("</body>\n</html>\n").toString();
  }

  Page raw(String html) {
    out.append(html);
    return this;
  }

  Page text(String s) {
    out.append(escape(s));
    return this;
  }

  /** A number (or "–" for JSON null) with its source path and exact value as attributes. */
  Page number(String key, Object value) {
    out.append("<span class=\"num\" data-key=\"").append(escape(key)).append("\"");
    if (value instanceof Number n) {
      out.append(" data-value=\"").append(n).append("\">").append(format(n.doubleValue()));
    } else {
      out.append(" data-value=\"null\">–");
    }
    out.append("</span>");
    return this;
  }

  static String escape(String s) {
    return StringEscapeUtils.escapeHtml4(s);
  }

  /** Whole numbers and numbers from 10^4 up to 10^15 as integers, others to four significant digits. */
  static String format(double v) {
    double a = Math.abs(v);
    if ((v == Math.rint(v) || a >= 1e4) && a < 1e15) {
      return Long.toString(Math.round(v));
    }
    return significant(v, 4);
  }

  /** {@code v} to {@code digits} significant digits, without trailing zeros. */
  static String significant(double v, int digits) {
    String s = String.format(Locale.ROOT, "%." + digits + "g", v);
    int e = s.indexOf('e');
    String mantissa = e < 0 ? s : s.substring(0, e);
    if (mantissa.contains(".")) {
      mantissa = mantissa.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
    return e < 0 ? mantissa : mantissa + s.substring(e);
  }

  @Override
  public String toString() {
    return out.toString();
  }

  private static final String CSS = """
      body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 2em auto;
             max-width: 1100px; color: #222; padding: 0 1em; }
      h1 { font-size: 1.5em; margin-bottom: 0.2em; }
      h2 { font-size: 1.15em; margin-top: 1.6em; border-bottom: 1px solid #ddd; }
      .sub { color: #666; margin-top: 0; }
      table { border-collapse: collapse; margin: 0.5em 0; }
      th, td { padding: 0.2em 0.8em; text-align: left; }
      table.kv th { color: #555; font-weight: normal; }
      table.grid td, table.grid th { border-bottom: 1px solid #eee; text-align: right; }
      .num { font-variant-numeric: tabular-nums; }
      .charts { display: flex; flex-wrap: wrap; gap: 1.5em; }
      svg text { font-size: 11px; fill: #444; }
      svg .title { font-size: 13px; font-weight: 600; fill: #222; }
      tr.best td { background: #fff4e0; font-weight: 600; }
      pre { background: #f6f6f6; padding: 0.6em 0.8em; overflow-x: auto; }
      """;
}
