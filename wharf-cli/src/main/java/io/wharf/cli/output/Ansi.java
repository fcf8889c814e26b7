package io.wharf.cli.output;

/** ANSI styling that is a no-op when {@code enabled} is false. */
public record Ansi(boolean enabled) {

  public String green(String text) {
    return wrap("32", text);
  }

  public String yellow(String text) {
    return wrap("33", text);
  }

  public String red(String text) {
    return wrap("31", text);
  }

  public String bold(String text) {
    return wrap("1", text);
  }

  public String dim(String text) {
    return wrap("2", text);
  }

  private String wrap(String code, String text) {
    return enabled ? "\u001b[" + code + "m" + text + "\u001b[0m" : text;
  }
}
