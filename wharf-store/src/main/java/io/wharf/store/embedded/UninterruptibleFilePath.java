package io.wharf.store.embedded;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import org.h2.store.fs.FilePath;
import org.h2.store.fs.FilePathWrapper;

/**
 * An H2 file system ({@code wharf-nointr:} prefix) whose files survive thread interrupts.
 *
 * <p>MVStore's default file system uses a {@link FileChannel}, which the JDK closes for good
 * when a thread blocked in it is interrupted. Readers run on callers' threads (a page not in
 * the cache is read from disk), and callers do get interrupted (request timeouts, executor
 * shutdowns): one such interrupt would close the store's file under every other user. Files
 * opened here are {@link UninterruptibleFile}s, backed by an asynchronous channel that an
 * interrupt cannot close.
 *
 * <p>Public only because H2 creates instances reflectively; not part of Wharf's API.
 */
public final class UninterruptibleFilePath extends FilePathWrapper {
  static final String SCHEME = "wharf-nointr";

  static {
    FilePath.register(new UninterruptibleFilePath());
  }

  /** For H2's reflective instantiation. */
  public UninterruptibleFilePath() {}

  /** The H2 file name for {@code file} on this file system. */
  static String name(Path file) {
    return SCHEME + ":" + file;
  }

  @Override
  public String getScheme() {
    return SCHEME;
  }

  @Override
  public FileChannel open(String mode) throws IOException {
    return new UninterruptibleFile(Path.of(getBase().toString()), mode);
  }
}
