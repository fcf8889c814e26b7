package io.wharf.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.cli.output.Documents;
import io.wharf.cli.output.OutputFormat;
import io.wharf.client.ClientException;
import io.wharf.client.WharfClient;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code wharf version}: this CLI's version and the server's. */
@Command(name = "version", description = "Show the client's and the server's version.")
final class VersionCommand implements Callable<Integer> {

  private final Main root;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT",
      description = "table (default), json or yaml.")
  OutputFormat output = OutputFormat.TABLE;

  VersionCommand(Main root) {
    this.root = root;
  }

  @Override
  public Integer call() {
    PrintStream out = root.environment().out();
    String client = WharfVersion.current();
    JsonNode server;
    try (WharfClient api = root.client()) {
      server = api.version();
    } catch (ClientException e) {
      if (output == OutputFormat.TABLE) {
        out.println("Client: " + client);
      }
      throw e;
    }
    if (output == OutputFormat.TABLE) {
      out.println("Client: " + client);
      out.println("Server: " + server.path("version").asText("unknown")
          + " (API " + server.path("api").asText("?") + ", " + root.clientSettings().baseUrl()
          + ")");
    } else {
      ObjectNode both = JsonNodeFactory.instance.objectNode();
      both.put("client", client);
      both.set("server", server);
      out.print(new Documents().render(both, output));
    }
    return ExitCode.OK.code();
  }
}
