package io.blockals.report;

import java.util.List;
import java.util.Locale;

/**
 * Inline SVG charts for the reports: line charts of per-iteration figures, bar charts of histograms, and scatter
 * charts of a metric against a parameter. Every point and bar carries {@code data-key} / {@code data-value} (where
 * the number comes from and its value) and a tooltip.
 */
final class Charts {
  private static final int WIDTH = 500;
  private static final int HEIGHT = 300;
  private static final int LEFT = 64;
  private static final int RIGHT = 16;
  private static final int TOP = 28;
  private static final int BOTTOM = 60;

  private Charts() {}

  /** One line: points (x, y), with the model.json path of each. */
  record Series(String name, String color, List<double[]> points, List<String> keys) {}

  static String line(String title, String xLabel, List<Series> series) {
    double x0 = Double.POSITIVE_INFINITY;
    double x1 = Double.NEGATIVE_INFINITY;
    double y0 = Double.POSITIVE_INFINITY;
    double y1 = Double.NEGATIVE_INFINITY;
    for (Series s : series) {
      for (double[] pt : s.points) {
        x0 = Math.min(x0, pt[0]);
        x1 = Math.max(x1, pt[0]);
        y0 = Math.min(y0, pt[1]);
        y1 = Math.max(y1, pt[1]);
      }
    }
    if (x0 > x1) {
      return "";
    }
    if (x0 == x1) {
      x0 -= 1;
      x1 += 1;
    }
    double pad = y1 > y0 ? (y1 - y0) * 0.08 : Math.max(Math.abs(y0) * 0.1, 1e-3);
    Axis x = new Axis(x0, x1, LEFT, WIDTH - RIGHT);
    Axis y = Axis.nice(y0 - pad, y1 + pad, HEIGHT - BOTTOM, TOP);
    StringBuilder svg = open(title);
    axes(svg, x, y, xLabel, true);
    int legend = 0;
    for (Series s : series) {
      StringBuilder poly = new StringBuilder();
      for (double[] pt : s.points) {
        poly.append(num(x.at(pt[0]))).append(',').append(num(y.at(pt[1]))).append(' ');
      }
      svg.append("<polyline fill=\"none\" stroke=\"").append(s.color).append("\" stroke-width=\"2\" points=\"")
          .append(poly.toString().trim()).append("\"/>\n");
      for (int k = 0; k < s.points.size(); k++) {
        double[] pt = s.points.get(k);
        svg.append("<circle r=\"3\" fill=\"").append(s.color).append("\" cx=\"").append(num(x.at(pt[0])))
            .append("\" cy=\"").append(num(y.at(pt[1]))).append("\" data-key=\"").append(Page.escape(s.keys.get(k)))
            .append("\" data-value=\"").append(pt[1]).append("\"><title>").append(Page.escape(s.name))
            .append(", iteration ").append(Page.format(pt[0])).append(": ")
            .append(Page.format(pt[1])).append("</title></circle>\n");
      }
      int ly = TOP + 4 + 16 * legend++;
      svg.append("<rect x=\"").append(WIDTH - RIGHT - 130).append("\" y=\"").append(ly - 8)
          .append("\" width=\"12\" height=\"3\" fill=\"").append(s.color).append("\"/><text x=\"")
          .append(WIDTH - RIGHT - 112).append("\" y=\"").append(ly - 3).append("\">")
          .append(Page.escape(s.name)).append("</text>\n");
    }
    return svg.append("</svg>\n").toString();
  }

  /** Bars with labels under them; on a log axis, bar heights are log10 of the counts (zero counts draw nothing). */
  static String bars(String title, String xLabel, String what, List<String> labels, List<Double> counts,
      List<String> keys, boolean log) {
    if (counts.isEmpty()) {
      return "";
    }
    double max = counts.stream().mapToDouble(Double::doubleValue).max().orElse(1);
    Axis y = log ? new Axis(0, Math.max(1, Math.ceil(Math.log10(Math.max(max, 1)))), HEIGHT - BOTTOM, TOP)
        : Axis.nice(0, Math.max(max, 1), HEIGHT - BOTTOM, TOP);
    Axis x = new Axis(0, counts.size(), LEFT, WIDTH - RIGHT);
    StringBuilder svg = open(title + (log ? " (log scale)" : ""));
    axes(svg, null, y, xLabel, !log);
    if (log) {
      for (int e = 0; e <= (int) y.hi; e++) {
        svg.append(yTick(y, e, "1e" + e));
      }
    }
    double slot = x.at(1) - x.at(0);
    boolean rotate = labels.size() > 6 && labels.stream().anyMatch(l -> l.length() > 3);
    for (int b = 0; b < counts.size(); b++) {
      double c = counts.get(b);
      double h = log ? (c >= 1 ? Math.log10(c) : 0) : c;
      double top = y.at(h);
      double left = x.at(b) + slot * 0.1;
      svg.append("<rect fill=\"").append(log ? "#9467bd" : "#1f77b4").append("\" x=\"").append(num(left))
          .append("\" y=\"").append(num(top)).append("\" width=\"").append(num(slot * 0.8)).append("\" height=\"")
          .append(num(y.at(0) - top)).append("\" data-key=\"").append(Page.escape(keys.get(b))).append("\" data-value=\"")
          .append((long) c).append("\"><title>").append(Page.escape(labels.get(b))).append(": ")
          .append((long) c).append(' ').append(what).append("</title></rect>\n");
      double cx = x.at(b + 0.5);
      double ly = HEIGHT - BOTTOM + 14;
      svg.append("<text text-anchor=\"").append(rotate ? "end" : "middle").append("\" x=\"").append(num(cx))
          .append("\" y=\"").append(num(ly)).append('"');
      if (rotate) {
        svg.append(" transform=\"rotate(-40 ").append(num(cx)).append(' ').append(num(ly)).append(")\"");
      }
      svg.append('>').append(Page.escape(labels.get(b))).append("</text>\n");
    }
    return svg.append("</svg>\n").toString();
  }

  /**
   * A scatter point at (x, y), with its spread {@code lo..hi} drawn as a vertical bar when {@code lo < hi}; the
   * {@code best} point is drawn larger, in another colour, with class {@code best}.
   */
  record Point(double x, double y, double lo, double hi, String key, String tooltip, boolean best) {}

  /** Points (x, y) with their spreads; on a log x axis, x is placed by log10 with a tick at each decade. */
  static String scatter(String title, String xLabel, List<Point> points, boolean logX) {
    if (points.isEmpty()) {
      return "";
    }
    double x0 = Double.POSITIVE_INFINITY;
    double x1 = Double.NEGATIVE_INFINITY;
    double y0 = Double.POSITIVE_INFINITY;
    double y1 = Double.NEGATIVE_INFINITY;
    for (Point pt : points) {
      double px = logX ? Math.log10(pt.x) : pt.x;
      x0 = Math.min(x0, px);
      x1 = Math.max(x1, px);
      y0 = Math.min(y0, Math.min(pt.y, pt.lo));
      y1 = Math.max(y1, Math.max(pt.y, pt.hi));
    }
    Axis x;
    if (logX) {
      double lo = Math.floor(x0);
      double hi = Math.max(Math.ceil(x1), lo + 1);
      x = new Axis(lo - (hi - lo) * 0.05, hi + (hi - lo) * 0.05, LEFT, WIDTH - RIGHT);
    } else {
      double pad = x1 > x0 ? (x1 - x0) * 0.08 : Math.max(Math.abs(x0) * 0.1, 1e-3);
      x = Axis.nice(x0 - pad, x1 + pad, LEFT, WIDTH - RIGHT);
    }
    double pad = y1 > y0 ? (y1 - y0) * 0.08 : Math.max(Math.abs(y0) * 0.1, 1e-3);
    Axis y = Axis.nice(y0 - pad, y1 + pad, HEIGHT - BOTTOM, TOP);
    StringBuilder svg = open(title + (logX ? " (log x)" : ""));
    axes(svg, null, y, xLabel, true);
    int bottom = HEIGHT - BOTTOM;
    if (logX) {
      for (double e = Math.ceil(x.lo); e <= x.hi; e++) {
        svg.append(xTick(x.at(e), bottom, "1e" + (long) e));
      }
    } else {
      for (double v = x.lo; v <= x.hi + x.step * 1e-9; v += x.step) {
        svg.append(xTick(x.at(v), bottom, Page.significant(round(v, x.step), 6)));
      }
    }
    Point best = null;
    for (Point pt : points) {
      if (pt.best) {
        best = pt;
        continue;
      }
      point(svg, x, y, pt, logX);
    }
    if (best != null) {
      point(svg, x, y, best, logX); // last, so no other point hides it
    }
    return svg.append("</svg>\n").toString();
  }

  private static void point(StringBuilder svg, Axis x, Axis y, Point pt, boolean logX) {
    String cx = num(x.at(logX ? Math.log10(pt.x) : pt.x));
    String color = pt.best ? "#d62728" : "#1f77b4";
    if (pt.lo < pt.hi) {
      svg.append("<line class=\"spread\" stroke=\"").append(color).append("\" stroke-opacity=\"0.6\" x1=\"")
          .append(cx).append("\" x2=\"").append(cx).append("\" y1=\"").append(num(y.at(pt.lo))).append("\" y2=\"")
          .append(num(y.at(pt.hi))).append("\" data-lo=\"").append(pt.lo).append("\" data-hi=\"").append(pt.hi)
          .append("\"/>\n");
    }
    svg.append("<circle").append(pt.best ? " class=\"best\" r=\"6\" stroke=\"#222\"" : " r=\"4\"")
        .append(" fill=\"").append(color).append("\" fill-opacity=\"0.85\" cx=\"").append(cx).append("\" cy=\"")
        .append(num(y.at(pt.y))).append("\" data-key=\"").append(Page.escape(pt.key)).append("\" data-x=\"")
        .append(pt.x).append("\" data-value=\"").append(pt.y).append("\"><title>").append(Page.escape(pt.tooltip))
        .append("</title></circle>\n");
  }

  private static String xTick(double at, int bottom, String label) {
    return "<line stroke=\"#888\" x1=\"" + num(at) + "\" x2=\"" + num(at) + "\" y1=\"" + bottom + "\" y2=\""
        + (bottom + 4) + "\"/><text text-anchor=\"middle\" x=\"" + num(at) + "\" y=\"" + (bottom + 16) + "\">"
        + label + "</text>\n";
  }

  private static StringBuilder open(String title) {
    StringBuilder svg = new StringBuilder();
    svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"")
        .append(HEIGHT).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
        .append("\" role=\"img\" aria-label=\"").append(Page.escape(title)).append("\">\n");
    svg.append("<text class=\"title\" x=\"").append(LEFT).append("\" y=\"16\">").append(Page.escape(title))
        .append("</text>\n");
    return svg;
  }

  private static void axes(StringBuilder svg, Axis x, Axis y, String xLabel, boolean yTicks) {
    int bottom = HEIGHT - BOTTOM;
    svg.append("<line stroke=\"#888\" x1=\"").append(LEFT).append("\" y1=\"").append(bottom).append("\" x2=\"")
        .append(WIDTH - RIGHT).append("\" y2=\"").append(bottom).append("\"/>\n");
    svg.append("<line stroke=\"#888\" x1=\"").append(LEFT).append("\" y1=\"").append(TOP).append("\" x2=\"")
        .append(LEFT).append("\" y2=\"").append(bottom).append("\"/>\n");
    svg.append("<text text-anchor=\"middle\" x=\"").append((LEFT + WIDTH - RIGHT) / 2).append("\" y=\"")
        .append(HEIGHT - 6).append("\">").append(Page.escape(xLabel)).append("</text>\n");
    if (yTicks) {
      for (double v = y.lo; v <= y.hi + y.step * 1e-9; v += y.step) {
        svg.append(yTick(y, v, Page.significant(round(v, y.step), 6)));
      }
    }
    if (x != null) {
      double step = Math.max(1, Math.ceil((x.hi - x.lo) / 10));
      for (double v = Math.ceil(x.lo); v <= x.hi; v += step) {
        svg.append("<text text-anchor=\"middle\" x=\"").append(num(x.at(v))).append("\" y=\"").append(bottom + 14)
            .append("\">").append(Page.format(v)).append("</text>\n");
      }
    }
  }

  private static String yTick(Axis y, double v, String label) {
    return "<line stroke=\"#eee\" x1=\"" + LEFT + "\" x2=\"" + (WIDTH - RIGHT) + "\" y1=\"" + num(y.at(v))
        + "\" y2=\"" + num(y.at(v)) + "\"/><text text-anchor=\"end\" x=\"" + (LEFT - 4) + "\" y=\""
        + num(y.at(v) + 4) + "\">" + label + "</text>\n";
  }

  private static double round(double v, double step) {
    double digits = Math.max(0, -Math.floor(Math.log10(step)) + 1);
    double f = Math.pow(10, digits);
    return Math.rint(v * f) / f;
  }

  private static String num(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  /** A linear map from data [lo, hi] to pixels [from, to], with a tick step for labelled axes. */
  private static final class Axis {
    final double lo;
    final double hi;
    final double from;
    final double to;
    final double step;

    Axis(double lo, double hi, double from, double to) {
      this(lo, hi, from, to, 1);
    }

    private Axis(double lo, double hi, double from, double to, double step) {
      this.lo = lo;
      this.hi = hi;
      this.from = from;
      this.to = to;
      this.step = step;
    }

    /** Bounds widened to multiples of a 1-2-5 step that gives about five ticks. */
    static Axis nice(double lo, double hi, double from, double to) {
      double raw = (hi - lo) / 5;
      double mag = Math.pow(10, Math.floor(Math.log10(raw)));
      double norm = raw / mag;
      double step = (norm < 1.5 ? 1 : norm < 3.5 ? 2 : norm < 7.5 ? 5 : 10) * mag;
      return new Axis(Math.floor(lo / step) * step, Math.ceil(hi / step) * step, from, to, step);
    }

    double at(double v) {
      return from + (v - lo) / (hi - lo) * (to - from);
    }
  }
}
