package io.blockals.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.FieldSerializer;
import io.blockals.SparkTestBase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.TaskContext;
import org.apache.spark.serializer.KryoRegistrator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * A task of the iterations fails once and Spark runs it again (local[2,2]: two attempts per task): the model and
 * every iteration's reported loss must be those of the run without the failure, neither lost nor counted twice.
 */
@SparkTestBase.Session(master = "local[2,2]", registrators = "io.blockals.engine.TaskRetryIT$FailOnce")
class TaskRetryIT extends SparkTestBase {
  @Test
  void aTaskThatFailsOnceAfterItsSolvesChangesNeitherTheModelNorTheLoss() {
    Dataset<Row> input = ratings();
    AlsParams p = EngineFixtures.params(3, 4, 0.1, true, 2, 2);

    FailOnce.arm(false);
    AlsResult clean = BlockAls.fit(input, p, null);
    Map<String, float[]> cleanUsers = EngineFixtures.collect(io.blockals.model.ModelFormat.userFactors(spark, clean));
    Map<String, float[]> cleanItems = EngineFixtures.collect(io.blockals.model.ModelFormat.itemFactors(spark, clean));
    clean.unpersist();

    // The third stage that ships factor messages is the one that solves the items of iteration 1 (and reports their
    // loss) and then sends them to the user blocks: its first task fails while writing those messages.
    FailOnce.arm(true);
    AlsResult retried = BlockAls.fit(input, p, null);
    assertThat(FailOnce.fired()).as("the injected failure happened").isTrue();

    assertThat(retried.history()).hasSameSizeAs(clean.history());
    for (int i = 0; i < clean.history().size(); i++) {
      assertThat(retried.history().get(i).trainLoss()).as("loss of iteration %d", i + 1)
          .isEqualTo(clean.history().get(i).trainLoss());
    }
    assertThat(EngineFixtures.collect(io.blockals.model.ModelFormat.userFactors(spark, retried)))
        .usingRecursiveComparison().isEqualTo(cleanUsers);
    assertThat(EngineFixtures.collect(io.blockals.model.ModelFormat.itemFactors(spark, retried)))
        .usingRecursiveComparison().isEqualTo(cleanItems);
    retried.unpersist();
  }

  private static Dataset<Row> ratings() {
    Random rnd = new Random(5);
    List<String> us = new ArrayList<>();
    List<String> is = new ArrayList<>();
    List<Double> vs = new ArrayList<>();
    for (int u = 0; u < 40; u++) {
      for (int i = 0; i < 30; i++) {
        if (rnd.nextDouble() < 0.4) {
          us.add("u" + u);
          is.add("i" + i);
          vs.add(1.0 + 4.0 * rnd.nextDouble());
        }
      }
    }
    return EngineFixtures.ratings(spark, us, is, vs, 2);
  }

  /**
   * Registers {@link FactorMessage} with a serializer that, once armed, throws in the first attempt of the first
   * task of the third distinct stage that writes messages. Runs in the test JVM (local mode), so the flags are shared.
   */
  public static final class FailOnce implements KryoRegistrator {
    private static final int STAGE = 3;
    private static final List<Integer> STAGES = new ArrayList<>();
    private static boolean armed;
    private static boolean fired;

    static synchronized void arm(boolean on) {
      armed = on;
      fired = false;
      STAGES.clear();
    }

    static synchronized boolean fired() {
      return fired;
    }

    private static synchronized boolean failNow() {
      TaskContext tc = TaskContext.get();
      if (!armed || fired || tc == null) {
        return false;
      }
      if (!STAGES.contains(tc.stageId())) {
        STAGES.add(tc.stageId());
      }
      if (STAGES.size() >= STAGE && STAGES.get(STAGE - 1) == tc.stageId() && tc.attemptNumber() == 0) {
        fired = true;
        return true;
      }
      return false;
    }

    @Override
    public void registerClasses(Kryo kryo) {
      FieldSerializer<FactorMessage> fields = new FieldSerializer<>(kryo, FactorMessage.class);
      kryo.register(FactorMessage.class, new Serializer<FactorMessage>() {
        @Override
        public void write(Kryo k, Output out, FactorMessage m) {
          if (failNow()) {
            throw new IllegalStateException("injected failure of a task's first attempt");
          }
          fields.write(k, out, m);
        }

        @Override
        public FactorMessage read(Kryo k, Input in, Class<FactorMessage> type) {
          return fields.read(k, in, type);
        }
      });
    }
  }
}
