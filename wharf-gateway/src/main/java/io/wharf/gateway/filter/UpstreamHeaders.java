package io.wharf.gateway.filter;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.Arrays;

/**
 * The few headers filters set for upstream (trace context, forwarded headers): name and value
 * pairs in a small array, a name set twice keeps its last value. The proxy sets them over the
 * client's headers once their hop-by-hop ones are gone. Confined to the exchange's event loop.
 */
public final class UpstreamHeaders {
  private CharSequence[] pairs = new CharSequence[12];
  private int size; // number of used slots (2 per header)

  /** Sets {@code name} (lowercase, a constant) to {@code value}, replacing an earlier value. */
  public void set(AsciiString name, CharSequence value) {
    for (int i = 0; i < size; i += 2) {
      if (pairs[i].equals(name)) {
        pairs[i + 1] = value;
        return;
      }
    }
    if (size == pairs.length) {
      pairs = Arrays.copyOf(pairs, size * 2);
    }
    pairs[size++] = name;
    pairs[size++] = value;
  }

  /** Sets every header onto {@code headers}. */
  public void applyTo(HttpHeaders headers) {
    for (int i = 0; i < size; i += 2) {
      headers.set(pairs[i], pairs[i + 1]);
    }
  }
}
