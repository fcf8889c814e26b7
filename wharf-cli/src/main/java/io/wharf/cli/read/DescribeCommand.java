package io.wharf.cli.read;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.cli.ExitCode;
import io.wharf.cli.Main;
import io.wharf.client.ClientException;
import io.wharf.client.WharfClient;
import io.wharf.model.Kind;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code wharf describe KIND NAME}: one object for humans, with its recent events. */
@Command(name = "describe", description = "Show one object in detail, with its recent events.")
public final class DescribeCommand implements Callable<Integer> {

  private final Main root;

  @Parameters(index = "0", paramLabel = "KIND")
  String kindText;

  @Parameters(index = "1", paramLabel = "NAME")
  String name;

  @Mixin
  NamespaceOptions namespaces;

  public DescribeCommand(Main root) {
    this.root = root;
  }

  @Override
  public Integer call() {
    Kind kind = KindArgument.parse(kindText);
    String namespace = kind.namespaced() ? namespaces.single() : null;
    try (WharfClient api = root.client()) {
      JsonNode object = api.get(kind.plural(), namespace, name);
      List<JsonNode> events = null;
      String eventsError = null;
      try {
        events = api.eventsAbout(kind.displayName(), namespace, name);
      } catch (ClientException e) {
        eventsError = e.getMessage();
      }
      root.environment().out().print(Description.render(object, events, eventsError,
          root.environment().clock().instant()));
      return ExitCode.OK.code();
    }
  }
}
