package io.wharf.server.api;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Reads request bodies: checks the content type (JSON or YAML, else 415), reads at most
 * {@link #MAX_BYTES} from the raw stream (never buffering more; 413 past it), and parses to a
 * JSON tree (400 {@code malformed} when it does not parse or is not an object).
 */
public final class RequestBodies {
  public static final int MAX_BYTES = 4 * 1024 * 1024;
  /** How much of an oversize body is read and discarded before answering 413. */
  static final long DRAIN_LIMIT = 64L * 1024 * 1024;

  public enum Format { JSON, YAML }

  /** A body as received, within the size limit. */
  public record Body(Format format, byte[] bytes) {
    public String text() {
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }

  private final ObjectMapper json;
  private final ObjectMapper yaml;

  public RequestBodies(ObjectMapper json) {
    this.json = json;
    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit(MAX_BYTES + 1);
    options.setMaxAliasesForCollections(50);
    options.setAllowDuplicateKeys(false);
    this.yaml = new YAMLMapper(YAMLFactory.builder().loaderOptions(options).build());
  }

  public Body read(Context ctx) {
    Format format = formatOf(ctx.header("Content-Type"));
    long declared = ctx.req().getContentLengthLong();
    try (InputStream in = ctx.req().getInputStream()) {
      if (declared > MAX_BYTES) {
        drainAndRefuse(in, declared);
      }
      byte[] bytes = in.readNBytes(MAX_BYTES + 1);
      if (bytes.length > MAX_BYTES) {
        drainAndRefuse(in, -1);
      }
      if (bytes.length == 0) {
        throw ApiError.malformed("request body is empty").failure();
      }
      return new Body(format, bytes);
    } catch (IOException e) {
      throw ApiError.malformed("could not read the request body: " + e.getMessage()).failure();
    }
  }

  /** The body as a JSON object tree. */
  public ObjectNode tree(Body body) {
    JsonNode node;
    try {
      node = body.format() == Format.JSON ? json.readTree(body.bytes()) : yaml.readTree(body.bytes());
    } catch (JacksonException e) {
      throw ApiError.malformed((body.format() == Format.JSON ? "body is not valid JSON: " : "body is not valid YAML: ")
          + e.getOriginalMessage()).failure();
    } catch (IOException e) {
      throw ApiError.malformed("could not read the request body: " + e.getMessage()).failure();
    }
    if (node == null || node.isMissingNode() || node.isNull()) {
      throw ApiError.malformed("request body is empty").failure();
    }
    if (!(node instanceof ObjectNode object)) {
      throw ApiError.malformed("body must be an object, got " + describe(node)).failure();
    }
    return object;
  }

  private static String describe(JsonNode node) {
    return switch (node.getNodeType()) {
      case ARRAY -> "an array";
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      default -> node.getNodeType().name().toLowerCase(Locale.ROOT);
    };
  }

  /**
   * Refuses an oversize body with 413, but first reads and discards what the client is still
   * sending (up to {@link #DRAIN_LIMIT}). Answering early and closing with unread bytes in the
   * socket makes the kernel send a reset, which can destroy the 413 before the client reads it
   * (the client then sees a connection that closed without a response). Past the limit the
   * connection is closed after the answer, as nginx's lingering close does.
   */
  private static void drainAndRefuse(InputStream in, long declared) throws IOException {
    if (declared <= DRAIN_LIMIT) {
      long left = DRAIN_LIMIT;
      byte[] sink = new byte[64 * 1024];
      int n;
      while (left > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, left))) > 0) {
        left -= n;
      }
    }
    throw tooLarge().failure();
  }

  private static ApiError tooLarge() {
    return new ApiError(413, "too_large", "body is larger than " + MAX_BYTES + " bytes (4 MiB)", List.of());
  }

  static Format formatOf(String contentType) {
    if (contentType == null || contentType.isBlank()) {
      throw unsupported("missing Content-Type; send application/json or application/yaml");
    }
    String type = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    return switch (type) {
      case "application/json" -> Format.JSON;
      case "application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml" -> Format.YAML;
      default -> throw unsupported("Content-Type \"" + type + "\" is not supported; send application/json or application/yaml");
    };
  }

  private static ApiError.Failure unsupported(String message) {
    return new ApiError(415, "unsupported_media_type", message, List.of()).failure();
  }
}
