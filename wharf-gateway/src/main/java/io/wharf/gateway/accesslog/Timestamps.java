package io.wharf.gateway.accesslog;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * ISO-8601 UTC timestamps with milliseconds, the formatted second reused while it lasts (a batch
 * of lines mostly shares one). Confined to the writer's thread.
 */
final class Timestamps {
  private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss")
      .withZone(ZoneOffset.UTC);
  private long second = Long.MIN_VALUE;
  private byte[] prefix = new byte[0];

  void append(LineBuffer out, long epochMillis) {
    long s = Math.floorDiv(epochMillis, 1000);
    if (s != second) {
      second = s;
      prefix = SECONDS.format(Instant.ofEpochSecond(s)).getBytes(StandardCharsets.US_ASCII);
    }
    out.text(prefix).ch('.').threeDigits((int) Math.floorMod(epochMillis, 1000)).ch('Z');
  }
}
