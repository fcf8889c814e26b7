package io.wharf.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TerminalTest {

  @Test
  void withoutATerminalThereAreNoColoursAndNoQuestions() {
    Terminal none = Terminal.none(true);

    assertThat(none.ansi().green("+ create")).isEqualTo("+ create");
    assertThat(none.prompter().ask("sure?")).isEmpty();
  }

  @Test
  void anAsciiTerminalGetsAnAsciiArrow() {
    assertThat(Terminal.none(false).arrow()).isEqualTo("->");
    assertThat(Terminal.none(true).arrow()).isEqualTo("→");
  }

  @Test
  void coloursAreAnsiSequencesWhenEnabled() {
    assertThat(new Ansi(true).red("- delete")).isEqualTo("\u001b[31m- delete\u001b[0m");
  }
}
