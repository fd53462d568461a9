package io.blockals.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.CharType$;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimeType$;
import org.apache.spark.sql.types.VarcharType$;
import org.apache.spark.sql.types.VariantType$;
import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.Test;
import scala.reflect.ClassTag$;

/** What blockals ships survives Spark's Kryo serializer, configured as a run configures it, registration required. */
class KryoRegistrationTest {
  private final SerializerInstance kryo = new KryoSerializer(new SparkConf()
      .set("spark.kryo.registrator", KryoRegistration.class.getName())
      .set("spark.kryo.registrationRequired", "true")).newInstance();

  private <T> T roundTrip(T value) {
    ByteBuffer bytes = kryo.serialize(value, ClassTag$.MODULE$.apply(value.getClass()));
    return kryo.deserialize(bytes, ClassTag$.MODULE$.apply(value.getClass()));
  }

  @Test
  void ratingBatchKeepsEveryField() {
    RatingBatch.Builder b = new RatingBatch.Builder(8);
    b.add("u1", "itém ✓", 4.5f, 1700000000L, 0);
    b.add("u1", "", -1f, RatingBatch.NO_TIMESTAMP, 7);
    b.add("日本", "itém ✓", 0f, -5L, Long.MAX_VALUE);
    RatingBatch in = b.build();
    RatingBatch out = roundTrip(in);
    assertThat(out.userTable.strings()).containsExactly("u1", "日本");
    assertThat(out.itemTable.strings()).containsExactly("itém ✓", "");
    assertThat(out.userIdx).containsExactly(in.userIdx);
    assertThat(out.itemIdx).containsExactly(in.itemIdx);
    assertThat(out.rating).containsExactly(4.5f, -1f, 0f);
    assertThat(out.ts).containsExactly(1700000000L, RatingBatch.NO_TIMESTAMP, -5L);
    assertThat(out.ord).containsExactly(0L, 7L, Long.MAX_VALUE);
    for (int j = 0; j < in.size(); j++) {
      assertThat(out.user(j)).isEqualTo(in.user(j));
      assertThat(out.item(j)).isEqualTo(in.item(j));
    }
  }

  @Test
  void ratingBatchFromInternalRowsTravelsTheSameAsFromStrings() {
    // The two builders (Spark's UTF-8 strings, Java strings) must ship equal tables.
    RatingBatch.Builder utf8 = new RatingBatch.Builder(8, RatingBatch.Keys.UTF8);
    RatingBatch.Builder strings = new RatingBatch.Builder(8);
    String[][] rows = {{"u1", "itém ✓"}, {"u1", ""}, {"日本", "itém ✓"}, {"u1", "i_0123456789abcdef"}};
    for (int j = 0; j < rows.length; j++) {
      utf8.add(UTF8String.fromString(rows[j][0]), UTF8String.fromString(rows[j][1]), j, j, j);
      strings.add(rows[j][0], rows[j][1], j, j, j);
    }
    RatingBatch a = roundTrip(utf8.build());
    RatingBatch b = roundTrip(strings.build());
    assertThat(a.userTable.bytes).containsExactly(b.userTable.bytes);
    assertThat(a.userTable.start).containsExactly(b.userTable.start);
    assertThat(a.itemTable.bytes).containsExactly(b.itemTable.bytes);
    assertThat(a.itemTable.start).containsExactly(b.itemTable.start);
    assertThat(a.itemTable.strings()).containsExactly("itém ✓", "", "i_0123456789abcdef");
    for (int j = 0; j < rows.length; j++) {
      assertThat(a.user(j)).isEqualTo(rows[j][0]);
      assertThat(a.item(j)).isEqualTo(rows[j][1]);
    }
  }

  @Test
  void ratingBatchOfNumericIdsTravelsAsNumbersAndReadsAsTheirStrings() {
    RatingBatch.Builder b = new RatingBatch.Builder(8, RatingBatch.Keys.LONGS);
    b.add(7L, -3L, 1f, 5L, 0);
    b.add(7L, Long.MAX_VALUE, 2f, RatingBatch.NO_TIMESTAMP, 1);
    b.add(Long.MIN_VALUE, -3L, 3f, 6L, 2);
    RatingBatch out = roundTrip(b.build());
    assertThat(out.userTable.numbers).containsExactly(7L, Long.MIN_VALUE);
    assertThat(out.itemTable.numbers).containsExactly(-3L, Long.MAX_VALUE);
    assertThat(out.userIdx).containsExactly(0, 0, 1);
    assertThat(out.itemIdx).containsExactly(0, 1, 0);
    assertThat(out.item(1)).isEqualTo("9223372036854775807");
    assertThat(out.user(2)).isEqualTo("-9223372036854775808");
    assertThat(out.rating).containsExactly(1f, 2f, 3f);
    assertThat(out.ts).containsExactly(5L, RatingBatch.NO_TIMESTAMP, 6L);
  }

  @Test
  void itemBatchKeepsEveryFieldAndMayBeEmpty() {
    ItemBatch in = new ItemBatch(3, new int[] {0, 5, 70000}, new String[] {"a", "bé"}, new int[] {1, 0, 1},
        new float[] {1f, 2.5f, -3f});
    ItemBatch out = roundTrip(in);
    assertThat(out.userBlock).isEqualTo(3);
    assertThat(out.userLocal).containsExactly(0, 5, 70000);
    assertThat(out.itemTable).containsExactly("a", "bé");
    assertThat(out.itemIndex).containsExactly(1, 0, 1);
    assertThat(out.rating).containsExactly(1f, 2.5f, -3f);
    ItemBatch empty = roundTrip(new ItemBatch(0, new int[0], new String[0], new int[0], new float[0]));
    assertThat(empty.rating).isEmpty();
    assertThat(empty.itemTable).isEmpty();
  }

  @Test
  void aSchemaWithAColumnOfEverySqlTypeTravels() {
    // Spark ships an input's schema between JVMs (Parquet schema discovery); a user's file may hold any type.
    StructType schema = new StructType()
        .add("bool", DataTypes.BooleanType).add("byte", DataTypes.ByteType).add("short", DataTypes.ShortType)
        .add("int", DataTypes.IntegerType).add("long", DataTypes.LongType).add("float", DataTypes.FloatType)
        .add("double", DataTypes.DoubleType).add("decimal", DataTypes.createDecimalType(12, 3))
        .add("string", DataTypes.StringType).add("char", CharType$.MODULE$.apply(3))
        .add("varchar", VarcharType$.MODULE$.apply(8))
        .add("binary", DataTypes.BinaryType).add("date", DataTypes.DateType)
        .add("timestamp", DataTypes.TimestampType).add("timestamp_ntz", DataTypes.TimestampNTZType)
        .add("day_time", DataTypes.createDayTimeIntervalType())
        .add("year_month", DataTypes.createYearMonthIntervalType())
        .add("interval", DataTypes.CalendarIntervalType).add("null", DataTypes.NullType)
        .add("variant", VariantType$.MODULE$).add("time", TimeType$.MODULE$.apply(6))
        .add("geography", DataTypes.createGeographyType(4326)).add("geometry", DataTypes.createGeometryType(0))
        .add("array", DataTypes.createArrayType(DataTypes.FloatType, false))
        .add("map", DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType))
        .add("struct", new StructType().add("x", DataTypes.IntegerType));
    assertThat(roundTrip(schema).json()).isEqualTo(schema.json());
  }

  @Test
  void aDatasetRowTravelsWithItsSchema() {
    // The serving jobs shuffle a Dataset's rows, which carry their schema.
    StructType schema = new StructType().add("id", DataTypes.StringType).add("score", DataTypes.FloatType);
    Row row = new GenericRowWithSchema(new Object[] {"u1", 2.5f}, schema);
    Row out = roundTrip(row);
    assertThat(out.getString(0)).isEqualTo("u1");
    assertThat(out.getFloat(1)).isEqualTo(2.5f);
    assertThat(out.schema().json()).isEqualTo(schema.json());
  }
}
