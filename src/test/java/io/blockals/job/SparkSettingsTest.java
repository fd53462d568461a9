package io.blockals.job;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

class SparkSettingsTest {
  @Test
  void aLocalRunStartsWithoutTheWebUiUnlessAskedFor() {
    assertThat(SparkSettings.applyDefaults(new SparkConf(false).setMaster("local[2]")).get("spark.ui.enabled"))
        .isEqualTo("false");
    SparkConf asked = new SparkConf(false).setMaster("local[*]").set("spark.ui.enabled", "true");
    assertThat(SparkSettings.applyDefaults(asked).get("spark.ui.enabled")).isEqualTo("true");
  }

  @Test
  void aClusterRunKeepsSparksDefaults() {
    SparkConf cluster = SparkSettings.applyDefaults(new SparkConf(false).setMaster("spark://host:7077"));
    assertThat(cluster.contains("spark.ui.enabled")).isFalse();
    assertThat(cluster.contains("spark.driver.host")).isFalse();
    assertThat(cluster.get("spark.serializer")).isEqualTo("org.apache.spark.serializer.KryoSerializer");
  }
}
