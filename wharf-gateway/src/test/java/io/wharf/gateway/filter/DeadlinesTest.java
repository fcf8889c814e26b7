package io.wharf.gateway.filter;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeadlinesTest {
  private final EventLoop loop = new DefaultEventLoop();
  private final List<String> fired = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }

  private final class Named extends Deadlines.Deadline {
    private final String name;
    private final CountDownLatch done;

    Named(String name, CountDownLatch done) {
      this.name = name;
      this.done = done;
    }

    @Override
    void expired() {
      assertThat(loop.inEventLoop()).isTrue();
      fired.add(name);
      done.countDown();
    }
  }

  @Test
  void pendingDeadlinesExpireInTimeOrderAcrossLanesAndCancelledOnesNever() throws Exception {
    CountDownLatch done = new CountDownLatch(3);
    loop.execute(() -> {
      Deadlines deadlines = new Deadlines(loop);
      Named slow = new Named("slow", done);
      Named cancelled = new Named("cancelled", done);
      deadlines.add(slow, 300);
      deadlines.add(new Named("fast-1", done), 30);
      deadlines.add(cancelled, 30);
      deadlines.add(new Named("fast-2", done), 30);
      cancelled.cancel(); // unlinked from the middle of its lane
      cancelled.cancel(); // twice is harmless
    });
    assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(fired).containsExactly("fast-1", "fast-2", "slow");
  }

  @Test
  void aDeadlineAddedAgainAfterExpiryFiresAgain() throws Exception {
    CountDownLatch first = new CountDownLatch(1);
    CountDownLatch second = new CountDownLatch(1);
    Deadlines[] deadlines = new Deadlines[1];
    Named[] d = new Named[1];
    loop.execute(() -> {
      deadlines[0] = new Deadlines(loop);
      d[0] = new Named("once", first);
      deadlines[0].add(d[0], 10);
    });
    assertThat(first.await(10, TimeUnit.SECONDS)).isTrue();
    loop.execute(() -> deadlines[0].add(new Named("again", second), 10)); // the tick restarts after going idle
    assertThat(second.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(fired).containsExactly("once", "again");
  }
}
