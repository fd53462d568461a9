package io.blockals.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * report.html of a tune run: one self-contained page (no script, no network; charts as inline SVG) of the trials
 * that trials.parquet holds. One chart per tuned parameter: every trial's mean metric against the parameter's
 * value, its folds' range as a bar when there are folds, the best trial marked; the x axis is logarithmic when the
 * parameter was drawn log-uniformly or its positive values span two decades or more. Then every trial in a table,
 * best first, and best.conf as it was written.
 *
 * <p>Each number is an element with {@code data-key} (its place in trials.parquet: {@code trial[N].mean},
 * {@code trial[N].fold_values[F]}, {@code trial[N].seconds} or {@code trial[N].KEY} for a parameter, N the trial
 * number) and {@code data-value} (the exact value).
 */
public final class TuneReport {
  private TuneReport() {}

  /**
   * What was searched.
   *
   * @param metric the metric's name (rmse, ndcg@10, ...)
   * @param minimise whether lower is better
   * @param validation how trials were scored, e.g. "3-fold cross-validation"
   * @param params the tuned keys, in trials.parquet's column order
   * @param logParams the keys drawn from a log-uniform range
   */
  public record Search(String metric, boolean minimise, String validation, List<String> params,
      Set<String> logParams) {}

  /** One trial as trials.parquet holds it. */
  public record Trial(int trial, Map<String, Double> params, List<Double> folds, double mean, double seconds) {}

  /** The page for {@code trials}, {@code best} one of them, {@code bestConf} the text of best.conf. */
  public static String html(Search search, List<Trial> trials, Trial best, String bestConf) {
    Page p = new Page();
    p.head("blockals tune: " + search.metric());
    p.raw("<h1>blockals tune: <code>").text(search.metric()).raw("</code></h1>\n<p class=\"sub\" id=\"metric\">")
        .raw("metric <code>").text(search.metric()).raw("</code>, ")
        .raw(search.minimise() ? "lower is better" : "higher is better").raw("; ").text(search.validation())
        .raw("; ").number("trials", trials.size()).raw(" trials</p>\n");
    p.raw("<p id=\"best\">Best: trial ").number("best.trial", best.trial()).raw(", mean ").text(search.metric())
        .raw(" ").number("trial[" + best.trial() + "].mean", best.mean());
    for (String k : search.params()) {
      p.raw(", ").text(k).raw(" = ").number("trial[" + best.trial() + "]." + k, best.params().get(k));
    }
    p.raw(".</p>\n");
    charts(p, search, trials, best);
    table(p, search, trials, best);
    p.raw("<h2>best.conf</h2>\n<p>The config of the best trial, which <code>train --config</code> takes as it is:"
        + "</p>\n<pre id=\"best-conf\">").text(bestConf).raw("</pre>\n");
    return p.end();
  }

  private static void charts(Page p, Search search, List<Trial> trials, Trial best) {
    p.raw("<h2>").text(search.metric()).raw(" against each parameter</h2>\n<div class=\"charts\" id=\"charts\">\n");
    for (String k : search.params()) {
      List<Charts.Point> points = new ArrayList<>();
      double min = Double.POSITIVE_INFINITY;
      double max = Double.NEGATIVE_INFINITY;
      for (Trial t : trials) {
        double x = t.params().get(k);
        min = Math.min(min, x);
        max = Math.max(max, x);
        double lo = t.folds().stream().mapToDouble(Double::doubleValue).min().orElse(t.mean());
        double hi = t.folds().stream().mapToDouble(Double::doubleValue).max().orElse(t.mean());
        String tip = "trial " + t.trial() + ": " + k + " " + Page.format(x) + ", " + search.metric() + " "
            + Page.format(t.mean()) + (t.folds().size() > 1 ? " (folds " + Page.format(lo) + "–" + Page.format(hi)
            + ")" : "") + (t == best ? ", best" : "");
        points.add(new Charts.Point(x, t.mean(), lo, hi, "trial[" + t.trial() + "].mean", tip, t == best));
      }
      boolean log = min > 0 && (search.logParams().contains(k) || max / min >= 100);
      p.raw("<figure class=\"param\" data-param=\"").text(k).raw("\">\n")
          .raw(Charts.scatter(search.metric() + " against " + k, k, points, log)).raw("</figure>\n");
    }
    p.raw("</div>\n");
  }

  private static void table(Page p, Search search, List<Trial> trials, Trial best) {
    int folds = trials.stream().mapToInt(t -> t.folds().size()).max().orElse(0);
    List<Trial> sorted = new ArrayList<>(trials);
    Comparator<Trial> byMean = Comparator.comparingDouble(Trial::mean);
    // best first; a trial without a defined mean goes last whatever the direction
    sorted.sort(Comparator.comparing((Trial t) -> Double.isNaN(t.mean()))
        .thenComparing(search.minimise() ? byMean : byMean.reversed()).thenComparingInt(Trial::trial));
    p.raw("<h2>Trials, best first</h2>\n<table class=\"grid\" id=\"trials\">\n<tr><th>trial</th>");
    for (String k : search.params()) {
      p.raw("<th>").text(k).raw("</th>");
    }
    for (int f = 1; f <= folds; f++) {
      p.raw("<th>fold ").raw(Integer.toString(f)).raw("</th>");
    }
    p.raw("<th>mean ").text(search.metric()).raw("</th><th>seconds</th></tr>\n");
    for (Trial t : sorted) {
      String at = "trial[" + t.trial() + "].";
      p.raw(t == best ? "<tr class=\"best\" data-trial=\"" : "<tr data-trial=\"").raw(Integer.toString(t.trial()))
          .raw("\"><td>").number(at + "trial", t.trial()).raw(t == best ? " (best)" : "").raw("</td>");
      for (String k : search.params()) {
        p.raw("<td>").number(at + k, t.params().get(k)).raw("</td>");
      }
      for (int f = 0; f < folds; f++) {
        p.raw("<td>").number(at + "fold_values[" + f + "]", f < t.folds().size() ? t.folds().get(f) : null)
            .raw("</td>");
      }
      p.raw("<td>").number(at + "mean", t.mean()).raw("</td><td>").number(at + "seconds", t.seconds())
          .raw("</td></tr>\n");
    }
    p.raw("</table>\n");
  }
}
