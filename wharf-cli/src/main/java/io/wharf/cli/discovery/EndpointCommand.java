package io.wharf.cli.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.cli.CliException;
import io.wharf.cli.ExitCode;
import io.wharf.cli.Main;
import io.wharf.cli.output.Documents;
import io.wharf.cli.output.OutputFormat;
import io.wharf.cli.output.Table;
import io.wharf.cli.read.Columns;
import io.wharf.cli.read.NamespaceOptions;
import io.wharf.client.DiscoveryApi;
import io.wharf.client.WharfClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code wharf endpoint ls|add|rm}: what discovery hands out for each service (ready instances
 * and external endpoints), and the external entries for things outside the cluster.
 */
@Command(name = "endpoint", description = "List service endpoints; add or remove external ones.",
    synopsisSubcommandLabel = "COMMAND")
public final class EndpointCommand implements Callable<Integer> {

  /** The {@code endpoint} command with its subcommands, for {@link Main} to register. */
  public static CommandLine command(Main root) {
    CommandLine endpoint = new CommandLine(new EndpointCommand());
    endpoint.addSubcommand(new Ls(root));
    endpoint.addSubcommand(new Add(root));
    endpoint.addSubcommand(new Rm(root));
    return endpoint;
  }

  @Override
  public Integer call() {
    throw new CommandLine.ParameterException(new CommandLine(this), "missing command: ls, add or rm");
  }

  /** The table of {@code wharf endpoint ls}: one row per address. Pure. */
  public static Table table(List<JsonNode> services, boolean withNamespace) {
    Table table = withNamespace
        ? new Table("NAMESPACE", "SERVICE", "ADDRESS", "PORTS", "SOURCE", "NODE")
        : new Table("SERVICE", "ADDRESS", "PORTS", "SOURCE", "NODE");
    for (JsonNode s : services) {
      List<String[]> rows = new ArrayList<>();
      for (JsonNode e : s.path("endpoints")) {
        boolean external = e.path("source").asText().equals("external");
        rows.add(new String[] {e.path("address").asText(), Columns.ports(e.path("ports"), "-"),
            external ? "external/" + e.path("endpoint").asText() : "instance/" + e.path("instance").asText(),
            e.path("node").asText("-")});
      }
      if (rows.isEmpty()) {
        rows.add(new String[] {"<none ready>", "-", "-", "-"});
      }
      for (String[] row : rows) {
        List<String> cells = new ArrayList<>();
        if (withNamespace) {
          cells.add(s.path("namespace").asText());
        }
        cells.add(s.path("service").asText());
        cells.addAll(List.of(row));
        table.add(cells.toArray(String[]::new));
      }
    }
    return table;
  }

  @Command(name = "ls", description = {"Every service's endpoints: ready instances and external endpoints.",
      "With SERVICE, only that service's."})
  static final class Ls implements Callable<Integer> {
    private final Main root;

    @Parameters(index = "0", arity = "0..1", paramLabel = "SERVICE")
    String service;

    @Mixin
    NamespaceOptions namespaces = new NamespaceOptions();

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "table (default), json or yaml.")
    OutputFormat output = OutputFormat.TABLE;

    Ls(Main root) {
      this.root = root;
    }

    @Override
    public Integer call() {
      try (WharfClient api = root.client()) {
        DiscoveryApi discovery = new DiscoveryApi(api);
        JsonNode body;
        List<JsonNode> services = new ArrayList<>();
        String namespace = service != null ? namespaces.single() : namespaces.resolve(false);
        if (service != null) {
          body = discovery.service(namespace, service);
          services.add(body);
        } else {
          body = discovery.all(namespace);
          body.path("items").forEach(services::add);
        }
        if (output != OutputFormat.TABLE) {
          root.environment().out().print(new Documents().render(body, output));
        } else if (services.isEmpty()) {
          root.environment().err().println("No services or endpoints"
              + (namespace != null ? " in namespace " + namespace : "") + ".");
        } else {
          root.environment().out().print(table(services, namespace == null).render());
        }
        return ExitCode.OK.code();
      }
    }
  }

  @Command(name = "add", description = {"Register an address outside the cluster as an endpoint of a service,",
      "e.g. a database on a VM: wharf endpoint add db-vm1 --service db --address 10.0.0.5 --port postgres=5432"})
  static final class Add implements Callable<Integer> {
    private final Main root;

    @Parameters(index = "0", paramLabel = "NAME", description = "Name of the endpoint entry.")
    String name;

    @Option(names = "--service", required = true, paramLabel = "SERVICE",
        description = "The service it serves as (need not be a Wharf service).")
    String service;

    @Option(names = "--address", required = true, paramLabel = "IP", description = "An IPv4 or IPv6 address.")
    String address;

    @Option(names = {"-p", "--port"}, paramLabel = "NAME=PORT", description = "A named port (repeatable).")
    List<String> ports = new ArrayList<>();

    @Mixin
    NamespaceOptions namespaces = new NamespaceOptions();

    Add(Main root) {
      this.root = root;
    }

    @Override
    public Integer call() {
      Map<String, Integer> named = parsePorts(ports);
      String namespace = namespaces.single();
      try (WharfClient api = root.client()) {
        new DiscoveryApi(api).add(namespace, name, service, address, named);
        root.environment().out().println("Endpoint " + namespace + "/" + name + " added: " + service + " at "
            + address + (named.isEmpty() ? "" : " " + named));
        return ExitCode.OK.code();
      }
    }
  }

  /** {@code name=port} pairs, in order. */
  static Map<String, Integer> parsePorts(List<String> specs) {
    Map<String, Integer> out = new LinkedHashMap<>();
    for (String spec : specs) {
      int eq = spec.indexOf('=');
      String portText = eq < 0 ? "" : spec.substring(eq + 1);
      if (eq <= 0 || !portText.matches("\\d{1,5}")) {
        throw CliException.usage("--port takes NAME=PORT such as postgres=5432, not \"" + spec + "\"");
      }
      if (out.put(spec.substring(0, eq), Integer.parseInt(portText)) != null) {
        throw CliException.usage("--port " + spec.substring(0, eq) + " is given twice");
      }
    }
    return out;
  }

  @Command(name = "rm", description = "Remove an external endpoint.")
  static final class Rm implements Callable<Integer> {
    private final Main root;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Mixin
    NamespaceOptions namespaces = new NamespaceOptions();

    Rm(Main root) {
      this.root = root;
    }

    @Override
    public Integer call() {
      String namespace = namespaces.single();
      try (WharfClient api = root.client()) {
        new DiscoveryApi(api).remove(namespace, name);
        root.environment().out().println("Endpoint " + namespace + "/" + name + " removed.");
        return ExitCode.OK.code();
      }
    }
  }
}
