package io.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.client.ApiException;
import io.wharf.client.ApiProblem;
import io.wharf.client.ClientException;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class FailuresTest {

  @ParameterizedTest(name = "{0} {1} -> exit {2}")
  @CsvSource({
      "400, malformed, INVALID",
      "413, too_large, INVALID",
      "415, unsupported_media_type, INVALID",
      "422, invalid, INVALID",
      "409, conflict, CONFLICT",
      "409, already_exists, CONFLICT",
      "404, not_found, ERROR",
      "405, method_not_allowed, ERROR",
      "410, compacted, ERROR",
      "500, internal, ERROR",
      "503, unavailable, ERROR",
  })
  void serverErrorsMapToExitCodes(int status, String code, ExitCode expected) {
    assertThat(Failures.report(new ApiException(status, code, "m", List.of())).exitCode())
        .isEqualTo(expected);
  }

  @Test
  void validationProblemsBecomeDetailLines() {
    Failures.Report report = Failures.report(new ApiException(422, "invalid",
        "stack file has 2 problems", List.of(new ApiProblem("services.web.replicas", "must be >= 0"),
            new ApiProblem("", "stack has no name"))));

    assertThat(report.message()).isEqualTo("stack file has 2 problems");
    assertThat(report.details())
        .containsExactly("services.web.replicas: must be >= 0", "stack has no name");
  }

  @Test
  void anUnreachableServerIsAnErrorWithTheClientsMessage() {
    Failures.Report report = Failures.report(new ClientException("cannot reach it"));

    assertThat(report).isEqualTo(new Failures.Report(ExitCode.ERROR, "cannot reach it", List.of()));
  }

  @Test
  void anUnexpectedExceptionPointsAtDebug() {
    assertThat(Failures.report(new IllegalStateException("boom")).message())
        .isEqualTo("boom (IllegalStateException; run with --debug for details)");
  }

  @Test
  void exitCodeNumbersAreTheDocumentedOnes() {
    assertThat(List.of(ExitCode.values())).extracting(ExitCode::code)
        .containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
  }
}
