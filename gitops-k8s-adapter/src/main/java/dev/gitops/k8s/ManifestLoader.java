package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.diff.FieldSchema;
import dev.gitops.k8s.ManifestFiles.Parsed;
import dev.gitops.model.Content;
import dev.gitops.model.DesiredState;
import dev.gitops.model.Origin;
import dev.gitops.model.Problem;
import dev.gitops.model.Resource;
import dev.gitops.model.ResourceId;
import dev.gitops.model.Snapshot;
import dev.gitops.source.Loader;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads Kubernetes manifests: every {@code .yaml}, {@code .yml} and {@code .json} file of a
 * snapshot, each holding any number of YAML documents, into a validated {@link DesiredState}.
 *
 * <ul>
 *   <li>Each document becomes one resource whose {@link Origin} is its file and the line of its
 *       first key. {@code kind: List} and typed {@code *List} documents (e.g. {@code ConfigMapList})
 *       are expanded into their {@code items}, each at its own line.
 *   <li>Empty and comment-only documents and files, and a {@code ---} at the start or end, are
 *       skipped. Documents that configure client-side tools rather than the cluster are skipped too
 *       (see {@link #isClientSideConfig(String, String)}): kustomize {@code Kustomization} files (and
 *       every file named {@code kustomization.yaml} or {@code kustomization.yml}, with or without
 *       {@code apiVersion}: render such folders with {@code dev.gitops.k8s.render.KustomizeLoader}) and
 *       {@code builtin} transformers, kapp {@code Config}.
 *   <li>Ids: group from {@code apiVersion} ({@code apps/v1} gives {@code apps}), kind, namespace,
 *       name. Namespaced resources that set no namespace get the default namespace (also written to
 *       {@code metadata.namespace}); cluster-scoped resources get {@code ""}, and a
 *       {@code metadata.namespace} they set is dropped with a warning naming file and line (the
 *       server clears it: it would otherwise be drift on every plan). Which kinds are
 *       namespaced comes from API discovery when a client is given, else from the built-in kinds
 *       plus the CustomResourceDefinitions in the same desired state; unknown kinds are taken as
 *       namespaced.
 *   <li>A file that does not parse and holds Go template actions ({@code {{ ... }}}) is one problem
 *       saying it looks like a Helm template, to be rendered with a
 *       {@code dev.gitops.k8s.render.CommandRenderer}.
 *   <li>The values of a built-in kind's maps of strings and bytes (labels, annotations, a
 *       ConfigMap's {@code data}, a Secret's {@code data} and {@code stringData}) are read as the API
 *       server decodes them: a null value (a key with nothing after it) is {@code ""}, which the
 *       server stores; a number, boolean, list or mapping there, or bytes that are not padded
 *       base64, is a problem naming the field, never its value. So is a number or boolean in a
 *       declared field of type string (an unquoted env {@code value: 8080}).
 *   <li>Problems are collected, never silently resolved: a duplicate mapping key (naming key and
 *       line), YAML syntax errors, documents that are not mappings, missing {@code apiVersion},
 *       {@code kind} or {@code metadata.name}, and the desired state's own checks (duplicate ids,
 *       ordering annotations). All of them are thrown together as one
 *       {@link dev.gitops.model.InvalidDesiredStateException}.
 * </ul>
 *
 * <p>Thread-safe. A loader keeps the parsed documents of the files of its last load, so that a
 * pull agent's next load parses only the files that changed; a loader with discovery also caches
 * what it learned about kinds.
 */
public final class ManifestLoader implements Loader {
  private static final Logger LOG = LoggerFactory.getLogger(ManifestLoader.class);
  private final String defaultNamespace;
  private final ScopeResolver scopes;
  /** Whether a field the built-in table does not declare is a problem ({@link #allowingUndeclaredFields}). */
  private final boolean judgeUndeclared;
  private volatile Map<String, Parsed> parsed = Map.of();

  private ManifestLoader(String defaultNamespace, ScopeResolver scopes) {
    this(defaultNamespace, scopes, true);
  }

  private ManifestLoader(String defaultNamespace, ScopeResolver scopes, boolean judgeUndeclared) {
    this.defaultNamespace = Objects.requireNonNull(defaultNamespace, "defaultNamespace");
    if (defaultNamespace.isBlank()) {
      throw new IllegalArgumentException("defaultNamespace must not be blank");
    }
    this.scopes = scopes;
    this.judgeUndeclared = judgeUndeclared;
  }

  /**
   * This loader (its default namespace and discovery), taking the fields of built-in kinds that
   * the shipped table ({@link KubernetesSchema#tableVersion()}) does not declare: for clusters newer
   * than the table whose manifests use fields it added. By default such a field (a typo, a line
   * under the wrong parent) is a problem at its line, as kubectl refuses it; taken, it is written,
   * and a server that does not know it drops it.
   *
   * @return a new loader that does not judge undeclared fields
   */
  public ManifestLoader allowingUndeclaredFields() {
    return new ManifestLoader(defaultNamespace, scopes, false);
  }

  /** A loader without discovery whose default namespace is {@code default}. */
  public ManifestLoader() {
    this("default", ScopeResolver.offline());
  }

  /**
   * A loader without discovery with another default namespace.
   *
   * @param namespace the namespace given to namespaced objects whose manifest names none
   * @return the loader; it knows namespaced kinds from the built-in table only
   */
  public static ManifestLoader withDefaultNamespace(String namespace) {
    return new ManifestLoader(namespace, ScopeResolver.offline());
  }

  /**
   * A loader that asks the cluster behind {@code client} which kinds are namespaced (one discovery
   * request per API group version, cached once it answered), falling back to the built-in table when
   * discovery fails (a group version that failed, say an aggregated API answering 503, is asked
   * again at the next load).
   *
   * @param client the cluster to ask; only read
   * @param defaultNamespace the namespace given to namespaced objects whose manifest names none
   * @return the loader
   */
  public static ManifestLoader withDiscovery(KubernetesClient client, String defaultNamespace) {
    return new ManifestLoader(defaultNamespace, ScopeResolver.discovering(client));
  }

  /**
   * True for documents that configure client-side tools, not the cluster, which the loader skips:
   * group {@code kustomize.config.k8s.io}, {@code apiVersion: builtin} (kustomize transformers) and
   * kapp's {@code kapp.k14s.io} {@code Config}.
   *
   * @param apiVersion the document's {@code apiVersion}, e.g. {@code kustomize.config.k8s.io/v1beta1}
   * @param kind the document's {@code kind}
   * @return true when the loader skips such a document
   */
  public static boolean isClientSideConfig(String apiVersion, String kind) {
    return ManifestDocs.isClientSide(apiVersion, kind);
  }

  @Override
  public DesiredState load(Snapshot snapshot) {
    List<Problem> problems = new ArrayList<>();
    List<ManifestDocs.Entry> entries = new ArrayList<>();
    Map<String, Parsed> seen = new ConcurrentHashMap<>();
    Map<String, Parsed> ahead = ManifestFiles.parsedAhead(snapshot, parsed);
    for (Map.Entry<String, Content.Bytes> file : snapshot.files().entrySet()) {
      String path = file.getKey();
      if (!ManifestFiles.isManifest(path)) {
        continue;
      }
      if (ManifestFiles.isKustomization(path)) {
        LOG.debug("{}: a kustomization, skipped (render the folder with dev.gitops.k8s.render.KustomizeLoader)",
            ResourceId.escape(path)); // the repository's name: escaped, as the loader's warnings print it
        continue;
      }
      for (YamlDocuments.Doc doc : parsed(path, file.getValue(), problems, seen, ahead)) {
        ManifestDocs.expand(path, doc, entries, problems);
      }
    }
    parsed = seen;
    entries.removeIf(e -> isClientSideConfig(e.apiVersion(), e.kind()));
    ScopeResolver resolver = scopes.withCustomResources(ManifestDocs.crdScopes(entries));
    List<Resource> resources = new ArrayList<>();
    FieldLines lines = new FieldLines(path -> seen.containsKey(path) ? seen.get(path).bytes() : null);
    for (ManifestDocs.Entry e : entries) {
      Resource r = resolve(e, resolver, problems, lines);
      if (r != null) {
        resources.add(r);
      }
    }
    return DesiredState.of(resources, List.of(), problems);
  }

  /**
   * The documents of one file, parsed once per distinct content: a file whose bytes equal those of
   * the last load is not parsed again. Parsed trees are shared, never mutated (see {@link #resolve}).
   */
  private List<YamlDocuments.Doc> parsed(String path, Content.Bytes file, List<Problem> problems,
                                         Map<String, Parsed> seen, Map<String, Parsed> ahead) {
    Parsed p = parsed.get(path);
    if (p == null || !p.bytes().equals(file)) {
      p = ahead.get(path);
      p = p != null ? p : ManifestFiles.parse(path, file);
    }
    seen.put(path, p);
    problems.addAll(p.problems());
    return p.docs();
  }

  private Resource resolve(ManifestDocs.Entry e, ScopeResolver resolver, List<Problem> problems,
                           FieldLines lines) {
    String version = Names.apiVersionProblem(e.apiVersion());
    if (version != null) { // before discovery, which would ask the server at a path made of it
      problems.add(new Problem(e.file(), e.line(), null, version));
      return null;
    }
    ObjectNode node = e.node();
    String group = KindInfo.groupOf(e.apiVersion());
    boolean namespaced = resolver.namespaced(e.apiVersion(), e.kind());
    JsonNode metadata = node.path("metadata");
    String namespace = metadata.path("namespace").asText("");
    if (!namespaced) {
      if (metadata.has("namespace")) {
        // The server clears it; kept, it would be drift on every plan.
        // the repository's words, logged before the name rules judge them: escaped, as in every problem
        LOG.warn("{}:{}: {} {}: metadata.namespace '{}' dropped: {} is cluster-scoped", ResourceId.escape(e.file()),
            e.line(), ResourceId.escape(e.kind()), ResourceId.escape(e.name()), ResourceId.escape(namespace),
            ResourceId.escape(e.kind()));
        node = node.deepCopy(); // parsed trees are shared with the next load: change a copy
        node.with("metadata").remove("namespace");
      }
      namespace = "";
    } else if (namespace.isEmpty()) {
      namespace = defaultNamespace;
      node = node.deepCopy(); // parsed trees are shared with the next load: change a copy
      node.with("metadata").put("namespace", namespace);
    }
    node = withoutServerMetadata(e, node);
    String bad = Names.kindProblem(e.kind());
    bad = bad != null ? bad : Names.nameProblem(e.name());
    bad = bad != null ? bad : Names.kindNameProblem(group, e.kind(), e.name());
    bad = bad != null ? bad : Names.namespaceProblem(namespace);
    if (bad != null) {
      problems.add(new Problem(e.file(), e.line(), null, bad));
      return null;
    }
    try {
      ResourceId id = new ResourceId(group, e.kind(), namespace, e.name());
      if (metadata.path("labels").has(KindInventory.LABEL)) {
        // Copied from a cluster (kubectl get -o yaml), such an object would be planned over the
        // inventory it copies: adopted or updated, it would lose what pruning knows of that owner.
        problems.add(new Problem(e.file(), e.line(), id, "carries the label " + KindInventory.LABEL
            + " of the kind inventories gitops keeps for itself (copied from a cluster?): it is not a"
            + " desired object; remove it from the source"));
        return null;
      }
      DecodedValues.Refusal deep = Nesting.problem(node); // before any walk that recurses
      if (deep != null) {
        problems.add(new Problem(e.file(), lines.of(e, deep.pointer()), id, deep.message()));
        return null;
      }
      FieldSchema.Node schema = KubernetesSchema.builtin().root(id, null, node, null);
      SchemaField declared = BuiltinSchemas.kinds().find(group, e.kind(), node.path("apiVersion").asText(null), false);
      if (declared != null && !(schema instanceof SchemaField)) {
        schema = declared; // judged as declared: the diff's wrapper (admission's additions to a Pod) is no built-in type to it
      }
      List<DecodedValues.Refusal> wrong = new ArrayList<>();
      JsonNode tree = DecodedValues.checked(schema, node, wrong, judgeUndeclared && (schema == null // a custom resource's metadata
          || declared != null));
      List<DecodedValues.Refusal> refused = LoadRules.check(id, tree, wrong);
      if (!refused.isEmpty()) {
        refused.forEach(w -> problems.add(new Problem(e.file(), lines.of(e, w.pointer()), id, w.message())));
        return null;
      }
      return new Resource(id, new Content.Tree(tree), new Origin(e.file(), e.line()), Map.of());
    } catch (IllegalArgumentException ex) {
      problems.add(new Problem(e.file(), e.line(), null, ex.getMessage()));
      return null;
    }
  }

  /**
   * {@code node} without the metadata only the API server sets ({@code resourceVersion},
   * {@code uid}, {@code managedFields}, {@code creationTimestamp}, ...), which a manifest copied from
   * a live object ({@code kubectl get -o yaml}) carries: sent back, they make a create fail
   * ("resourceVersion should not be set on objects to be created"), a server-side apply fail
   * ("managedFields must be nil"), and an update conditional on a version long gone. Dropped, with a
   * warning naming them; {@code node} itself when it has none.
   */
  private static ObjectNode withoutServerMetadata(ManifestDocs.Entry e, ObjectNode node) {
    JsonNode metadata = node.get("metadata");
    List<String> set = metadata == null ? List.of()
        : Normalize.SERVER_METADATA.stream().filter(metadata::has).toList();
    if (set.isEmpty()) {
      return node;
    }
    if (!set.equals(List.of("creationTimestamp")) || !metadata.get("creationTimestamp").isNull()) {
      LOG.warn("{}:{}: {} {}: metadata.{} dropped: only the API server sets {} (a copy of a live object?)",
          ResourceId.escape(e.file()), e.line(), ResourceId.escape(e.kind()), ResourceId.escape(e.name()),
          String.join(", ", set), set.size() == 1 ? "it" : "them");
    }
    ObjectNode copy = node == e.node() ? node.deepCopy() : node; // parsed trees are shared with the next load
    set.forEach(((ObjectNode) copy.get("metadata"))::remove);
    return copy;
  }

  @Override
  public String toString() {
    return "ManifestLoader[default namespace " + defaultNamespace + "]";
  }
}
