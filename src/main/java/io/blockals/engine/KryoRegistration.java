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
      // Spark's own classes that reach Kryo in blockals' jobs: the schema a model is read with
      // (ModelFormat.open).
      "org.apache.spark.sql.types.FloatType$",
      "org.apache.spark.sql.types.DoubleType$",
      "org.apache.spark.sql.types.IntegerType$",
      "org.apache.spark.sql.types.LongType$",
      "org.apache.spark.sql.types.StringType",
      "org.apache.spark.sql.types.ArrayType",
      "org.apache.spark.sql.types.StructType",
      "org.apache.spark.sql.types.StructField",
      "[Lorg.apache.spark.sql.types.StructField;",
      "org.apache.spark.sql.types.Metadata",
  };

  @Override
  public void registerClasses(Kryo kryo) {
    kryo.register(SideBlock.class);
    kryo.register(FactorBlock.class);
    kryo.register(FactorMessage.class);
    kryo.register(RatingBatch.class, new RatingBatch.KryoSerializer());
    kryo.register(ItemBatch.class, new ItemBatch.KryoSerializer());
    kryo.register(AlsParams.class, new JavaSerializer());
    kryo.register(DuplicatePolicy.class);
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
  }
}
