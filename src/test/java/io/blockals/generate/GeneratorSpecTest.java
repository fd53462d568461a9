package io.blockals.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.blockals.BlockalsException;
import org.junit.jupiter.api.Test;

class GeneratorSpecTest {
  @Test
  void defaultsAreValidAndTheThirteenArgumentConstructorMeansOnePerItem() {
    assertThatCode(() -> GeneratorSpec.defaults().validate()).doesNotThrowAnyException();
    GeneratorSpec s = new GeneratorSpec(10, 20, 100, 3, 0.1, 1L, true, 0.0, 0.0, 1, 0.0, true, false);
    assertThat(s.minPerItem()).isEqualTo(1);
  }

  @Test
  void withersChangeOneComponent() {
    GeneratorSpec d = GeneratorSpec.defaults();
    assertThat(d.withUsers(7).users()).isEqualTo(7);
    assertThat(d.withUsers(7).withUsers(d.users())).isEqualTo(d);
    assertThat(d.withNoise(0.0).noise()).isZero();
    assertThat(d.withImplicit(true).implicit()).isTrue();
    assertThat(d.withSize(1, 2, 3)).extracting(GeneratorSpec::users, GeneratorSpec::items, GeneratorSpec::ratings)
        .containsExactly(1, 2, 3L);
  }

  @Test
  void denseUniformHasEqualActivityAndUniformItems() {
    GeneratorSpec s = GeneratorSpec.denseUniform(400, 300, 0.4, 5, 0.1, 3L);
    assertThat(s.ratings()).isEqualTo(48_000);
    assertThat(s.minPerUser()).isEqualTo(120);
    assertThat(s.itemZipf()).isZero();
    assertThat(s.userSkew()).isZero();
    assertThat(s.testFraction()).isZero();
  }

  @Test
  void completeMatrixIsAllowedOneMoreIsNot() {
    GeneratorSpec full = GeneratorSpec.defaults().withSize(10, 10, 100);
    assertThatCode(full::validate).doesNotThrowAnyException();
    BlockalsException e = catchThrowableOfType(BlockalsException.class, () -> full.withRatings(101).validate());
    assertThat(e.exitCode()).isEqualTo(BlockalsException.EXIT_USAGE);
    assertThat(e.getMessage()).contains("--ratings 101", "100 possible");
  }

  @Test
  void generateRefusesAnInvalidSpecAsAUsageError() {
    BlockalsException e = catchThrowableOfType(BlockalsException.class,
        () -> SyntheticGenerator.generate(GeneratorSpec.defaults().withTestFraction(1.0)));
    assertThat(e.exitCode()).isEqualTo(2);
  }

  @Test
  void commandLineRoundTripsTheOptions() {
    GeneratorSpec s = GeneratorSpec.defaults().withBiases(false).withImplicit(true).withStringIds(false);
    assertThat(s.toCommandLine()).contains("--int-ids", "--no-biases", "--implicit", "--users 1000",
        "--test-fraction 0.1");
    assertThat(GeneratorSpec.defaults().toCommandLine()).contains("--string-ids").doesNotContain("--no-biases");
  }
}
