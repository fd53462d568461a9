package io.blockals.engine;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import org.apache.spark.serializer.KryoRegistrator;

/**
 * Registers every class blockals ships between JVMs (shuffled blocks, cached rows, task results), so Kryo writes a
 * small id instead of a class name and a run with {@code spark.kryo.registrationRequired=true} fails loudly on
 * anything unregistered.
 *
 * <p>Java records get Java serialization: the Kryo generation Spark ships cannot set the final fields of a record
 * (it fails with "can't get field offset on a record class"). They are small and rare (task results, settings), so
 * the slower path costs nothing measurable.
 */
public final class KryoRegistration implements KryoRegistrator {
  /** Package-private classes of other packages, registered by name. */
  private static final String[] BY_NAME = {
      "io.blockals.data.ScanStats",
      "io.blockals.data.ScanStats$Rejected",
      "io.blockals.data.InputReport",
      "io.blockals.data.InputReport$InputFile",
      "io.blockals.data.InputReport$BadRow",
      "io.blockals.data.InputSpec",
      // evaluate's ranking metrics: user blocks, the per-user rankings merged across item blocks, their sums
      "io.blockals.serve.FactorBlock",
      "io.blockals.serve.TopK",
      "io.blockals.metrics.EvalUsers",
      "io.blockals.metrics.UserRanking",
      "[Lio.blockals.metrics.UserRanking;",
      "io.blockals.metrics.AucCounter",
      "io.blockals.metrics.MetricSums",
  };

  @Override
  public void registerClasses(Kryo kryo) {
    kryo.register(SideBlock.class);
    kryo.register(FactorBlock.class);
    kryo.register(FactorMessage.class);
    kryo.register(PublishedRows.class);
    kryo.register(ValidationBatch.class);
    kryo.register(ValidationPairs.class);
    kryo.register(ValidationUsers.class);
    kryo.register(RatingBatch.class, new RatingBatch.KryoSerializer());
    kryo.register(ItemBatch.class, new ItemBatch.KryoSerializer());
    kryo.register(AlsParams.class, new JavaSerializer());
    kryo.register(DuplicatePolicy.class);
    kryo.register(DataProfile.Partial.class);
    kryo.register(String[].class);
    kryo.register(int[].class);
    kryo.register(int[][].class);
    kryo.register(long[].class);
    kryo.register(float[].class);
    kryo.register(double[].class);
    kryo.register(double[][].class);
    kryo.register(Object[].class);
    kryo.register(java.util.TreeMap.class);
    kryo.register(java.util.HashMap.class);
    kryo.register(java.util.ArrayList.class);
    // Top-K serving (recommend, similar-items, BlockAlsModel.recommendFor*): factor rows read from a table cross a
    // shuffle as Spark's rows (features as a Float[] in an ArraySeq), then travel as blocks and merged heaps; a
    // scored table's cold flag is a boolean.
    kryo.register(org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema.class);
    kryo.register(Float[].class);
    kryo.register(scala.collection.mutable.ArraySeq.ofRef.class);
    kryo.register(org.apache.spark.sql.types.BooleanType$.class);
    kryo.register(io.blockals.serve.FactorBlock.class);
    kryo.register(io.blockals.serve.TopK.class);
    kryo.register(io.blockals.serve.TopK[].class);
    kryo.register(io.blockals.job.ServeBlocks.Partial.class);
    for (String name : BY_NAME) {
      try {
        Class<?> cls = Class.forName(name, false, KryoRegistration.class.getClassLoader());
        if (cls.isRecord()) {
          kryo.register(cls, new JavaSerializer());
        } else {
          kryo.register(cls);
        }
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException("Kryo registration lists a class that does not exist: " + name, e);
      }
    }
  }
}
