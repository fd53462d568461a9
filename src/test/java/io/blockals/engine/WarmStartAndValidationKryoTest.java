package io.blockals.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;
import scala.Tuple2;
import scala.reflect.ClassTag$;

/** What a warm start and the held-out pairs ship and cache survives Kryo with every class required registered. */
class WarmStartAndValidationKryoTest {
  private final SerializerInstance kryo = new KryoSerializer(new SparkConf()
      .set("spark.kryo.registrator", KryoRegistration.class.getName())
      .set("spark.kryo.registrationRequired", "true")).newInstance();

  private <T> T roundTrip(T value) {
    ByteBuffer bytes = kryo.serialize(value, ClassTag$.MODULE$.apply(value.getClass()));
    return kryo.deserialize(bytes, ClassTag$.MODULE$.apply(value.getClass()));
  }

  @Test
  void publishedRowsKeepIdsAndValues() {
    PublishedRows out = roundTrip(new PublishedRows(new String[] {"u1", "日本"}, new float[] {1f, -2f, 0.5f, 3f}));
    assertThat(out.ids).containsExactly("u1", "日本");
    assertThat(out.values).containsExactly(1f, -2f, 0.5f, 3f);
  }

  @Test
  void validationStructuresKeepEveryField() {
    ValidationBatch b = roundTrip(new ValidationBatch(2, new int[] {0, -1}, new String[] {"u", "v"},
        new String[] {"i", "j"}, new double[] {4.5, 1.0}));
    assertThat(b.srcBlock).isEqualTo(2);
    assertThat(b.slot).containsExactly(0, -1);
    assertThat(b.users).containsExactly("u", "v");
    assertThat(b.items).containsExactly("i", "j");
    assertThat(b.ratings).containsExactly(4.5, 1.0);
    ValidationPairs p = roundTrip(new ValidationPairs(1, new int[] {3, -1}, new int[] {0, 1}, new int[] {2, -1},
        new double[] {2.0, 5.0}));
    assertThat(p.block).isEqualTo(1);
    assertThat(p.itemLocal).containsExactly(3, -1);
    assertThat(p.srcBlock).containsExactly(0, 1);
    assertThat(p.slot).containsExactly(2, -1);
    assertThat(p.rating).containsExactly(2.0, 5.0);
    ValidationUsers u = roundTrip(new ValidationUsers(0, new int[][] {{0, 4}, {}}));
    assertThat(u.outLocal[0]).containsExactly(0, 4);
    assertThat(u.outLocal[1]).isEmpty();
  }

  @Test
  void aWarmStartsCachedBlockWithItsCounts() {
    Tuple2<FactorBlock, long[]> t = roundTrip(new Tuple2<>(new FactorBlock(3, 2, new float[] {1f, 2f}, 0, 0, 0),
        new long[] {1, 0, 2}));
    assertThat(t._1().block).isEqualTo(3);
    assertThat(t._1().values).containsExactly(1f, 2f);
    assertThat(t._2()).containsExactly(1L, 0L, 2L);
  }
}
