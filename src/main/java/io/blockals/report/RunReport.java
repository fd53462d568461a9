package io.blockals.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * report.html of a training run: one self-contained page (no script, no network; charts as inline SVG) drawn from the
 * run's model.json, so every number on it is one model.json holds.
 *
 * <p>Each number is an element with {@code data-key} (its path in model.json, e.g. {@code metrics.validation_rmse}
 * or {@code history[2].train_rmse}) and {@code data-value} (the exact value); the text shows it rounded to four
 * significant digits. Charts: the training loss and the train (and validation) RMSE per iteration, the histogram of
 * rating values, and ratings per user and per item on log axes.
 */
public final class RunReport {
  private static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd"};

  private RunReport() {}

  /** The page for {@code model} (model.json as a map, non-finite numbers already null). */
  public static String html(Map<String, Object> model) {
    Page p = new Page();
    String runId = String.valueOf(model.get("run_id"));
    p.head("blockals model " + runId);
    p.raw("<h1>blockals model <code>").text(runId).raw("</code></h1>\n<p class=\"sub\">created ")
        .text(String.valueOf(model.get("created_at"))).raw(", blockals ").text(String.valueOf(model.get("version")))
        .raw(", model format ").number("format_version", model.get("format_version")).raw("</p>\n");
    metrics(p, map(model.get("metrics")));
    params(p, map(model.get("params")));
    history(p, list(model.get("history")));
    data(p, map(model.get("data")));
    return p.end();
  }

  private static void metrics(Page p, Map<String, Object> metrics) {
    p.raw("<h2>Final metrics</h2>\n<table class=\"kv\" id=\"metrics\">\n");
    for (Map.Entry<String, Object> e : metrics.entrySet()) {
      p.raw("<tr><th>").text(e.getKey()).raw("</th><td>").number("metrics." + e.getKey(), e.getValue())
          .raw("</td></tr>\n");
    }
    p.raw("</table>\n");
  }

  private static void params(Page p, Map<String, Object> params) {
    p.raw("<h2>Parameters</h2>\n<table class=\"kv\" id=\"params\">\n");
    for (Map.Entry<String, Object> e : params.entrySet()) {
      p.raw("<tr><th>").text(e.getKey()).raw("</th><td>");
      if (e.getValue() instanceof Number) {
        p.number("params." + e.getKey(), e.getValue());
      } else {
        p.text(String.valueOf(e.getValue()));
      }
      p.raw("</td></tr>\n");
    }
    p.raw("</table>\n");
  }

  private static void history(Page p, List<Object> history) {
    p.raw("<h2>Iterations</h2>\n");
    if (history.isEmpty()) {
      p.raw("<p>No iterations ran.</p>\n");
      return;
    }
    p.raw("<div class=\"charts\">\n");
    p.raw(Charts.line("Training loss", "iteration", List.of(series(history, "train_loss", "train loss", 0))));
    List<Charts.Series> rmse = new ArrayList<>();
    rmse.add(series(history, "train_rmse", "train RMSE", 0));
    if (history.stream().anyMatch(h -> map(h).get("validation_rmse") instanceof Number)) {
      rmse.add(series(history, "validation_rmse", "validation RMSE", 1));
    }
    p.raw(Charts.line("RMSE", "iteration", rmse));
    boolean validation = rmse.size() > 1;
    p.raw("</div>\n<table class=\"grid\" id=\"history\">\n<tr><th>iteration</th><th>train loss</th>"
        + "<th>train RMSE</th>" + (validation ? "<th>validation RMSE</th>" : "") + "<th>seconds</th></tr>\n");
    for (int t = 0; t < history.size(); t++) {
      Map<String, Object> h = map(history.get(t));
      String at = "history[" + t + "].";
      p.raw("<tr><td>").number(at + "iteration", h.get("iteration")).raw("</td><td>")
          .number(at + "train_loss", h.get("train_loss")).raw("</td><td>")
          .number(at + "train_rmse", h.get("train_rmse")).raw("</td><td>");
      if (validation) {
        p.number(at + "validation_rmse", h.get("validation_rmse")).raw("</td><td>");
      }
      p.number(at + "seconds", h.get("seconds")).raw("</td></tr>\n");
    }
    p.raw("</table>\n");
  }

  private static Charts.Series series(List<Object> history, String key, String name, int color) {
    List<double[]> points = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    for (int t = 0; t < history.size(); t++) {
      Map<String, Object> h = map(history.get(t));
      if (h.get(key) instanceof Number v && h.get("iteration") instanceof Number it) {
        points.add(new double[] {it.doubleValue(), v.doubleValue()});
        keys.add("history[" + t + "]." + key);
      }
    }
    return new Charts.Series(name, COLORS[color], points, keys);
  }

  private static void data(Page p, Map<String, Object> data) {
    if (data.isEmpty()) {
      return;
    }
    p.raw("<h2>Training data</h2>\n<table class=\"kv\" id=\"data\">\n");
    for (String k : List.of("users", "items", "ratings", "density")) {
      p.raw("<tr><th>").text(k).raw("</th><td>").number("data." + k, data.get(k)).raw("</td></tr>\n");
    }
    p.raw("</table>\n");
    Map<String, Object> c = map(data.get("compression"));
    if (!c.isEmpty()) {
      p.raw("<p id=\"compression\">The factors hold the ")
          .number("data.compression.cells", c.get("cells")).raw(" cells of the user &times; item matrix in ")
          .number("data.compression.numbers", c.get("numbers")).raw(" numbers: ")
          .number("data.compression.ratio", c.get("ratio")).raw(" cells per number.</p>\n");
    }
    p.raw("<div class=\"charts\">\n");
    p.raw(bars("Rating values", "rating", "ratings", list(data.get("rating_histogram")), "data.rating_histogram",
        false));
    p.raw(bars("Ratings per user", "ratings (log bins)", "users", list(data.get("ratings_per_user")),
        "data.ratings_per_user", true));
    p.raw(bars("Ratings per item", "ratings (log bins)", "items", list(data.get("ratings_per_item")),
        "data.ratings_per_item", true));
    p.raw("</div>\n");
  }

  private static String bars(String title, String xLabel, String what, List<Object> bins, String keyPrefix,
      boolean log) {
    List<String> labels = new ArrayList<>();
    List<Double> counts = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    for (int b = 0; b < bins.size(); b++) {
      Map<String, Object> bin = map(bins.get(b));
      double from = ((Number) bin.get("from")).doubleValue();
      double to = ((Number) bin.get("to")).doubleValue();
      boolean whole = from == Math.rint(from) && to == Math.rint(to);
      labels.add(from == to ? Page.format(from)
          : whole ? Page.format(from) + "–" + Page.format(to) : Page.significant(from, 2));
      counts.add(((Number) bin.get(what)).doubleValue());
      keys.add(keyPrefix + "[" + b + "]." + what);
    }
    return Charts.bars(title, xLabel, what, labels, counts, keys, log);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object o) {
    return o instanceof List<?> l ? (List<Object>) l : List.of();
  }
}
