package io.wharf.cli.stack;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.wharf.cli.CliException;
import io.wharf.cli.Environment;
import io.wharf.cli.ExitCode;
import io.wharf.client.WharfClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reads the stack file a command names. {@code -} is stdin (references resolve against the
 * working directory). Configs and secrets may say {@code file: path} instead of their
 * contents; the model records the path and leaves I/O to the CLI, so this inlines each file
 * (config {@code data}, secret {@code value}), relative to the stack file's directory, and
 * sends the stack as JSON. A stack without references is sent as written, so the server's
 * problems point at the user's own text.
 */
public final class StackInput {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();

  private StackInput() {
  }

  public static StackSource read(String file, Environment environment) {
    String text;
    String origin;
    Path base;
    if (file.equals("-")) {
      try {
        text = new String(environment.stdin().readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new CliException(ExitCode.ERROR, "cannot read the stack from stdin: " + e.getMessage());
      }
      origin = "<stdin>";
      base = environment.workingDirectory();
    } else {
      Path path = environment.workingDirectory().resolve(file);
      text = readFile(path, file);
      origin = file;
      base = path.toAbsolutePath().getParent();
    }
    String type = looksLikeJson(file, text) ? WharfClient.JSON : WharfClient.YAML;
    return inlineFileReferences(new StackSource(text, type, origin), base);
  }

  /** The source with every {@code file:} of configs and secrets replaced by the contents. */
  static StackSource inlineFileReferences(StackSource source, Path base) {
    JsonNode root;
    try {
      root = (source.contentType().equals(WharfClient.JSON) ? JSON : YAML).readTree(source.text());
    } catch (IOException e) {
      return source; // malformed: the server explains where
    }
    if (root == null || !root.isObject()) {
      return source;
    }
    List<String> problems = new ArrayList<>();
    boolean changed = inline(root.path("configs"), "configs", "data", base, problems);
    changed |= inline(root.path("secrets"), "secrets", "value", base, problems);
    if (!problems.isEmpty()) {
      throw new CliException(ExitCode.INVALID, source.origin() + " has " + problems.size()
          + (problems.size() == 1 ? " problem" : " problems"), problems);
    }
    if (!changed) {
      return source;
    }
    try {
      return new StackSource(JSON.writeValueAsString(root), WharfClient.JSON, source.origin());
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean inline(JsonNode section, String sectionName, String target, Path base,
      List<String> problems) {
    boolean changed = false;
    if (section.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> entries = section.fields();
      while (entries.hasNext()) {
        Map.Entry<String, JsonNode> entry = entries.next();
        changed |= inlineOne(entry.getValue(), sectionName + "." + entry.getKey(), target, base,
            problems);
      }
    } else if (section.isArray()) {
      for (int i = 0; i < section.size(); i++) {
        changed |= inlineOne(section.get(i), sectionName + "[" + i + "]", target, base, problems);
      }
    }
    return changed;
  }

  private static boolean inlineOne(JsonNode entry, String path, String target, Path base,
      List<String> problems) {
    if (!entry.isObject() || !entry.path("file").isTextual()) {
      return false;
    }
    String reference = entry.path("file").asText();
    Path file = base.resolve(reference);
    try {
      String contents = Files.readString(file, StandardCharsets.UTF_8);
      ObjectNode object = (ObjectNode) entry;
      object.remove("file");
      object.put(target, contents);
      return true;
    } catch (NoSuchFileException e) {
      problems.add(path + ".file: no such file: " + file);
    } catch (CharacterCodingException e) {
      problems.add(path + ".file: not UTF-8 text: " + file);
    } catch (IOException e) {
      problems.add(path + ".file: cannot read " + file + ": " + e.getMessage());
    }
    return false;
  }

  private static String readFile(Path path, String shown) {
    try {
      if (Files.isDirectory(path)) {
        throw CliException.usage("\"" + shown + "\" is a directory, not a stack file");
      }
      return Files.readString(path, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw CliException.usage("no such file: " + shown);
    } catch (CharacterCodingException e) {
      throw new CliException(ExitCode.INVALID, shown + " is not UTF-8 text");
    } catch (IOException e) {
      throw CliException.usage("cannot read " + shown + ": " + e.getMessage());
    }
  }

  private static boolean looksLikeJson(String file, String text) {
    if (file.endsWith(".json")) {
      return true;
    }
    if (file.endsWith(".yaml") || file.endsWith(".yml")) {
      return false;
    }
    return text.stripLeading().startsWith("{");
  }
}
