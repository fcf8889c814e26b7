package io.wharf.store.embedded;

import io.wharf.store.StoreException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * The store's write-ahead log: segment files {@code wal-<n>.log} of records
 * {@code [int length][int crc32c][payload]}. Appending a batch and one fdatasync is what makes
 * writes durable; the MVStore file is only written at checkpoints, which then delete the
 * segments it covers. A record cut short by a crash (bad length or checksum) ends the log: it
 * was never acknowledged.
 *
 * <p>Thread safety: {@link #append} and {@link #rotate} are called by the store's applier
 * thread only. The channels they return are handed to the syncer, which forces (and, once
 * retired, closes) them; a retired channel is never written again. {@link #deleteBefore} only
 * touches older segment files and may run on the syncer.
 */
final class WriteAheadLog implements AutoCloseable {
  private static final String PREFIX = "wal-";
  private static final String SUFFIX = ".log";
  private static final int HEADER = 8;
  /**
   * The largest record: a transaction's new values plus the values they replace
   * ({@link EmbeddedStoreOptions#MAX_TXN_BYTES_CEILING} of new ones at most). {@link #append}
   * refuses a bigger one rather than write a record recovery would take for damage.
   */
  static final int MAX_RECORD = 256 << 20;

  private final Path dir;
  private FileChannel current;
  private long segment;
  private long position;

  private WriteAheadLog(Path dir, long segment) throws IOException {
    this.dir = dir;
    this.segment = segment;
    this.current = FileChannel.open(file(segment), StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE);
  }

  /**
   * Reads every intact record of the segments in {@code dir}, oldest first, for recovery. Stops
   * at the first damaged record.
   */
  static List<ByteBuffer> readAll(Path dir) {
    List<ByteBuffer> records = new ArrayList<>();
    for (long s : segments(dir)) {
      try (FileChannel ch = FileChannel.open(dir.resolve(PREFIX + s + SUFFIX), StandardOpenOption.READ)) {
        ByteBuffer all = ByteBuffer.allocate((int) ch.size());
        while (all.hasRemaining() && ch.read(all) >= 0) {
          // read the whole segment
        }
        all.flip();
        while (all.remaining() >= HEADER) {
          int length = all.getInt();
          int crc = all.getInt();
          if (length < 0 || length > MAX_RECORD || length > all.remaining()) {
            return records;
          }
          ByteBuffer payload = all.slice(all.position(), length);
          CRC32C check = new CRC32C();
          check.update(payload.duplicate());
          if ((int) check.getValue() != crc) {
            return records;
          }
          records.add(payload);
          all.position(all.position() + length);
        }
        if (all.hasRemaining()) {
          return records;
        }
      } catch (IOException e) {
        throw new StoreException("cannot read write-ahead log in " + dir + ": " + e, e);
      }
    }
    return records;
  }

  /** Deletes every segment in {@code dir} and starts a fresh, empty log. */
  static WriteAheadLog startFresh(Path dir) {
    try {
      List<Long> old = segments(dir);
      long next = old.isEmpty() ? 1 : old.get(old.size() - 1) + 1;
      WriteAheadLog wal = new WriteAheadLog(dir, next);
      syncDirectory(dir);
      wal.deleteBefore(next);
      return wal;
    } catch (IOException e) {
      throw new StoreException("cannot start write-ahead log in " + dir + ": " + e, e);
    }
  }

  /**
   * Appends records to the current segment (written to the OS, not yet synced) and returns the
   * channel that must be forced to make them durable.
   */
  FileChannel append(List<byte[]> payloads) throws IOException {
    long size = 0;
    for (byte[] p : payloads) {
      if (p.length > MAX_RECORD) {
        throw new IOException("write-ahead log record of " + p.length + " bytes is over the " + MAX_RECORD
            + "-byte limit");
      }
      size += HEADER + p.length;
    }
    ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(size));
    for (byte[] p : payloads) {
      CRC32C crc = new CRC32C();
      crc.update(p);
      buf.putInt(p.length).putInt((int) crc.getValue()).put(p);
    }
    buf.flip();
    while (buf.hasRemaining()) {
      position += current.write(buf, position);
    }
    return current;
  }

  /** Makes every record appended to {@code segment} durable (fdatasync). */
  static void force(FileChannel segment) throws IOException {
    segment.force(false);
  }

  /** Bytes in the current segment. */
  long size() {
    return position;
  }

  /**
   * Opens the next segment and returns the one it replaces, still open: the caller must force
   * and close it. Records appended from now on go to the new segment, numbered
   * {@link #segment()}.
   */
  FileChannel rotate() throws IOException {
    FileChannel retired = current;
    current = FileChannel.open(file(segment + 1), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    segment++;
    position = 0;
    syncDirectory(dir);
    return retired;
  }

  /** The current segment's number. */
  long segment() {
    return segment;
  }

  /** Deletes the segments numbered below {@code segment} (a checkpoint made them redundant). */
  void deleteBefore(long segment) throws IOException {
    for (long s : segments(dir)) {
      if (s < segment) {
        Files.deleteIfExists(file(s));
      }
    }
  }

  /** Makes a new segment's directory entry durable (a power loss must not drop the file). */
  private static void syncDirectory(Path dir) throws IOException {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    }
  }

  private Path file(long s) {
    return dir.resolve(PREFIX + s + SUFFIX);
  }

  private static List<Long> segments(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith(PREFIX) && n.endsWith(SUFFIX))
          .map(n -> n.substring(PREFIX.length(), n.length() - SUFFIX.length()))
          .filter(n -> n.chars().allMatch(Character::isDigit) && !n.isEmpty())
          .map(Long::parseLong).sorted().toList();
    } catch (IOException e) {
      throw new StoreException("cannot list write-ahead log in " + dir + ": " + e, e);
    }
  }

  @Override
  public void close() throws IOException {
    current.close();
  }
}
