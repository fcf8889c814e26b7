package io.wharf.store.embedded;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.h2.store.fs.FileBaseDefault;

/**
 * A file for MVStore on an {@link AsynchronousFileChannel}: a thread interrupted while it waits
 * for a read or write keeps waiting (and keeps its interrupt status) instead of closing the
 * channel. Positional reads and writes may run concurrently. See {@link UninterruptibleFilePath}.
 */
final class UninterruptibleFile extends FileBaseDefault {
  private final AsynchronousFileChannel channel;

  UninterruptibleFile(Path path, String mode) throws IOException {
    this.channel = mode.equals("r")
        ? AsynchronousFileChannel.open(path, StandardOpenOption.READ)
        : AsynchronousFileChannel.open(path, Set.of(StandardOpenOption.READ,
            StandardOpenOption.WRITE, StandardOpenOption.CREATE), null);
  }

  @Override
  public int read(ByteBuffer dst, long position) throws IOException {
    return await(channel.read(dst, position));
  }

  @Override
  public int write(ByteBuffer src, long position) throws IOException {
    return await(channel.write(src, position));
  }

  @Override
  public long size() throws IOException {
    return channel.size();
  }

  @Override
  public void force(boolean metaData) throws IOException {
    channel.force(metaData);
  }

  @Override
  protected void implTruncate(long size) throws IOException {
    channel.truncate(size);
  }

  @Override
  public FileLock tryLock(long position, long size, boolean shared) throws IOException {
    return channel.tryLock(position, size, shared);
  }

  @Override
  protected void implCloseChannel() throws IOException {
    channel.close();
  }

  private static int await(Future<Integer> io) throws IOException {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return io.get();
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          if (e.getCause() instanceof IOException io2) {
            throw io2;
          }
          throw new IOException(e.getCause());
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
