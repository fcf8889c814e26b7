package io.wharf.server.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.model.Instance;
import io.wharf.model.Job;
import io.wharf.model.Node;
import io.wharf.model.Resource;
import io.wharf.model.Service;
import io.wharf.model.codec.ResourceCodec;
import io.wharf.model.stack.StackDocument;
import io.wharf.model.workload.Dependency;
import io.wharf.scheduler.Scheduler;
import io.wharf.server.controller.InstanceDecoder;
import io.wharf.server.controller.dependency.StartWaves;
import io.wharf.server.controller.service.PlacementPreview;
import io.wharf.server.registry.LabelSelector;
import io.wharf.server.registry.ListPage;
import io.wharf.server.registry.ResourceKeys;
import io.wharf.server.registry.ResourceRegistry;
import io.wharf.server.registry.ResourceType;
import io.wharf.server.registry.StoredObject;
import io.wharf.server.secrets.SecretRedaction;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import io.wharf.model.task.TaskSpec;
import io.wharf.model.workload.InstanceTemplate;
import io.wharf.server.controller.rollout.TemplateInputs;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Diffs a stack document against the store: each declared object (and the Stack itself) is a
 * create, an update with field diffs, or unchanged; objects labelled {@value #STACK_LABEL} with
 * the stack's name that the document no longer declares are deletes (prune).
 *
 * <p>Only {@code spec} and {@code metadata.labels} are compared: status, revision and timestamps
 * belong to the server and controllers. Instances and events are never pruned (controllers own
 * them even when they carry the label). Thread safety: stateless apart from the registry.
 */
public final class StackPlanner {
  public static final String STACK_LABEL = "wharf.io/stack";
  private static final int PAGE = 1000;

  private final ResourceRegistry registry;
  private final Scheduler scheduler = new Scheduler();

  public StackPlanner(ResourceRegistry registry) {
    this.registry = registry;
  }

  /** The plan with a dry run of where new service instances would go ({@code wharf plan}). */
  public StackPlan planWithPlacements(StackDocument doc) {
    StackPlan plan = plan(doc);
    return new StackPlan(plan.stack(), plan.namespace(), plan.revision(), plan.changes(),
        placements(doc, plan.changes()), plan.startWaves(), plan.rollouts());
  }

  /** The plan (changes only: applying re-plans, and the controllers place). */
  public StackPlan plan(StackDocument doc) {
    long revision = registry.store().revision();
    List<PlannedChange> changes = new ArrayList<>();
    Map<String, Boolean> declared = new LinkedHashMap<>();
    List<Resource> all = new ArrayList<>(doc.resources());
    all.add(doc.stackResource());
    for (Resource resource : all) {
      ObjectNode desired = ResourceCodec.toTree(resource);
      ResourceType type = ResourceType.byKind(resource.kind().displayName()).orElseThrow();
      String namespace = type.clusterScoped() ? null : resource.metadata().namespace();
      if (namespace != null) {
        desired.withObjectProperty("metadata").put("namespace", namespace);
      }
      String name = resource.metadata().name();
      String key = ResourceKeys.key(type, namespace, name);
      declared.put(key, true);
      Optional<StoredObject> current = registry.read(key, type);
      if (current.isEmpty()) {
        changes.add(new PlannedChange(PlannedChange.Action.CREATE, type, namespace, name, List.of(), desired, null));
        continue;
      }
      List<FieldDiff> diff = diff(comparable(current.get()), desired);
      if (type == ResourceType.SECRET) {
        diff = redacted(diff);
      }
      changes.add(new PlannedChange(diff.isEmpty() ? PlannedChange.Action.UNCHANGED : PlannedChange.Action.UPDATE,
          type, namespace, name, diff, desired, current.get()));
    }
    for (StoredObject owned : owned(doc)) {
      if (!declared.containsKey(owned.key())) {
        declared.put(owned.key(), true);
        changes.add(new PlannedChange(PlannedChange.Action.DELETE, owned.type(), owned.namespace(), owned.name(),
            List.of(), null, owned));
      }
    }
    return new StackPlan(doc.name(), doc.namespace(), revision, changes, List.of(), startWaves(doc),
        inputRollouts(doc, changes));
  }

  /**
   * The stored services (of this stack or any other in the namespace) whose instance template
   * changes because configs or secrets they take are created or updated by this plan
   * ({@link TemplateInputs}): each is rolled out by its own update strategy. A service the plan
   * creates is not listed (it starts with the new values); one it deletes neither.
   */
  private List<StackPlan.InputRollout> inputRollouts(StackDocument doc, List<PlannedChange> changes) {
    Map<String, String> changed = new LinkedHashMap<>(); // input key -> what happens to it
    Map<String, PlannedChange.Action> services = new HashMap<>();
    for (PlannedChange c : changes) {
      boolean secret = c.type() == ResourceType.SECRET;
      if ((secret || c.type() == ResourceType.CONFIG) && c.namespace().equals(doc.namespace())
          && (c.action() == PlannedChange.Action.UPDATE || c.action() == PlannedChange.Action.CREATE)) {
        changed.put(InstanceTemplate.inputKey(secret, c.name()),
            c.action() == PlannedChange.Action.UPDATE ? "changed" : "created");
      }
      if (c.type() == ResourceType.SERVICE) {
        services.put(c.name(), c.action());
      }
    }
    if (changed.isEmpty()) {
      return List.of();
    }
    Map<String, List<TaskSpec>> tasks = new java.util.TreeMap<>();
    String after = null;
    do {
      ListPage page = registry.list(ResourceType.SERVICE, doc.namespace(), o -> true, PAGE, after);
      page.items().forEach(o -> decode(o, Service.class).ifPresent(svc -> tasks.put(svc.metadata().name(),
          svc.spec().tasks())));
      after = page.continueAfter();
    } while (after != null);
    for (Resource r : doc.resources()) {
      if (r instanceof Service svc && tasks.containsKey(svc.metadata().name())) {
        tasks.put(svc.metadata().name(), svc.spec().tasks()); // as it will be
      }
    }
    List<StackPlan.InputRollout> out = new ArrayList<>();
    tasks.forEach((name, taken) -> {
      PlannedChange.Action action = services.get(name);
      if (action == PlannedChange.Action.DELETE || action == PlannedChange.Action.CREATE) {
        return;
      }
      List<String> because = new ArrayList<>();
      for (String key : TemplateInputs.referenced(taken)) {
        if (changed.containsKey(key)) {
          because.add(TemplateInputs.describe(key) + " " + changed.get(key));
        }
      }
      if (!because.isEmpty()) {
        out.add(new StackPlan.InputRollout(doc.namespace(), name, because));
      }
    });
    return out;
  }

  /**
   * The stack's services and jobs as start waves ({@link StartWaves}); cycles never get here
   * (parsing the stack rejects them, naming the cycle).
   */
  static List<List<String>> startWaves(StackDocument doc) {
    Map<String, List<String>> dependsOn = new LinkedHashMap<>();
    for (Resource r : doc.resources()) {
      List<Dependency> deps = switch (r) {
        case Service s -> s.spec().dependsOn();
        case Job j -> j.spec().dependsOn();
        default -> null;
      };
      if (deps != null) {
        dependsOn.put(r.metadata().name(), deps.stream().map(Dependency::name).toList());
      }
    }
    return StartWaves.of(dependsOn);
  }

  /**
   * The dry run of placing the new instances of the services the plan creates or updates, on the
   * cluster as stored now ({@link PlacementPreview}).
   */
  private List<PlacementPreview.Result> placements(StackDocument doc, List<PlannedChange> changes) {
    Map<String, Boolean> changing = new HashMap<>();
    for (PlannedChange c : changes) {
      if (c.type() == ResourceType.SERVICE
          && (c.action() == PlannedChange.Action.CREATE || c.action() == PlannedChange.Action.UPDATE)) {
        changing.put(c.namespace() + "/" + c.name(), true);
      }
    }
    List<Service> services = new ArrayList<>();
    for (Resource r : doc.resources()) {
      if (r instanceof Service svc && changing.containsKey(svc.metadata().namespace() + "/" + svc.metadata().name())) {
        services.add(svc);
      }
    }
    if (services.isEmpty()) {
      return List.of();
    }
    List<Service> others = new ArrayList<>();
    List<Node> nodes = new ArrayList<>();
    List<Instance> instances = new ArrayList<>();
    InstanceDecoder decoder = new InstanceDecoder();
    forEach(ResourceType.SERVICE, o -> decode(o, Service.class).ifPresent(svc -> {
      if (!changing.containsKey(svc.metadata().namespace() + "/" + svc.metadata().name())) {
        others.add(svc);
      }
    }));
    forEach(ResourceType.NODE, o -> decode(o, Node.class).ifPresent(nodes::add));
    forEach(ResourceType.INSTANCE, o -> decoder.decode(registry.bytes(o.object())).ifPresent(instances::add));
    return PlacementPreview.preview(services, others, nodes, instances, scheduler);
  }

  private void forEach(ResourceType type, java.util.function.Consumer<StoredObject> each) {
    String after = null;
    do {
      ListPage page = registry.list(type, null, o -> true, PAGE, after);
      page.items().forEach(each);
      after = page.continueAfter();
    } while (after != null);
  }

  private <T extends Resource> Optional<T> decode(StoredObject o, Class<T> type) {
    var decoded = ResourceCodec.fromJson(registry.bytes(o.object()));
    return decoded.ok() && type.isInstance(decoded.value()) ? Optional.of(type.cast(decoded.value())) : Optional.empty();
  }

  /** The stored object as the desired one compares with it: a Secret opened when its key is at hand. */
  private ObjectNode comparable(StoredObject current) {
    try {
      return registry.plaintext(current).object();
    } catch (io.wharf.server.secrets.UnreadableSecretException e) {
      return current.object(); // sealed with a key this server lacks: the plan shows it as changed
    }
  }

  /**
   * A secret's diffs as plans show them: which fields of its spec changed, each side that has a
   * value shown as {@value SecretRedaction#REDACTED}, so a plan never carries a secret's contents.
   */
  private static List<FieldDiff> redacted(List<FieldDiff> diff) {
    JsonNode hidden = TextNode.valueOf(SecretRedaction.REDACTED);
    return diff.stream().map(d -> d.path().startsWith("spec") ? new FieldDiff(d.path(),
        d.oldValue() == null ? null : hidden, d.newValue() == null ? null : hidden) : d).toList();
  }

  /** Field diffs of what a stack controls: labels and spec. */
  static List<FieldDiff> diff(ObjectNode current, ObjectNode desired) {
    List<FieldDiff> out = new ArrayList<>(JsonDiff.between("metadata.labels",
        current.path("metadata").path("labels"), desired.path("metadata").path("labels")));
    out.addAll(JsonDiff.between("spec", current.path("spec"), desired.path("spec")));
    return out;
  }

  /** Objects carrying this stack's label: in the stack's namespace, and those the last apply recorded. */
  private List<StoredObject> owned(StackDocument doc) {
    List<StoredObject> out = new ArrayList<>();
    Map<String, Boolean> seen = new LinkedHashMap<>();
    LabelSelector owner = new LabelSelector(List.of(
        new LabelSelector.Requirement(STACK_LABEL, LabelSelector.Operator.EQUALS, doc.name())));
    for (ResourceType type : ResourceType.ALL) {
      if (type == ResourceType.EVENT || type == ResourceType.INSTANCE || type == ResourceType.STACK) {
        continue;
      }
      String namespace = type.clusterScoped() ? null : doc.namespace();
      String after = null;
      do {
        ListPage page = registry.list(type, namespace, owner, o -> true, PAGE, after);
        for (StoredObject o : page.items()) {
          if (seen.put(o.key(), true) == null) {
            out.add(o);
          }
        }
        after = page.continueAfter();
      } while (after != null);
    }
    Optional<StoredObject> previous = registry.get(ResourceType.STACK, doc.namespace(), doc.name());
    if (previous.isPresent()) {
      for (JsonNode ref : previous.get().object().path("spec").path("resources")) {
        Optional<ResourceType> type = ResourceType.byKind(ref.path("kind").asText());
        if (type.isEmpty() || type.get() == ResourceType.INSTANCE || type.get() == ResourceType.EVENT) {
          continue;
        }
        String ns = type.get().clusterScoped() ? null : ref.path("namespace").asText(doc.namespace());
        String key = ResourceKeys.key(type.get(), ns, ref.path("name").asText());
        if (!seen.containsKey(key)) {
          registry.read(key, type.get()).filter(o -> ownedBy(o.object(), doc.name())).ifPresent(o -> {
            seen.put(key, true);
            out.add(o);
          });
        }
      }
    }
    return out;
  }

  private static boolean ownedBy(ObjectNode object, String stack) {
    return stack.equals(object.path("metadata").path("labels").path(STACK_LABEL).asText(null));
  }
}
