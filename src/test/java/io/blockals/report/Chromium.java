package io.blockals.report;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;

/**
 * Headless Chromium for the report tests: Debian's {@code chromium} (or the binary {@code -Dblockals.chromium} or
 * {@code $CHROMIUM} names); {@code .ci/run} installs it when it is missing. A missing browser fails the test with
 * how to install one; it never skips.
 */
public final class Chromium {
  private final Path work;

  /** A browser whose profile and error log live under {@code work}. */
  public Chromium(Path work) {
    this.work = work;
  }

  /** The DOM of {@code page} after Chromium has loaded and laid it out, parsed. */
  public Document render(Path page) throws IOException, InterruptedException {
    return Jsoup.parse(run("--dump-dom", page.toUri().toString()), page.toUri().toString());
  }

  /** A PNG of {@code page} at {@code width} x {@code height} pixels, written to {@code png}. */
  public void screenshot(Path page, Path png, int width, int height) throws IOException, InterruptedException {
    Files.deleteIfExists(png);
    run("--window-size=" + width + "," + height, "--screenshot=" + png.toAbsolutePath(), page.toUri().toString());
  }

  /** Runs Chromium with {@code args}; returns its standard output. */
  private String run(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(browser(), "--headless", "--no-sandbox", "--disable-gpu",
        "--hide-scrollbars", "--no-first-run", "--user-data-dir=" + work.resolve("chromium-profile")));
    cmd.addAll(List.of(args));
    File err = work.resolve("chromium.err").toFile();
    Process p = new ProcessBuilder(cmd).redirectError(err).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("chromium did not finish in 120 s: %s", cmd);
    }
    if (p.exitValue() != 0) {
      fail("chromium exited with %d: %s%n%s", p.exitValue(), cmd, Files.readString(err.toPath()));
    }
    return new String(out, StandardCharsets.UTF_8);
  }

  private static String browser() {
    String named = System.getProperty("blockals.chromium", System.getenv("CHROMIUM"));
    if (named != null && !named.isBlank()) {
      return named;
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      for (String name : List.of("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")) {
        if (Files.isExecutable(Path.of(dir, name))) {
          return Path.of(dir, name).toString();
        }
      }
    }
    fail("no Chromium found on the PATH: install Debian's chromium (apt-get install chromium; .ci/run does) or "
        + "set CHROMIUM to a Chromium or Chrome binary");
    return null;
  }
}
