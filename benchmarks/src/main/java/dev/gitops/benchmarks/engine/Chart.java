package dev.gitops.benchmarks.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes the README's chart as SVG: plan time and peak heap against N, log-log, ours beside the
 * lower bound. No plotting library; stateless.
 */
final class Chart {
  private static final int W = 420;
  private static final int H = 300;
  private static final int LEFT = 64;
  private static final int TOP = 34;
  private static final int PW = 330;
  private static final int PH = 200;
  private static final String[] COLORS = {"#d62728", "#ff7f0e", "#1f77b4", "#2ca02c"};

  private Chart() {
  }

  /** A named line of (N, value) points. */
  record Series(String name, List<double[]> points, boolean dashed) {
  }

  static String svg(Results r) {
    List<Series> time = new ArrayList<>();
    for (String[] s : new String[][] {{"plan", "0", "plan, 0% changed"}, {"plan", "10", "plan, 1% changed"},
        {"jsonNodeEquals", "0", "JsonNode.equals, 0%"}, {"jsonNodeEquals", "10", "JsonNode.equals, 1%"}}) {
      List<double[]> pts = new ArrayList<>();
      for (int n : new int[] {1_000, 10_000, 100_000}) {
        if (r.has(s[0], n, Integer.parseInt(s[1]))) {
          pts.add(new double[] {n, r.ms(s[0], n, Integer.parseInt(s[1]))});
        }
      }
      time.add(new Series(s[2], pts, s[0].startsWith("json")));
    }
    List<double[]> peak = new ArrayList<>();
    List<double[]> states = new ArrayList<>();
    List<double[]> json = new ArrayList<>();
    for (Results.Memory m : r.memories()) {
      peak.add(new double[] {m.n(), m.peak() / 1048576.0});
      states.add(new double[] {m.n(), m.states() / 1048576.0});
      json.add(new double[] {m.n(), m.json() / 1048576.0});
    }
    List<Series> heap = List.of(new Series("peak heap while planning", peak, false),
        new Series("heap of the two states alone", states, true),
        new Series("compact JSON of both states", json, true));
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
        + " font-family=\"sans-serif\" font-size=\"11\">%n", 2 * W, H + 40));
    s.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
    panel(s, 0, "plan time (ms) vs N", time);
    panel(s, W, "heap (MiB) vs N", heap);
    return s.append("</svg>\n").toString();
  }

  private static void panel(StringBuilder s, int x0, String title, List<Series> series) {
    double lo = Double.MAX_VALUE;
    double hi = 0;
    for (Series se : series) {
      for (double[] p : se.points()) {
        lo = Math.min(lo, p[1]);
        hi = Math.max(hi, p[1]);
      }
    }
    if (hi <= 0) {
      return;
    }
    double yLo = Math.floor(Math.log10(Math.max(lo, 1e-3)));
    double yHi = Math.ceil(Math.log10(hi));
    if (yHi <= yLo) {
      yHi = yLo + 1;
    }
    s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"18\" font-size=\"13\" font-weight=\"bold\">%s</text>%n",
        x0 + LEFT, title));
    s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>%n",
        x0 + LEFT, TOP, PW, PH));
    for (int e = 3; e <= 5; e++) {
      double x = x0 + LEFT + (e - 3) / 2.0 * PW;
      s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#eee\"/>"
          + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
          x, TOP, x, TOP + PH, x, TOP + PH + 14, new String[] {"1,000", "10,000", "100,000"}[e - 3]));
    }
    for (double e = yLo; e <= yHi; e++) {
      double y = TOP + PH - (e - yLo) / (yHi - yLo) * PH;
      s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>"
          + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n",
          x0 + LEFT, y, x0 + LEFT + PW, y, x0 + LEFT - 4, y + 4, label(Math.pow(10, e))));
    }
    int i = 0;
    for (Series se : series) {
      String color = COLORS[i % COLORS.length];
      StringBuilder path = new StringBuilder();
      for (double[] p : se.points()) {
        double x = x0 + LEFT + (Math.log10(p[0]) - 3) / 2.0 * PW;
        double y = TOP + PH - (Math.log10(p[1]) - yLo) / (yHi - yLo) * PH;
        path.append(path.length() == 0 ? "M" : " L").append(String.format(Locale.ROOT, "%.1f %.1f", x, y));
        s.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>%n", x, y, color));
      }
      s.append(String.format(Locale.ROOT, "<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s/>%n",
          path, color, se.dashed() ? " stroke-dasharray=\"5,3\"" : ""));
      int ly = TOP + PH + 30 + 13 * (i / 2);
      int lx = x0 + LEFT + (i % 2) * 170;
      s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"%s/>"
          + "<text x=\"%d\" y=\"%d\">%s</text>%n", lx, ly - 4, lx + 18, ly - 4, color,
          se.dashed() ? " stroke-dasharray=\"5,3\"" : "", lx + 22, ly, se.name()));
      i++;
    }
  }

  private static String label(double v) {
    if (v >= 1) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    return String.format(Locale.ROOT, "%s", v);
  }
}
