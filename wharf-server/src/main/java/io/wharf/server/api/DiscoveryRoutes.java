package io.wharf.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.wharf.model.Endpoint;
import io.wharf.model.Instance;
import io.wharf.model.Kind;
import io.wharf.model.Node;
import io.wharf.model.Resource;
import io.wharf.model.Service;
import io.wharf.model.codec.Decoded;
import io.wharf.model.codec.ResourceCodec;
import io.wharf.model.discovery.Discovery;
import io.wharf.model.discovery.EndpointAddress;
import io.wharf.model.discovery.ServiceEndpoints;
import io.wharf.server.controller.InstanceDecoder;
import io.wharf.server.registry.ListPage;
import io.wharf.server.registry.ResourceRegistry;
import io.wharf.server.registry.ResourceType;
import io.wharf.server.registry.StoredObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The discovery view ({@link Discovery}: ready instances plus external endpoints, per service),
 * read from the store on each request:
 * <ul>
 *   <li>{@code GET /v1/discovery[?namespace=ns]}: every service's endpoints;</li>
 *   <li>{@code GET /v1/namespaces/{ns}/services/{name}/endpoints}: one service's, 404 when there
 *       is neither such a service nor an external endpoint naming it.</li>
 * </ul>
 * {@code revision} is the store revision the first read saw: the view holds every change up to
 * it. To follow the view live, watch services, instances, nodes and endpoints through
 * {@code /v1/watch} and derive with {@link Discovery}, as {@code wharf dns} and the gateway do.
 * Thread safety: stateless (a decoder per request).
 */
final class DiscoveryRoutes {
  private static final int PAGE = 1000;

  private final ResourceRegistry registry;
  private final ObjectMapper json;

  DiscoveryRoutes(ResourceRegistry registry, ObjectMapper json) {
    this.registry = registry;
    this.json = json;
  }

  void all(Context ctx) {
    String namespace = QueryParameters.namespace(ctx);
    View view = read(namespace);
    ObjectNode body = json.createObjectNode();
    body.put("kind", "Discovery");
    body.put("revision", view.revision);
    ArrayNode items = body.putArray("items");
    view.services.values().forEach(s -> items.add(render(s)));
    ApiServer.send(ctx, json, body);
  }

  void service(Context ctx) {
    String namespace = QueryParameters.checkedName("namespace", ctx.pathParam("ns"), false);
    String name = QueryParameters.checkedName("name", ctx.pathParam("name"), false);
    View view = read(namespace);
    ServiceEndpoints endpoints = view.services.get(new Discovery.ServiceKey(namespace, name));
    if (endpoints == null) {
      throw ApiError.notFound("no service or external endpoint named \"" + namespace + "/" + name + "\"").failure();
    }
    ObjectNode body = render(endpoints);
    body.put("revision", view.revision);
    ApiServer.send(ctx, json, body);
  }

  private ObjectNode render(ServiceEndpoints s) {
    ObjectNode item = json.createObjectNode();
    item.put("kind", "ServiceEndpoints");
    item.put("namespace", s.namespace());
    item.put("service", s.service());
    ArrayNode list = item.putArray("endpoints");
    for (EndpointAddress e : s.endpoints()) {
      ObjectNode o = list.addObject();
      o.put("address", e.address());
      ObjectNode ports = o.putObject("ports");
      e.ports().forEach(ports::put);
      o.put("source", e.source().wire());
      o.put(e.source() == EndpointAddress.Source.INSTANCE ? "instance" : "endpoint", e.instance());
      if (e.node() != null) {
        o.put("node", e.node());
      }
    }
    return item;
  }

  private record View(long revision, Map<Discovery.ServiceKey, ServiceEndpoints> services) {}

  private View read(String namespace) {
    List<Service> services = new ArrayList<>();
    long revision = forEach(ResourceType.SERVICE, namespace, o -> decode(Kind.SERVICE, o, Service.class, services));
    List<Instance> instances = new ArrayList<>();
    InstanceDecoder decoder = new InstanceDecoder();
    forEach(ResourceType.INSTANCE, namespace, o -> decoder.decode(registry.bytes(o.object())).ifPresent(instances::add));
    List<Node> nodes = new ArrayList<>();
    forEach(ResourceType.NODE, null, o -> decode(Kind.NODE, o, Node.class, nodes));
    List<Endpoint> external = new ArrayList<>();
    forEach(ResourceType.ENDPOINT, namespace, o -> decode(Kind.ENDPOINT, o, Endpoint.class, external));
    return new View(revision, Discovery.derive(services, instances, nodes, external));
  }

  /** Visits every object of a type; returns the revision of the first page read. */
  private long forEach(ResourceType type, String namespace, Consumer<StoredObject> each) {
    String after = null;
    long revision = -1;
    do {
      ListPage page = registry.list(type, namespace, o -> true, PAGE, after);
      if (revision < 0) {
        revision = page.revision();
      }
      page.items().forEach(each);
      after = page.continueAfter();
    } while (after != null);
    return revision;
  }

  private static <T extends Resource> void decode(Kind kind, StoredObject o, Class<T> type, List<T> into) {
    Decoded<?> decoded = ResourceCodec.fromJson(kind, o.object().toString().getBytes(StandardCharsets.UTF_8));
    if (decoded.ok() && type.isInstance(decoded.value())) {
      into.add(type.cast(decoded.value()));
    }
  }
}
