package io.wharf.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * An open log stream, read line by line. Closing it ends the response (a followed stream
 * ends only then). Not thread safe: one reader; {@link #close()} may come from another thread.
 */
public final class LogLines implements AutoCloseable {

  private final InputStream body;
  private final BufferedReader reader;

  LogLines(InputStream body) {
    this.body = body;
    this.reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
  }

  /** The next line without its line break, or null at the end of the stream. */
  public String next() {
    try {
      return reader.readLine();
    } catch (IOException e) {
      throw new UncheckedIOException("reading the log stream failed", e);
    }
  }

  @Override
  public void close() {
    try {
      body.close();
    } catch (IOException ignored) {
      // the stream is being abandoned: nothing to recover
    }
  }
}
