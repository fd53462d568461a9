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
      // recommend, similar-items and evaluate's rankings: factor blocks and the merged top-K heaps
      "io.blockals.serve.FactorBlock",
      "io.blockals.serve.TopK",
      "[Lio.blockals.serve.TopK;",
      "io.blockals.job.ServeBlocks$Partial",
      // recommend's users on their way to query blocks, and their seen positions as they are combined
      "io.blockals.job.RecommendJob$QueryUser",
      "io.blockals.job.SeenItems$Positions",
      // evaluate's ranking metrics: user blocks, the per-user rankings merged across item blocks, their sums
      "io.blockals.metrics.EvalUsers",
      "io.blockals.metrics.UserRanking",
      "[Lio.blockals.metrics.UserRanking;",
      "io.blockals.metrics.AucCounter",
      "io.blockals.metrics.MetricSums",
      // train: what each block's task wrote of the factor tables
      "io.blockals.model.FactorFiles$Written",
      "[Lio.blockals.model.FactorFiles$Written;",
      // bench: the generated rows, broadcast to the tasks that build the cached input tables
      "io.blockals.bench.BenchData$Rows",
      "[Lio.blockals.bench.BenchData$Rows;",
  };

  /**
   * Spark's own classes that blockals' jobs ship through Kryo: the rows the serving jobs shuffle (a Dataset's rows
   * carry their schema), the chunks of Dataset.toLocalIterator, and every SQL type a schema can hold, since Spark
   * ships the schema of an input or a model between JVMs (Parquet schema discovery, ModelFormat.open) and an input
   * may have columns of any type. A name this Spark does not have (an older or newer version on the cluster) is
   * skipped: the same on every JVM of a run.
   */
  private static final String[] SPARK_BY_NAME = {
      "org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema",
      // a factor row's features in such a row: a Float[] in a Scala ArraySeq
      "[Ljava.lang.Float;",
      "scala.collection.mutable.ArraySeq$ofRef",
      // a task's share of Dataset.toLocalIterator (the bench reads factors back that way)
      "[Lorg.apache.spark.util.io.ChunkedByteBuffer;",
      "org.apache.spark.sql.types.StructType",
      "org.apache.spark.sql.types.StructField",
      "[Lorg.apache.spark.sql.types.StructField;",
      "org.apache.spark.sql.types.Metadata",
      "org.apache.spark.sql.types.ArrayType",
      "org.apache.spark.sql.types.MapType",
      "org.apache.spark.sql.types.DecimalType",
      "org.apache.spark.sql.types.CharType",
      "org.apache.spark.sql.types.VarcharType",
      "org.apache.spark.sql.types.StringType",
      "org.apache.spark.sql.types.StringType$",
      "org.apache.spark.sql.types.NoConstraint$",
      "org.apache.spark.sql.types.FixedLength",
      "org.apache.spark.sql.types.MaxLength",
      "org.apache.spark.sql.types.DayTimeIntervalType",
      "org.apache.spark.sql.types.YearMonthIntervalType",
      "org.apache.spark.sql.types.TimeType",
      "org.apache.spark.sql.types.GeographyType",
      "org.apache.spark.sql.types.GeometryType",
      "org.apache.spark.sql.types.EdgeInterpolationAlgorithm$SPHERICAL$",
      "org.apache.spark.sql.types.BooleanType$",
      "org.apache.spark.sql.types.ByteType$",
      "org.apache.spark.sql.types.ShortType$",
      "org.apache.spark.sql.types.IntegerType$",
      "org.apache.spark.sql.types.LongType$",
      "org.apache.spark.sql.types.FloatType$",
      "org.apache.spark.sql.types.DoubleType$",
      "org.apache.spark.sql.types.BinaryType$",
      "org.apache.spark.sql.types.DateType$",
      "org.apache.spark.sql.types.TimestampType$",
      "org.apache.spark.sql.types.TimestampNTZType$",
      "org.apache.spark.sql.types.NullType$",
      "org.apache.spark.sql.types.CalendarIntervalType$",
      "org.apache.spark.sql.types.VariantType$",
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
    for (String name : SPARK_BY_NAME) {
      try {
        kryo.register(Class.forName(name, false, KryoRegistration.class.getClassLoader()));
      } catch (ClassNotFoundException e) {
        // Not in this Spark version; skipped alike on every JVM.
      }
    }
  }
}
