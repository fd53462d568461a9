package io.blockals;

/**
 * A failure that blockals explains to its user in one line and maps to a process exit code
 * (the exit-code contract in DESIGN.md). Anything that is not a {@code BlockalsException} is an
 * unexpected failure and exits with {@link #EXIT_UNEXPECTED}.
 */
public class BlockalsException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public static final int EXIT_OK = 0;
  public static final int EXIT_UNEXPECTED = 1;
  public static final int EXIT_USAGE = 2;
  public static final int EXIT_INPUT_REJECTED = 3;
  public static final int EXIT_QUALITY_GATE = 4;

  private final int exitCode;

  public BlockalsException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public BlockalsException(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }

  /** Bad command line or configuration: exit code 2. */
  public static BlockalsException usage(String message) {
    return new BlockalsException(EXIT_USAGE, message);
  }

  /** Input data rejected (bad rows over the limit, empty input, missing columns): exit code 3. */
  public static BlockalsException inputRejected(String message) {
    return new BlockalsException(EXIT_INPUT_REJECTED, message);
  }

  /** The quality gate refused to publish the model: exit code 4. */
  public static BlockalsException qualityGate(String message) {
    return new BlockalsException(EXIT_QUALITY_GATE, message);
  }
}
