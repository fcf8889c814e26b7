package io.wharf.store.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import org.h2.store.fs.FilePath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UninterruptibleFileTest {
  @TempDir
  Path dir;

  @Test
  void anInterruptedReaderNeitherFailsNorClosesTheFile() throws Exception {
    try (FileChannel file = FilePath.get(UninterruptibleFilePath.name(dir.resolve("f"))).open("rw")) {
      file.write(ByteBuffer.wrap(new byte[] {1, 2, 3}), 0);
      file.force(true);
      ByteBuffer read = ByteBuffer.allocate(3);

      Thread.currentThread().interrupt();
      try {
        file.read(read, 0);
        assertThat(Thread.currentThread().isInterrupted()).isTrue();
      } finally {
        Thread.interrupted();
      }

      assertThat(read.array()).containsExactly(1, 2, 3);
      assertThat(file.isOpen()).isTrue();
      assertThat(file.size()).isEqualTo(3);
    }
  }
}
