package io.wharf.client.stack;

import java.util.Locale;

/** What applying a stack does to one resource. */
public enum ChangeAction {
  CREATE,
  UPDATE,
  DELETE;

  public static ChangeAction parse(String text) {
    try {
      return valueOf(text.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown plan action \"" + text + "\"", e);
    }
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
