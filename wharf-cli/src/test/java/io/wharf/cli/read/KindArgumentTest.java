package io.wharf.cli.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.cli.CliException;
import io.wharf.cli.ExitCode;
import io.wharf.model.Kind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class KindArgumentTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "services, SERVICE", "service, SERVICE", "Service, SERVICE", "svc, SERVICE",
      "cronjobs, CRON_JOB", "CronJob, CRON_JOB", "cj, CRON_JOB", "ns, NAMESPACE",
      "nodes, NODE", "no, NODE", "events, EVENT", "ev, EVENT", "Secrets, SECRET",
  })
  void kindsAreAcceptedTheWaysUsersTypeThem(String typed, Kind expected) {
    assertThat(KindArgument.parse(typed)).isEqualTo(expected);
  }

  @Test
  void anUnknownKindIsAUsageErrorListingTheKinds() {
    assertThatThrownBy(() -> KindArgument.parse("sevices"))
        .isInstanceOfSatisfying(CliException.class, e -> {
          assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
          assertThat(e.getMessage()).isEqualTo("unknown kind \"sevices\"; kinds are namespaces, "
              + "stacks, services, jobs, cronjobs, routes, configs, secrets, endpoints, nodes, instances, "
              + "events");
        });
  }
}
