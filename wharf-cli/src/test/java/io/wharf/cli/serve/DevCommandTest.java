package io.wharf.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DevCommandTest {

  @Test
  void theBannerHasAMachineReadableApiLineAndTheNextSteps() {
    String banner = DevCommand.banner("http://127.0.0.1:7070", Path.of("/tmp/wharf"), "laptop",
        "http://127.0.0.1:40123");

    assertThat(banner.lines()).contains("API: http://127.0.0.1:7070", "Data: /tmp/wharf",
        "Agent: node laptop, endpoint http://127.0.0.1:40123",
        "  export WHARF_ADDR=http://127.0.0.1:7070", "  wharf apply -f examples/demo.yaml");
  }
}
