package io.wharf.client.watch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SseParserTest {

  private static List<ServerSentEvent> parse(String text) throws Exception {
    SseParser parser = new SseParser(new BufferedReader(new StringReader(text)));
    List<ServerSentEvent> out = new ArrayList<>();
    Optional<ServerSentEvent> next;
    while ((next = parser.next()).isPresent()) {
      out.add(next.get());
    }
    return out;
  }

  @Test
  void messagesAreSplitOnBlankLinesAndCommentsAreIgnored() throws Exception {
    assertThat(parse("""
        : keep-alive

        id: 58
        event: PUT
        data: {"a":1}

        id:59
        event:DELETE
        data:{"b":2}

        """)).containsExactly(
        new ServerSentEvent("58", "PUT", "{\"a\":1}"),
        new ServerSentEvent("59", "DELETE", "{\"b\":2}"));
  }

  @Test
  void dataLinesAreJoinedAndAMissingEventNameIsMessage() throws Exception {
    assertThat(parse("data: one\ndata: two\n\n"))
        .containsExactly(new ServerSentEvent(null, "message", "one\ntwo"));
  }

  @Test
  void aMessageCutOffByTheEndOfTheStreamIsDropped() throws Exception {
    assertThat(parse("id: 1\nevent: PUT\ndata: {}\n\nid: 2\nevent: PUT\ndata: {")).containsExactly(
        new ServerSentEvent("1", "PUT", "{}"));
  }
}
