package io.blockals.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

class TuneReportTest {
  private static TuneReport.Trial trial(int n, double reg, double rank, double... folds) {
    Map<String, Double> params = new LinkedHashMap<>();
    params.put("reg_param", reg);
    params.put("rank", rank);
    List<Double> f = new ArrayList<>();
    double sum = 0;
    for (double v : folds) {
      f.add(v);
      sum += v;
    }
    return new TuneReport.Trial(n, params, f, sum / folds.length, 1.5 + n);
  }

  private static final List<TuneReport.Trial> TRIALS = List.of(
      trial(0, 0.01, 8, 0.91, 0.95), trial(1, 0.1, 8, 0.84, 0.86), trial(2, 1.0, 8, 0.99, 1.01),
      trial(3, 0.01, 16, 0.93, 0.97), trial(4, 0.1, 16, 0.82, 0.83), trial(5, 1.0, 16, 1.02, 1.0));

  private static Document page(boolean minimise, TuneReport.Trial best, String bestConf) {
    TuneReport.Search search = new TuneReport.Search("rmse", minimise, "2-fold cross-validation",
        List.of("reg_param", "rank"), Set.of("reg_param"));
    return Jsoup.parse(TuneReport.html(search, TRIALS, best, bestConf));
  }

  @Test
  void oneChartPerParameterWithAPointPerTrialAndTheBestMarked() {
    Document d = page(true, TRIALS.get(4), "reg_param = 0.1\nrank = 16\n");
    List<Element> charts = d.select("figure.param");
    assertThat(charts).extracting(e -> e.attr("data-param")).containsExactly("reg_param", "rank");
    for (Element c : charts) {
      assertThat(c.select("circle[data-key]")).as(c.attr("data-param") + " points").hasSize(TRIALS.size());
      Element best = c.selectFirst("circle.best");
      assertThat(best).isNotNull();
      assertThat(best.attr("data-key")).isEqualTo("trial[4].mean");
      assertThat(Double.parseDouble(best.attr("data-x")))
          .isEqualTo(TRIALS.get(4).params().get(c.attr("data-param")));
    }
    assertThat(d.selectFirst("#best").select("span.num[data-key=trial[4].reg_param]").text()).startsWith("0.1");
  }

  @Test
  void theTableListsEveryTrialBestFirstInTheMetricsDirection() {
    Document low = page(true, TRIALS.get(4), "");
    assertThat(low.select("#trials tr[data-trial]")).extracting(e -> e.attr("data-trial"))
        .containsExactly("4", "1", "0", "3", "2", "5");
    assertThat(low.select("#trials tr.best")).extracting(e -> e.attr("data-trial")).containsExactly("4");
    Document high = page(false, TRIALS.get(5), "");
    assertThat(high.select("#trials tr[data-trial]")).extracting(e -> e.attr("data-trial"))
        .containsExactly("5", "2", "3", "0", "1", "4");
    // every fold value is there, tagged with where it comes from
    assertThat(low.select("#trials span.num[data-key=trial[0].fold_values[1]]").text()).startsWith("0.95");
  }

  @Test
  void textFromTheConfigIsEscaped() {
    Document d = page(true, TRIALS.get(4), "note = \"<script>alert(1)</script>\"\n");
    assertThat(d.select("script")).isEmpty();
    assertThat(d.selectFirst("#best-conf").text()).contains("<script>alert(1)</script>");
  }
}
