package io.wharf.cli.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.model.codec.Decoded;
import io.wharf.model.stack.StackDocument;
import io.wharf.model.stack.StackFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The stacks under examples/ are valid as shipped (the README runs them). */
class ExampleStacksTest {

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"demo.yaml", "demo-docker.yaml"})
  void exampleStackIsValid(String file) throws Exception {
    Path path = Path.of("").toAbsolutePath().getParent().resolve("examples").resolve(file);

    Decoded<StackDocument> parsed = StackFile.parse(Files.readString(path), file);

    assertThat(parsed.problems()).isEmpty();
  }
}
