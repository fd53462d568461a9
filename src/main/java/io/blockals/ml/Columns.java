package io.blockals.ml;

import java.util.Arrays;
import java.util.Locale;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.Function1;

/**
 * The parameters the estimator and the model share (names, docs, defaults and validators as MLlib's ALS has them),
 * and the schema checks both make, with MLlib's wording.
 */
final class Columns {
  static final String NAN = "nan";
  static final String DROP = "drop";
  static final String BASELINE = "baseline";

  private Columns() {}

  static Param<String> userCol(Identifiable owner) {
    return new Param<>(owner, "userCol", "column name for user ids; int, bigint or string", nonEmpty());
  }

  static Param<String> itemCol(Identifiable owner) {
    return new Param<>(owner, "itemCol", "column name for item ids; int, bigint or string", nonEmpty());
  }

  static Param<String> predictionCol(Identifiable owner) {
    return new Param<>(owner, "predictionCol", "prediction column name", nonEmpty());
  }

  static Param<String> coldStartStrategy(Identifiable owner) {
    return new Param<>(owner, "coldStartStrategy", "strategy for dealing with unknown or new users/items at "
        + "prediction time: nan (NaN predictions, as MLlib), drop (rows left out, as MLlib) or baseline (global mean "
        + "plus the known side's bias, as blockals' score command). Supported options: nan, drop, baseline",
        (Function1<String, Object> & java.io.Serializable) s -> s != null
            && Arrays.asList(NAN, DROP, BASELINE).contains(s.toLowerCase(Locale.ROOT)));
  }

  static Function1<String, Object> nonEmpty() {
    return (Function1<String, Object> & java.io.Serializable) s -> s != null && !s.isEmpty();
  }

  /** The defaults both stages set, so an estimator's settings carry over to its model by name. */
  static void setDefaults(Params p, Param<String> user, Param<String> item, Param<String> prediction,
      Param<String> coldStart) {
    p.setDefault(user, "user");
    p.setDefault(item, "item");
    p.setDefault(prediction, "prediction");
    p.setDefault(coldStart, NAN);
  }

  /** An id column: int, bigint or string (a number stands for its decimal string). */
  static void checkId(StructType schema, String name) {
    DataType t = field(schema, name).dataType();
    if (!(t.equals(DataTypes.IntegerType) || t.equals(DataTypes.LongType) || t.equals(DataTypes.StringType))) {
      throw new IllegalArgumentException("Column " + name + " must be of type int, bigint or string but was "
          + "actually of type " + t.catalogString() + ".");
    }
  }

  /** A rating column: any numeric type (read as double). */
  static void checkNumeric(StructType schema, String name) {
    DataType t = field(schema, name).dataType();
    if (!(t instanceof NumericType)) {
      throw new IllegalArgumentException("Column " + name + " must be of type numeric but was actually of type "
          + t.catalogString() + ".");
    }
  }

  /** {@code schema} plus a double prediction column, which must not exist yet. */
  static StructType withPrediction(StructType schema, String name) {
    if (Arrays.asList(schema.fieldNames()).contains(name)) {
      throw new IllegalArgumentException("Column " + name + " already exists.");
    }
    return schema.add(name, DataTypes.DoubleType, true);
  }

  static StructField field(StructType schema, String name) {
    for (StructField f : schema.fields()) {
      if (f.name().equals(name)) {
        return f;
      }
    }
    throw new IllegalArgumentException(name + " does not exist. Available: "
        + String.join(", ", schema.fieldNames()));
  }
}
