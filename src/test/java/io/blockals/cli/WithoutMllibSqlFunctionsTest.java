package io.blockals.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.ServiceLoader;
import org.apache.spark.ml.functions;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.SparkSessionExtensionsProvider;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WithoutMllibSqlFunctionsTest {

  @Test
  void aServiceFileIsMllibsOnlyWhenEveryEntryIsMllibsExtension() {
    String mllib = WithoutMllibSqlFunctions.MLLIB_EXTENSION;
    // MLlib's own file: a licence header in comments, a blank line, the one entry.
    assertThat(WithoutMllibSqlFunctions.onlyMllib("# licence\n#\n\n" + mllib + "\n")).isTrue();
    assertThat(WithoutMllibSqlFunctions.onlyMllib(mllib + "  # trailing comment\r\n")).isTrue();
    // Anything else in the file keeps the whole file.
    assertThat(WithoutMllibSqlFunctions.onlyMllib(mllib + "\ncom.example.Other\n")).isFalse();
    assertThat(WithoutMllibSqlFunctions.onlyMllib("com.example.Other\n")).isFalse();
    // A file with no entry at all names nothing to hide.
    assertThat(WithoutMllibSqlFunctions.onlyMllib("# only comments\n\n")).isFalse();
  }

  @Test
  void theServiceLoaderNoLongerFindsMllibsExtensionAndStillFindsOthers(@TempDir Path dir) throws Exception {
    ClassLoader real = getClass().getClassLoader();
    assertThat(providers(real)).as("the test class path holds MLlib's provider")
        .contains(WithoutMllibSqlFunctions.MLLIB_EXTENSION);

    assertThat(providers(new WithoutMllibSqlFunctions.Hiding(real)))
        .doesNotContain(WithoutMllibSqlFunctions.MLLIB_EXTENSION);

    // Another jar's file that lists MLlib's extension beside its own is kept whole.
    Path services = Files.createDirectories(dir.resolve("META-INF/services"));
    Files.writeString(services.resolve(SparkSessionExtensionsProvider.class.getName()),
        WithoutMllibSqlFunctions.MLLIB_EXTENSION + "\n" + MarkerExtension.class.getName() + "\n");
    try (URLClassLoader withOther = new URLClassLoader(new URL[] {dir.toUri().toURL()}, real)) {
      List<URL> files = Collections.list(new WithoutMllibSqlFunctions.Hiding(withOther)
          .getResources(WithoutMllibSqlFunctions.SERVICE));
      assertThat(files).containsExactly(services.resolve(SparkSessionExtensionsProvider.class.getName())
          .toUri().toURL());
    }
    // Other resources pass through untouched.
    assertThat(new WithoutMllibSqlFunctions.Hiding(real).getResource("log4j2-test.properties"))
        .isEqualTo(real.getResource("log4j2-test.properties"));
  }

  /**
   * MLlib's extension registers its functions in Spark's JVM-wide registry, so a session built without it cannot be
   * told apart in a test JVM where other sessions ran; the loader test above is what shows it is hidden. Here: the
   * commands that run MLlib code keep its SQL functions, and the thread's loader is restored when the build fails.
   */
  @Test
  void aSessionThatKeepsMllibResolvesItsFunctionsAndTheLoaderIsRestoredOnFailure() {
    ClassLoader before = Thread.currentThread().getContextClassLoader();
    assertThatThrownBy(() -> WithoutMllibSqlFunctions.getOrCreate(SparkSession.builder()
        .master("no-such-master://x").appName("bad-master"), false))
        .hasMessageContaining("no-such-master");
    assertThat(Thread.currentThread().getContextClassLoader()).isSameAs(before);

    SparkSession spark = WithoutMllibSqlFunctions.getOrCreate(SparkSession.builder()
        .master("local[1]")
        .appName("with-mllib-sql-functions")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "1"), true);
    try {
      assertThat(Thread.currentThread().getContextClassLoader()).isSameAs(before);
      StructType schema = new StructType().add("v", new VectorUDT(), false);
      Dataset<Row> df = spark.createDataFrame(List.of(RowFactory.create(Vectors.dense(1.5, -2.0))), schema);
      Row out = df.select(functions.vector_to_array(df.col("v"), "float64")).first();
      assertThat(out.getList(0)).containsExactly(1.5, -2.0);
    } finally {
      spark.stop();
    }
  }

  private static List<String> providers(ClassLoader loader) {
    List<String> names = new ArrayList<>();
    for (ServiceLoader.Provider<SparkSessionExtensionsProvider> p
        : ServiceLoader.load(SparkSessionExtensionsProvider.class, loader).stream().toList()) {
      names.add(p.type().getName());
    }
    return names;
  }

  /** Named in a made-up service file; never instantiated. */
  public static final class MarkerExtension {}
}
