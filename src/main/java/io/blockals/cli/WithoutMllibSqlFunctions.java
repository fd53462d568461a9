package io.blockals.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.SparkSessionBuilder;

/**
 * Builds a command's SparkSession without the session extension MLlib declares as a service
 * ({@code org.apache.spark.sql.ml.InternalFunctionRegistration}, which registers MLlib's vector functions such as
 * {@code vector_to_array} in Spark's function registry). On a cold JVM that registration costs about 0.9 s of Scala
 * reflection in every run. The commands that run no MLlib code (train, score, recommend, similar-items, evaluate,
 * split, tune) go without it; in their sessions {@code org.apache.spark.ml.functions.vector_to_array} fails to
 * resolve unless another session in the same JVM registered it. {@code export} and {@code bench} keep it, and
 * {@code spark.blockals.mllibSqlFunctions=true} keeps it for every command.
 *
 * <p>Spark finds session extensions with a {@code ServiceLoader} on the thread's context class loader. While the
 * session is built, that loader is a view of the real one that defines no classes and hides only the service
 * files whose every entry is MLlib's extension; every class still comes from the real loader.
 */
final class WithoutMllibSqlFunctions {
  static final String KEEP = "spark.blockals.mllibSqlFunctions";
  static final String SERVICE = "META-INF/services/org.apache.spark.sql.SparkSessionExtensionsProvider";
  static final String MLLIB_EXTENSION = "org.apache.spark.sql.ml.InternalFunctionRegistration";

  private WithoutMllibSqlFunctions() {}

  /** {@code builder.getOrCreate()}, with MLlib's extension unless {@code keep}. */
  static SparkSession getOrCreate(SparkSessionBuilder builder, boolean keep) {
    if (keep) {
      return builder.getOrCreate();
    }
    Thread t = Thread.currentThread();
    ClassLoader before = t.getContextClassLoader();
    t.setContextClassLoader(new Hiding(before != null ? before : WithoutMllibSqlFunctions.class.getClassLoader()));
    try {
      return builder.getOrCreate();
    } finally {
      t.setContextClassLoader(before);
    }
  }

  /** Whether a service file names MLlib's extension and nothing else. */
  static boolean onlyMllib(String serviceFile) {
    boolean any = false;
    for (String line : serviceFile.split("\\R")) {
      String entry = line.replaceFirst("#.*", "").trim();
      if (entry.isEmpty()) {
        continue;
      }
      if (!entry.equals(MLLIB_EXTENSION)) {
        return false;
      }
      any = true;
    }
    return any;
  }

  /** Delegates everything to the real loader; only the extension service files are filtered. */
  static final class Hiding extends ClassLoader {
    private final ClassLoader real;

    Hiding(ClassLoader real) {
      super(real);
      this.real = real;
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
      Enumeration<URL> all = real.getResources(name);
      if (!SERVICE.equals(name)) {
        return all;
      }
      List<URL> kept = new ArrayList<>();
      for (URL url : Collections.list(all)) {
        try (InputStream in = url.openStream()) {
          if (!onlyMllib(new String(in.readAllBytes(), StandardCharsets.UTF_8))) {
            kept.add(url);
          }
        }
      }
      return Collections.enumeration(kept);
    }
  }
}
