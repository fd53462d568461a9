package io.blockals.bench;

import com.esotericsoftware.kryo.Kryo;
import org.apache.spark.serializer.KryoRegistrator;

/**
 * The class MLlib's implicit ALS sends through Kryo (its Y'Y normal equation, aggregated on the driver), for the test
 * sessions that require every serialised class to be registered and fit MLlib's implicit ALS as the reference.
 */
public final class MllibImplicitKryo implements KryoRegistrator {
  @Override
  public void registerClasses(Kryo kryo) {
    try {
      kryo.register(Class.forName("org.apache.spark.ml.recommendation.ALS$NormalEquation"));
      kryo.register(double[].class);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("MLlib's ALS has no NormalEquation class in this Spark version", e);
    }
  }
}
