package io.wharf.store.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@SuppressWarnings("try")
class WriteAheadLogTest {
  @TempDir
  Path dir;

  private static List<String> texts(List<ByteBuffer> records) {
    return records.stream().map(b -> {
      byte[] bytes = new byte[b.remaining()];
      b.duplicate().get(bytes);
      return new String(bytes);
    }).toList();
  }

  @Test
  void recordsAreReadBackInOrderAcrossSegments() throws Exception {
    try (WriteAheadLog wal = WriteAheadLog.startFresh(dir)) {
      wal.append(List.of("a".getBytes(), "b".getBytes()));
      try (var retired = wal.rotate()) {
        WriteAheadLog.force(retired);
      }
      WriteAheadLog.force(wal.append(List.of("c".getBytes())));
    }

    assertThat(texts(WriteAheadLog.readAll(dir))).containsExactly("a", "b", "c");
  }

  @Test
  void aRecordOfAHugeTransactionIsReadBack() throws Exception {
    // A 16 MiB transaction of updates logs its new and its replaced values: past the 64 MiB the
    // log once capped records at, with a few of them.
    byte[] huge = new byte[70 << 20];
    huge[huge.length - 1] = 42;
    try (WriteAheadLog wal = WriteAheadLog.startFresh(dir)) {
      WriteAheadLog.force(wal.append(List.of(huge, "after".getBytes())));
    }

    List<ByteBuffer> records = WriteAheadLog.readAll(dir);

    assertThat(records).hasSize(2);
    assertThat(records.get(0).remaining()).isEqualTo(huge.length);
    assertThat(records.get(0).get(huge.length - 1)).isEqualTo((byte) 42);
    assertThat(texts(records.subList(1, 2))).containsExactly("after");
  }

  @Test
  void aRecordOverTheCapIsRefusedNotWritten() throws Exception {
    try (WriteAheadLog wal = WriteAheadLog.startFresh(dir)) {
      org.assertj.core.api.Assertions.assertThatThrownBy(
          () -> wal.append(List.of(new byte[WriteAheadLog.MAX_RECORD + 1])))
          .isInstanceOf(java.io.IOException.class)
          .hasMessage("write-ahead log record of " + (WriteAheadLog.MAX_RECORD + 1) + " bytes is over the "
              + WriteAheadLog.MAX_RECORD + "-byte limit");
      assertThat(wal.size()).isZero();
    }
  }

  @Test
  void aTornLastRecordEndsTheLog() throws Exception {
    Path segment;
    try (WriteAheadLog wal = WriteAheadLog.startFresh(dir)) {
      WriteAheadLog.force(wal.append(List.of("kept".getBytes(), "torn".getBytes())));
    }
    try (var files = Files.list(dir)) {
      segment = files.filter(p -> p.getFileName().toString().startsWith("wal-")).findFirst().orElseThrow();
    }
    long size = Files.size(segment);
    try (var ch = java.nio.channels.FileChannel.open(segment, StandardOpenOption.WRITE)) {
      ch.truncate(size - 2);
    }

    assertThat(texts(WriteAheadLog.readAll(dir))).containsExactly("kept");
  }

  @Test
  void aRecordWithABadChecksumEndsTheLog() throws Exception {
    Path segment;
    try (WriteAheadLog wal = WriteAheadLog.startFresh(dir)) {
      WriteAheadLog.force(wal.append(List.of("one".getBytes(), "two".getBytes(), "three".getBytes())));
    }
    try (var files = Files.list(dir)) {
      segment = files.filter(p -> p.getFileName().toString().startsWith("wal-")).findFirst().orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(segment);
    bytes[8 + 3 + 8] ^= 0x55; // first byte of the second record's payload
    Files.write(segment, bytes);

    assertThat(texts(WriteAheadLog.readAll(dir))).containsExactly("one");
  }

  @Test
  void startingFreshDropsOldSegments() throws Exception {
    try (WriteAheadLog wal = WriteAheadLog.startFresh(dir)) {
      WriteAheadLog.force(wal.append(List.of("old".getBytes())));
    }

    try (WriteAheadLog wal = WriteAheadLog.startFresh(dir)) {
      assertThat(WriteAheadLog.readAll(dir)).isEmpty();
    }
  }
}
