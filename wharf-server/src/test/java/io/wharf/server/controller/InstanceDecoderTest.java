package io.wharf.server.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.model.Instance;
import io.wharf.model.Kind;
import io.wharf.model.Metadata;
import io.wharf.model.ResourceRef;
import io.wharf.model.Service;
import io.wharf.model.cluster.Health;
import io.wharf.model.cluster.InstanceSpec;
import io.wharf.model.cluster.InstanceState;
import io.wharf.model.cluster.InstanceStatus;
import io.wharf.model.codec.ResourceCodec;
import io.wharf.model.stack.StackFile;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InstanceDecoderTest {
  static Service web() {
    return (Service) StackFile.parse("""
        stack: s
        namespace: default
        services:
          web:
            command: ["/bin/sleep", "1000"]
            resources: {cpu: 10m, memory: 32Mi}
            ports: [{name: http, port: 0}]
            volumes: ["/tmp:/data:ro"]
            health:
              readiness: {type: http, path: /ready, port: http, interval: 5s}
        """, "t").value().resources().get(0);
  }

  static Instance instance(String name, String node, int port, InstanceStatus status) {
    Service web = web();
    return new Instance(new Metadata(name, "default", Map.of("wharf.io/service", "web"), 0,
        Instant.parse("2026-11-22T05:00:00Z"), Instant.parse("2026-11-22T05:00:01Z")),
        new InstanceSpec(new ResourceRef(Kind.SERVICE, "default", "web"), 5, node, web.spec().tasks(),
            Map.of("http", port), web.spec().restart(), Map.of("config/page", 41L)), status);
  }

  @Test
  void decodesWhatTheFullCodecDecodesAlsoFromARememberedTemplate() {
    InstanceDecoder decoder = new InstanceDecoder();
    Instance first = instance("web-aaaaaaaa", "n1", 20000, InstanceStatus.EMPTY);
    Instance second = instance("web-bbbbbbbb", "n2", 20001, new InstanceStatus(InstanceState.FAILED, Health.UNHEALTHY,
        3, 137, "killed", "127.0.0.2:20001", Instant.parse("2026-11-22T05:00:02Z"), Instant.parse("2026-11-22T05:00:03Z")));

    for (Instance i : new Instance[] {first, second, first}) {
      byte[] bytes = ResourceCodec.toJson(i);
      assertThat(decoder.decode(bytes)).contains((Instance) ResourceCodec.fromJson(Kind.INSTANCE, bytes).value());
    }
    assertThat(decoder.templated()).as("the second and third came from the remembered spec").isEqualTo(2);
    assertThat(decoder.decode(ResourceCodec.toJson(second)).orElseThrow().spec().inputs())
        .as("the pinned config revisions come along").isEqualTo(Map.of("config/page", 41L));
  }

  @Test
  void bytesThatAreNotAnInstanceDecodeToNothing() {
    InstanceDecoder decoder = new InstanceDecoder();
    assertThat(decoder.decode("{\"kind\": \"Instance\", \"spec\": {}}".getBytes(StandardCharsets.UTF_8))).isEmpty();
    assertThat(decoder.decode("not json".getBytes(StandardCharsets.UTF_8))).isEmpty();
  }
}
