package io.wharf.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** This build's version, filtered into {@code wharf-version.properties} by Maven. */
public final class WharfVersion implements IVersionProvider {

  public static String current() {
    try (InputStream in = WharfVersion.class.getResourceAsStream("/wharf-version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String[] getVersion() {
    return new String[] {"wharf " + current()};
  }
}
