package io.wharf.cli.stack;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.wharf.cli.CliException;
import io.wharf.cli.Environment;
import io.wharf.cli.ExitCode;
import io.wharf.client.WharfClient;
import io.wharf.model.document.DocumentParser;
import io.wharf.model.document.Tree;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the stack file a command names. {@code -} is stdin (references resolve against the
 * working directory). Configs and secrets may say {@code file: path} instead of their
 * contents; the model records the path and leaves I/O to the CLI, so this inlines each file
 * (config {@code data}, secret {@code value}), relative to the stack file's directory, and
 * sends the stack as JSON converted from the model's own document tree (so YAML anchors, merge
 * keys and unquoted scalars mean what they mean to the server). A stack without references is sent as written, so the server's
 * problems point at the user's own text.
 */
public final class StackInput {

  private static final JsonFactory JSON = new JsonFactory();

  private StackInput() {
  }

  /** The stack with its {@code file:} references inlined, ready for plan and apply. */
  public static StackSource read(String file, Environment environment) {
    StackSource source = readAsWritten(file, environment);
    Path base = file.equals("-") ? environment.workingDirectory()
        : environment.workingDirectory().resolve(file).toAbsolutePath().getParent();
    return inlineFileReferences(source, base);
  }

  /** The stack as written (references not read): enough to know which resources it names. */
  public static StackSource readAsWritten(String file, Environment environment) {
    String text;
    String origin;
    if (file.equals("-")) {
      try {
        text = new String(environment.stdin().readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new CliException(ExitCode.ERROR, "cannot read the stack from stdin: " + e.getMessage());
      }
      origin = "<stdin>";
    } else {
      Path path = environment.workingDirectory().resolve(file);
      text = readFile(path, file);
      origin = file;
    }
    String type = looksLikeJson(file, text) ? WharfClient.JSON : WharfClient.YAML;
    return new StackSource(text, type, origin);
  }

  /** The source with every {@code file:} of configs and secrets replaced by the contents. */
  static StackSource inlineFileReferences(StackSource source, Path base) {
    DocumentParser.Parsed parsed = source.contentType().equals(WharfClient.JSON)
        ? DocumentParser.parseJson(source.text()) : DocumentParser.parseYaml(source.text());
    if (parsed.malformed() || !parsed.problems().isEmpty() || parsed.tree().isEmpty()
        || !(parsed.tree().get() instanceof Tree.Mapping root)) {
      return source; // the server explains what is wrong, with the user's own line numbers
    }
    Map<Tree, Inlined> replacements = new IdentityHashMap<>();
    List<String> problems = new ArrayList<>();
    collect(root, "configs", "data", base, replacements, problems);
    collect(root, "secrets", "value", base, replacements, problems);
    if (!problems.isEmpty()) {
      throw new CliException(ExitCode.INVALID, source.origin() + " has " + problems.size()
          + (problems.size() == 1 ? " problem" : " problems"), problems);
    }
    if (replacements.isEmpty()) {
      return source;
    }
    StringWriter json = new StringWriter();
    try (JsonGenerator out = JSON.createGenerator(json)) {
      write(root, out, replacements);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new StackSource(json.toString(), WharfClient.JSON, source.origin());
  }

  /** A {@code file:} entry's replacement: {@code field: contents}. */
  private record Inlined(String field, String contents) {
  }

  private static void collect(Tree.Mapping root, String section, String field, Path base,
      Map<Tree, Inlined> replacements, List<String> problems) {
    if (!(root.entries().get(section) instanceof Tree.Mapping entries)) {
      return;
    }
    entries.entries().forEach((name, entry) -> {
      if (entry instanceof Tree.Mapping m && m.entries().get("file") instanceof Tree.Scalar ref) {
        String path = section + "." + name + ".file";
        Path file = base.resolve(ref.text());
        try {
          replacements.put(entry, new Inlined(field, Files.readString(file, StandardCharsets.UTF_8)));
        } catch (NoSuchFileException e) {
          problems.add(path + ": no such file: " + file);
        } catch (CharacterCodingException e) {
          problems.add(path + ": not UTF-8 text: " + file);
        } catch (IOException e) {
          problems.add(path + ": cannot read " + file + ": " + e.getMessage());
        }
      }
    });
  }

  /**
   * Writes the tree as JSON. Scalars the user wrote unquoted become JSON strings: the model
   * reads every field from a scalar's text, so "3", "true" and "10s" mean what they meant in
   * YAML, and text such as {@code no} or {@code 1.50} stays exactly as written.
   */
  private static void write(Tree tree, JsonGenerator out, Map<Tree, Inlined> replacements)
      throws IOException {
    switch (tree) {
      case Tree.Mapping m -> {
        out.writeStartObject();
        Inlined inlined = replacements.get(tree);
        for (Map.Entry<String, Tree> e : m.entries().entrySet()) {
          if (inlined != null && e.getKey().equals("file")) {
            continue;
          }
          out.writeFieldName(e.getKey());
          write(e.getValue(), out, replacements);
        }
        if (inlined != null) {
          out.writeStringField(inlined.field(), inlined.contents());
        }
        out.writeEndObject();
      }
      case Tree.Sequence s -> {
        out.writeStartArray();
        for (Tree item : s.items()) {
          write(item, out, replacements);
        }
        out.writeEndArray();
      }
      case Tree.Null n -> out.writeNull();
      case Tree.Scalar s -> {
        switch (s.style()) {
          case NUMBER -> out.writeNumber(s.text());
          case BOOLEAN -> out.writeBoolean(Boolean.parseBoolean(s.text()));
          case PLAIN, STRING -> out.writeString(s.text());
        }
      }
    }
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
