package io.blockals.report;

import static io.blockals.safety.Dirs.config;
import static io.blockals.safety.Dirs.modelJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.blockals.SparkTestBase;
import io.blockals.job.TrainJob;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * report.html of a real train run, rendered by headless Chromium ({@link Chromium}): the numbers the browser shows
 * are those of the run's model.json.
 */
class RunReportIT extends SparkTestBase {
  private static Path model;
  private static Map<String, Object> json;
  private static Document rendered;

  @BeforeAll
  static void trainAndRender() throws Exception {
    model = sparkTmp.resolve("model");
    TrainJob.run(spark, "data/sample/train.csv", model.toString(),
        config("rank=4", "max_iter=4", "validation_fraction=0.1"));
    json = modelJson(model);
    rendered = new Chromium(sparkTmp).render(model.resolve("report.html"));
  }

  @Test
  void everyNumberTheBrowserShowsIsTheOneInModelJson() {
    List<Element> tagged = rendered.select("[data-key]");
    assertThat(tagged).as("numbers on the page").hasSizeGreaterThan(50);
    for (Element e : tagged) {
      String key = e.attr("data-key");
      Object expected = at(json, key);
      String value = e.attr("data-value");
      if (expected == null) {
        assertThat(value).as(key).isEqualTo("null");
        continue;
      }
      double v = ((Number) expected).doubleValue();
      assertThat(Double.parseDouble(value)).as("data-value of %s", key).isEqualTo(v);
      if (e.hasClass("num")) {
        // Shown to four significant digits, or as a whole number (from 10^4 up).
        double shown = Double.parseDouble(e.text());
        double allowed = Math.abs(v) >= 1e4 ? 0.5 : Math.abs(v) * 5e-4 + 1e-12;
        assertThat(Math.abs(shown - v)).as("%s shown as '%s', model.json has %s", key, e.text(), v)
            .isLessThanOrEqualTo(allowed);
      }
    }
  }

  @Test
  void thePageShowsEveryMetricEveryIterationAndTheDataHistograms() {
    Set<String> keys = new HashSet<>(rendered.select("[data-key]").eachAttr("data-key"));
    Map<String, Object> metrics = map(json.get("metrics"));
    assertThat(metrics).containsKeys("train_rmse", "validation_rmse", "validation_mae");
    for (String m : metrics.keySet()) {
      assertThat(keys).contains("metrics." + m);
    }
    List<Object> history = list(json.get("history"));
    assertThat(history).hasSize(4);
    for (int t = 0; t < history.size(); t++) {
      assertThat(keys).contains("history[" + t + "].train_loss", "history[" + t + "].train_rmse");
      // One point per iteration on the loss chart and on the RMSE chart.
      assertThat(rendered.select("circle[data-key=\"history[" + t + "].train_loss\"]")).hasSize(1);
      assertThat(rendered.select("circle[data-key=\"history[" + t + "].train_rmse\"]")).hasSize(1);
    }
    Map<String, Object> data = map(json.get("data"));
    assertThat(((Number) data.get("ratings")).longValue())
        .isEqualTo(((Number) map(json.get("counts")).get("ratings_used")).longValue());
    for (String h : List.of("rating_histogram", "ratings_per_user", "ratings_per_item")) {
      List<Object> bins = list(data.get(h));
      assertThat(bins).as(h).isNotEmpty();
      assertThat(rendered.select("rect[data-key^=\"data." + h + "[\"]")).as(h).hasSize(bins.size());
    }
    long histogramTotal = 0;
    for (Object b : list(data.get("rating_histogram"))) {
      histogramTotal += ((Number) map(b).get("ratings")).longValue();
    }
    assertThat(histogramTotal).isEqualTo(((Number) data.get("ratings")).longValue());
  }

  @Test
  void theScreenshotIsAPictureNotABlankPage() throws Exception {
    Path png = Path.of("target", "report-screenshot.png").toAbsolutePath();
    new Chromium(sparkTmp).screenshot(model.resolve("report.html"), png, 1150, 2300);
    BufferedImage img = ImageIO.read(png.toFile());
    assertThat(img).as("a PNG at %s", png).isNotNull();
    assertThat(img.getWidth()).isEqualTo(1150);
    Set<Integer> colours = new HashSet<>();
    for (int y = 0; y < img.getHeight(); y += 7) {
      for (int x = 0; x < img.getWidth(); x += 7) {
        colours.add(img.getRGB(x, y));
      }
    }
    // Text, axes and the blue and purple bars: far more than a blank or error page's handful.
    assertThat(colours.size()).as("distinct colours").isGreaterThan(20);
  }

  /** Resolves a data-key such as {@code history[2].train_rmse} in model.json. */
  private static Object at(Map<String, Object> root, String key) {
    Object node = root;
    for (String part : key.split("\\.")) {
      int bracket = part.indexOf('[');
      String name = bracket < 0 ? part : part.substring(0, bracket);
      if (!(node instanceof Map<?, ?> m) || !m.containsKey(name)) {
        fail("the page shows %s, which model.json does not have", key);
        return null;
      }
      node = m.get(name);
      if (bracket >= 0) {
        int index = Integer.parseInt(part.substring(bracket + 1, part.length() - 1));
        node = ((List<?>) node).get(index);
      }
    }
    return node;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object o) {
    return (List<Object>) o;
  }
}
