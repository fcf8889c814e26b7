package io.wharf.cli.read;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.cli.ExitCode;
import io.wharf.cli.Main;
import io.wharf.cli.output.Documents;
import io.wharf.cli.output.OutputFormat;
import io.wharf.client.ListOptions;
import io.wharf.client.WharfClient;
import io.wharf.model.Kind;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code wharf get KIND [NAME]}: a table of objects, or their JSON/YAML. */
@Command(name = "get", description = "List objects of a kind, or show one.",
    footer = {"", "Kinds: namespaces, stacks, services (svc), jobs, cronjobs, routes, configs,",
        "secrets, nodes, instances, events. Secret values are never shown."})
public final class GetCommand implements Callable<Integer> {

  private final Main root;

  @Parameters(index = "0", paramLabel = "KIND", description = "Kind, e.g. services.")
  String kindText;

  @Parameters(index = "1", arity = "0..1", paramLabel = "NAME", description = "One object.")
  String name;

  @Mixin
  NamespaceOptions namespaces;

  @Option(names = {"-l", "--selector"}, paramLabel = "KEY=VALUE", split = ",",
      description = "Only objects with these labels (repeat or comma-separate).")
  Map<String, String> labels = new LinkedHashMap<>();

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT",
      description = "table (default), json or yaml.")
  OutputFormat output = OutputFormat.TABLE;

  public GetCommand(Main root) {
    this.root = root;
  }

  @Override
  public Integer call() {
    Kind kind = KindArgument.parse(kindText);
    PrintStream out = root.environment().out();
    try (WharfClient api = root.client()) {
      if (name != null) {
        JsonNode object = api.get(kind.plural(), kind.namespaced() ? namespaces.single() : null,
            name);
        out.print(output == OutputFormat.TABLE
            ? Columns.table(kind, List.of(object), root.environment().clock().instant()).render()
            : new Documents().render(object, output));
        return ExitCode.OK.code();
      }
      String namespace = kind.namespaced() ? namespaces.resolve(kind == Kind.EVENT) : null;
      List<JsonNode> items = api.listAll(kind.plural(),
          new ListOptions(namespace, labels, 0, null));
      if (output != OutputFormat.TABLE) {
        out.print(new Documents().render(list(kind, items), output));
      } else if (items.isEmpty()) {
        root.environment().err().println("No " + kind.plural() + " found"
            + (namespace != null ? " in namespace " + namespace : "") + ".");
      } else {
        out.print(Columns.table(kind, items, root.environment().clock().instant()).render());
      }
      return ExitCode.OK.code();
    }
  }

  static ObjectNode list(Kind kind, List<JsonNode> items) {
    ObjectNode list = JsonNodeFactory.instance.objectNode();
    list.put("kind", kind.displayName() + "List");
    ArrayNode array = list.putArray("items");
    items.forEach(array::add);
    return list;
  }
}
