package io.blockals.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blockals.engine.AlsParams;
import java.util.List;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.recommendation.ALS;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The estimator's parameters against MLlib's ALS (no SparkSession), and how they become the engine's. */
class BlockAlsParamsTest {
  private static final List<String> SHARED = List.of("rank", "maxIter", "regParam", "implicitPrefs", "alpha",
      "nonnegative", "numUserBlocks", "numItemBlocks", "checkpointInterval", "seed", "userCol", "itemCol",
      "ratingCol", "predictionCol", "coldStartStrategy");

  @Test
  void sharedParamsHaveMllibsNamesTypesAndDefaultsButTheSeed() {
    ALS mllib = new ALS();
    BlockAlsEstimator ours = new BlockAlsEstimator();
    for (String name : SHARED) {
      Param<Object> theirs = mllib.getParam(name);
      Param<Object> mine = ours.getParam(name);
      assertThat(mine.getClass()).as(name).isEqualTo(theirs.getClass());
      if (!name.equals("seed")) {
        assertThat(ours.getOrDefault(mine)).as(name).isEqualTo(mllib.getOrDefault(theirs));
      }
    }
    assertThat(ours.getSeed()).isEqualTo(42L);
    assertThat(ours.hasParam("biases")).isTrue();
    assertThat(ours.hasParam("solver")).isTrue();
    assertThat(ours.explainParams()).contains("regParam: regularization parameter");
  }

  @Test
  void copyWithAParamMapChangesOnlyThatParamAndKeepsTheUid() {
    BlockAlsEstimator est = new BlockAlsEstimator().setRank(4).setUserCol("u");
    BlockAlsEstimator copy = est.copy(new ParamMap().put(est.regParam().w(0.7)));
    assertThat(copy.uid()).isEqualTo(est.uid());
    assertThat(copy.getRegParam()).isEqualTo(0.7);
    assertThat(copy.getRank()).isEqualTo(4);
    assertThat(copy.getUserCol()).isEqualTo("u");
    assertThat(est.getRegParam()).isEqualTo(0.1);
  }

  @Test
  void engineParamsFollowTrainsConventions() {
    AlsParams p = new BlockAlsEstimator().setRank(5).setMaxIter(3).setRegParam(0.2).setCheckpointInterval(-1)
        .setNumUserBlocks(2).setNumItemBlocks(3).setSeed(9).alsParams();
    assertThat(p).isEqualTo(new AlsParams(5, 3, 0.2, false, 1.0, true, false, "auto", 2, 3, 9, 0,
        io.blockals.engine.DuplicatePolicy.LATEST));
    assertThat(new BlockAlsEstimator().setImplicitPrefs(true).alsParams().biases()).isFalse();
    assertThat(new BlockAlsEstimator().setNonnegative(true).alsParams().biases()).isFalse();
    assertThat(new BlockAlsEstimator().setBiases("FALSE").alsParams().biases()).isFalse();
    assertThatThrownBy(() -> new BlockAlsEstimator().setImplicitPrefs(true).setBiases("true").alsParams())
        .hasMessageContaining("implicitPrefs");
    assertThatThrownBy(() -> new BlockAlsEstimator().setCheckpointInterval(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new BlockAlsEstimator().setSolver("lu")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void schemaChecksAcceptIntLongAndStringIdsAndAppendADoublePrediction() {
    BlockAlsEstimator est = new BlockAlsEstimator();
    for (var idType : List.of(DataTypes.IntegerType, DataTypes.LongType, DataTypes.StringType)) {
      StructType in = new StructType().add("user", idType).add("item", DataTypes.StringType)
          .add("rating", DataTypes.FloatType);
      assertThat(est.transformSchema(in).apply("prediction").dataType()).isEqualTo(DataTypes.DoubleType);
    }
    StructType bad = new StructType().add("user", DataTypes.BooleanType).add("item", DataTypes.IntegerType)
        .add("rating", DataTypes.DoubleType);
    assertThatThrownBy(() -> est.transformSchema(bad))
        .hasMessage("Column user must be of type int, bigint or string but was actually of type boolean.");
  }
}
