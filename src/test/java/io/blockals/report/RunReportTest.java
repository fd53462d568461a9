package io.blockals.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;

/** The page from a hand-written model.json: number formatting, escaping, optional sections. */
class RunReportTest {

  @Test
  void numbersAreShownToFourSignificantDigitsOrWhole() {
    assertThat(Page.format(0.62849)).isEqualTo("0.6285");
    assertThat(Page.format(0.1)).isEqualTo("0.1");
    assertThat(Page.format(0.010832666)).isEqualTo("0.01083");
    assertThat(Page.format(70.1449)).isEqualTo("70.14");
    assertThat(Page.format(5289.0)).isEqualTo("5289");
    // From 10^4 up a whole number: 39324.56 rounds to 39325.
    assertThat(Page.format(39324.56)).isEqualTo("39325");
    assertThat(Page.format(1.2345e-7)).isEqualTo("1.235e-07");
    assertThat(Page.format(-3.0)).isEqualTo("-3");
  }

  @Test
  void textFromModelJsonIsEscaped() {
    Map<String, Object> m = model();
    m.put("run_id", "<script>alert(1)</script>");
    String html = RunReport.html(m);
    assertThat(html).doesNotContain("<script>").contains("&lt;script&gt;alert(1)&lt;/script&gt;");
  }

  @Test
  void aNullMetricIsShownAsADashAndNoValidationColumnWithoutValidation() {
    Document d = Jsoup.parse(RunReport.html(model()));
    assertThat(d.select("[data-key=metrics.validation_rmse]").first().text()).isEqualTo("–");
    assertThat(d.select("[data-key=metrics.validation_rmse]").attr("data-value")).isEqualTo("null");
    assertThat(d.select("#history th").eachText()).containsExactly("iteration", "train loss", "train RMSE",
        "seconds");
    // Two iterations: two points on each of the two charts.
    assertThat(d.select("circle")).hasSize(4);
    assertThat(d.select("#data")).isEmpty();
  }

  @Test
  void withValidationRmseInTheHistoryTheRmseChartHasTwoLines() {
    Map<String, Object> m = model();
    List<Map<String, Object>> history = List.of(
        Map.of("iteration", 1, "train_loss", 10.0, "train_rmse", 1.0, "validation_rmse", 1.2, "seconds", 0.5),
        Map.of("iteration", 2, "train_loss", 8.0, "train_rmse", 0.9, "validation_rmse", 1.1, "seconds", 0.4));
    m.put("history", history);
    Document d = Jsoup.parse(RunReport.html(m));
    assertThat(d.select("polyline")).hasSize(3);
    assertThat(d.select("[data-key=history[1].validation_rmse]").eachAttr("data-value")).containsOnly("1.1");
  }

  private static Map<String, Object> model() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format_version", 1);
    m.put("run_id", "r1");
    m.put("created_at", "2026-01-01T00:00:00Z");
    m.put("version", "test");
    Map<String, Object> metrics = new LinkedHashMap<>();
    metrics.put("train_rmse", 0.9);
    metrics.put("validation_rmse", null);
    m.put("metrics", metrics);
    m.put("params", Map.of("rank", 2));
    m.put("history", List.of(
        Map.of("iteration", 1, "train_loss", 10.0, "train_rmse", 1.0, "seconds", 0.5),
        Map.of("iteration", 2, "train_loss", 8.0, "train_rmse", 0.9, "seconds", 0.4)));
    return m;
  }
}
