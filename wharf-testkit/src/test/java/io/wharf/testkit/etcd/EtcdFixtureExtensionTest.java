package io.wharf.testkit.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A class-wide fixture serves every test of the class and of its nested classes. */
class EtcdFixtureExtensionTest {
  @RegisterExtension
  static final EtcdFixture etcd = new EtcdFixture();

  @Test
  void isRunningForTheOuterClass() {
    assertThat(etcd.isRunning()).isTrue();
  }

  @Nested
  class FirstNestedClass {
    @Test
    void stillRunning() {
      assertThat(etcd.isRunning()).isTrue();
    }
  }

  @Nested
  class SecondNestedClass {
    @Test
    void stillRunning() {
      assertThat(etcd.isRunning()).isTrue();
    }
  }
}
