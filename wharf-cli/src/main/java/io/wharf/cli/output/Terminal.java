package io.wharf.cli.output;

import java.io.Console;
import java.lang.reflect.Method;
import java.nio.charset.Charset;
import java.util.Map;
import java.util.Optional;

/**
 * What the process is connected to: whether a person is there to answer a question
 * ({@code interactive}), whether stdout takes ANSI colours, and whether it can show
 * non-ASCII symbols such as {@code →}.
 */
public record Terminal(boolean interactive, boolean colour, boolean unicode, Prompter prompter) {

  /** Asks the person at the terminal; empty when nobody can answer. */
  @FunctionalInterface
  public interface Prompter {
    Optional<String> ask(String question);
  }

  /** No terminal: no colours, no questions, ASCII-safe only when asked to be. */
  public static Terminal none(boolean unicode) {
    return new Terminal(false, false, unicode, question -> Optional.empty());
  }

  /**
   * Looks at the real process: a console that is a terminal (JDK 22+ reports a console even
   * when redirected, so {@code Console.isTerminal()} decides where it exists), TERM and
   * NO_COLOR, and whether stdout's encoding can show {@code →}.
   */
  public static Terminal detect(Map<String, String> env) {
    Console console = System.console();
    boolean tty = console != null && isTerminal(console);
    boolean colour = tty && !"dumb".equals(env.get("TERM")) && env.get("NO_COLOR") == null;
    boolean unicode = stdoutCanEncode('→');
    Prompter prompter = tty
        ? question -> Optional.ofNullable(console.readLine("%s", question))
        : question -> Optional.empty();
    return new Terminal(tty, colour, unicode, prompter);
  }

  public Ansi ansi() {
    return new Ansi(colour);
  }

  /** The arrow between an old and a new value. */
  public String arrow() {
    return unicode ? "→" : "->";
  }

  private static boolean isTerminal(Console console) {
    try {
      Method isTerminal = Console.class.getMethod("isTerminal");
      return (Boolean) isTerminal.invoke(console);
    } catch (ReflectiveOperationException e) {
      return true; // before JDK 22 a non-null console is a terminal
    }
  }

  private static boolean stdoutCanEncode(char c) {
    String name = System.getProperty("stdout.encoding");
    try {
      Charset charset = name == null ? Charset.defaultCharset() : Charset.forName(name);
      return charset.newEncoder().canEncode(c);
    } catch (RuntimeException e) {
      return false;
    }
  }
}
