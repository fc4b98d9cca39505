package dev.kernelpool.core.sim.report;

import dev.kernelpool.core.sim.SimResult;
import dev.kernelpool.core.sim.bound.BoundComparison;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A self-contained HTML page (inline SVG, no scripts, no external assets) with the results table,
 * pool size against demand over time per policy, and hit rate against idle cost per policy.
 */
public final class HtmlReport {
  private static final String[] COLORS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"};

  private HtmlReport() {}

  public static String render(String title, List<SimResult> results) {
    return render(title, results, Optional.empty());
  }

  /** With a bound, the table has its {@code vs bound} column. */
  public static String render(String title, List<SimResult> results, Optional<BoundComparison> bound) {
    StringBuilder sb = new StringBuilder();
    sb.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>").append(escape(title)).append("</title>\n")
        .append("<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
            + "td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}th{background:#eee}"
            + "svg{border:1px solid #ddd;margin:1em 0}</style></head><body>\n");
    sb.append("<h1>").append(escape(title)).append("</h1>\n");
    sb.append("<pre>").append(escape(TableReport.render(results, bound))).append("</pre>\n");
    sb.append("<h2>Pool size against demand (launches per hour), per policy</h2>\n");
    sb.append(timeline(results));
    sb.append("<h2>Hit rate against idle kernel-hours</h2>\n");
    sb.append(scatter(results));
    sb.append("</body></html>\n");
    return sb.toString();
  }

  private static String timeline(List<SimResult> results) {
    int w = 900;
    int h = 300;
    int hours = results.stream().mapToInt(r -> r.hourlyLaunches().size()).max().orElse(1);
    double max = 1;
    for (SimResult r : results) {
      for (int v : r.hourlyLaunches()) {
        max = Math.max(max, v);
      }
      for (int v : r.hourlyPool()) {
        max = Math.max(max, v);
      }
    }
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "<svg width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">\n", w, h + 40, w, h + 40));
    if (!results.isEmpty()) {
      sb.append(polyline(results.get(0).hourlyLaunches(), hours, max, w, h, "#999", "4,2"));
    }
    sb.append(legend(0, "demand (launches/h)", "#999"));
    for (int i = 0; i < results.size(); i++) {
      String color = COLORS[i % COLORS.length];
      sb.append(polyline(results.get(i).hourlyPool(), hours, max, w, h, color, "none"));
      sb.append(legend(i + 1, results.get(i).policy() + " pool size", color));
    }
    return sb.append("</svg>\n").toString();
  }

  private static String polyline(List<Integer> values, int hours, double max, int w, int h, String color, String dash) {
    StringBuilder pts = new StringBuilder();
    for (int i = 0; i < values.size(); i++) {
      pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", (double) i / Math.max(1, hours - 1) * w, h - values.get(i) / max * h));
    }
    return String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-dasharray=\"%s\" points=\"%s\"/>\n",
        color, dash, pts.toString().trim());
  }

  private static String legend(int i, String text, String color) {
    return String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"%s\" font-size=\"12\">%s</text>\n",
        10 + (i % 4) * 220, 315 + (i / 4) * 14, color, escape(text));
  }

  private static String scatter(List<SimResult> results) {
    int w = 600;
    int h = 300;
    double maxIdle = results.stream().mapToDouble(SimResult::idleKernelHours).max().orElse(1);
    maxIdle = maxIdle <= 0 ? 1 : maxIdle;
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "<svg width=\"%d\" height=\"%d\">\n", w + 150, h + 30));
    sb.append(String.format(Locale.ROOT, "<line x1=\"40\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#000\"/>", h, w, h));
    sb.append(String.format(Locale.ROOT, "<line x1=\"40\" y1=\"0\" x2=\"40\" y2=\"%d\" stroke=\"#000\"/>\n", h));
    sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"12\">idle kernel-hours (max %.1f)</text>", w - 200, h + 20, maxIdle));
    sb.append("<text x=\"0\" y=\"12\" font-size=\"12\">hit rate</text>\n");
    for (int i = 0; i < results.size(); i++) {
      SimResult r = results.get(i);
      double x = 40 + r.idleKernelHours() / maxIdle * (w - 60);
      double y = h - r.hitRate() * (h - 10);
      String color = COLORS[i % COLORS.length];
      sb.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"6\" fill=\"%s\"/>", x, y, color));
      sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" fill=\"%s\">%s %.1f%%</text>\n",
          x + 8, y - 8, color, escape(r.policy()), 100 * r.hitRate()));
    }
    return sb.append("</svg>\n").toString();
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
