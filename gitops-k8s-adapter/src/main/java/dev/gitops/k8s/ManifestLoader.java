package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.diff.FieldSchema;
import dev.gitops.model.Content;
import dev.gitops.model.DesiredState;
import dev.gitops.model.Origin;
import dev.gitops.model.Problem;
import dev.gitops.model.Resource;
import dev.gitops.model.ResourceId;
import dev.gitops.model.Snapshot;
import dev.gitops.source.Loader;
import dev.gitops.source.YamlReader;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
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
  /** Below this many bytes to parse, one thread parses them (splitting the work costs more). */
  private static final long PARALLEL_BYTES = 512 * 1024;
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
    Map<String, Parsed> ahead = parsedAhead(snapshot);
    for (Map.Entry<String, Content.Bytes> file : snapshot.files().entrySet()) {
      String path = file.getKey();
      if (!isManifest(path)) {
        continue;
      }
      if (isKustomization(path)) {
        LOG.debug("{}: a kustomization, skipped (render the folder with dev.gitops.k8s.render.KustomizeLoader)", path);
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
      p = p != null ? p : parse(path, file);
    }
    seen.put(path, p);
    problems.addAll(p.problems());
    return p.docs();
  }

  /**
   * The manifests of {@code snapshot} that the last load did not parse, parsed on every core when
   * they are many and large (a rendered stream of thousands of documents, a big repository's first
   * load); otherwise none: {@link #parsed} parses them one by one. Each file parses alone, so the
   * result is the same either way.
   */
  private Map<String, Parsed> parsedAhead(Snapshot snapshot) {
    Map<String, Parsed> last = parsed;
    List<Map.Entry<String, Content.Bytes>> todo = new ArrayList<>();
    long bytes = 0;
    for (Map.Entry<String, Content.Bytes> file : snapshot.files().entrySet()) {
      String path = file.getKey();
      Parsed p = last.get(path);
      if (isManifest(path) && !isKustomization(path) && (p == null || !p.bytes().equals(file.getValue()))) {
        todo.add(file);
        bytes += file.getValue().size();
      }
    }
    int cores = Runtime.getRuntime().availableProcessors();
    if (todo.size() < 2 || bytes < PARALLEL_BYTES || cores < 2) {
      return Map.of();
    }
    return parsedOnCores(todo, cores);
  }

  /**
   * Parses {@code files} on {@code cores} threads (this one and pool workers), largest file first,
   * each thread taking the next file when done: a few large files (CustomResourceDefinitions of
   * near 1 MB next to each other in a rendered stream) spread over the threads instead of falling
   * into one thread's share, as a split by count would put them.
   */
  private static Map<String, Parsed> parsedOnCores(List<Map.Entry<String, Content.Bytes>> files, int cores) {
    List<Map.Entry<String, Content.Bytes>> bySize = new ArrayList<>(files);
    bySize.sort(Comparator.comparingLong((Map.Entry<String, Content.Bytes> e) -> e.getValue().size()).reversed());
    Parsed[] out = new Parsed[bySize.size()];
    AtomicInteger next = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(out.length);
    AtomicReference<Throwable> failed = new AtomicReference<>();
    Runnable worker = () -> {
      for (int i = next.getAndIncrement(); i < out.length; i = next.getAndIncrement()) {
        try {
          out[i] = parse(bySize.get(i).getKey(), bySize.get(i).getValue());
        } catch (RuntimeException | Error e) {
          failed.compareAndSet(null, e);
        } finally {
          done.countDown();
        }
      }
    };
    for (int t = 1; t < Math.min(cores, out.length); t++) {
      ForkJoinPool.commonPool().execute(worker); // a helper that starts late finds nothing left
    }
    worker.run();
    awaitUninterruptibly(done); // files taken by helpers; the latch also makes their slots visible here
    if (failed.get() instanceof RuntimeException e) {
      throw e;
    } else if (failed.get() instanceof Error e) {
      throw e;
    }
    Map<String, Parsed> result = new HashMap<>();
    for (int i = 0; i < out.length; i++) {
      result.put(bySize.get(i).getKey(), out[i]);
    }
    return result;
  }

  private static void awaitUninterruptibly(CountDownLatch latch) {
    boolean interrupted = false;
    while (true) {
      try {
        latch.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private static Parsed parse(String path, Content.Bytes file) {
    List<Problem> own = new ArrayList<>();
    if (file.size() > 4L * YamlReader.MAX_CODE_POINTS) { // over the limit whatever the encoding: never read whole
      own.add(new Problem(path, 0, null, file.size() + " bytes, more than " + YamlReader.MAX_CODE_POINTS
          + " characters (YamlReader.MAX_CODE_POINTS, 64 Mi): a file this long is no manifest anyone reviews;"
          + " split it into several files"));
      return new Parsed(file, List.of(), List.copyOf(own));
    }
    byte[] data = file.data();
    List<YamlDocuments.Doc> docs = YamlDocuments.read(path, data, own);
    int template = own.isEmpty() ? 0 : templateLine(data);
    if (template > 0) {
      own = List.of(new Problem(path, template, null, "looks like a Helm template ({{ ... }}): render it"
          + " with a CommandRenderer (e.g. --render=command:helm template NAME .), not as a plain manifest"));
      docs = List.of();
    }
    return new Parsed(file, docs, List.copyOf(own));
  }

  /** A file's bytes, documents and problems, as parsed. */
  private record Parsed(Content.Bytes bytes, List<YamlDocuments.Doc> docs, List<Problem> problems) {}

  private Resource resolve(ManifestDocs.Entry e, ScopeResolver resolver, List<Problem> problems,
                           FieldLines lines) {
    ObjectNode node = e.node();
    String group = KindInfo.groupOf(e.apiVersion());
    boolean namespaced = resolver.namespaced(e.apiVersion(), e.kind());
    JsonNode metadata = node.path("metadata");
    String namespace = metadata.path("namespace").asText("");
    if (!namespaced) {
      if (metadata.has("namespace")) {
        // The server clears it; kept, it would be drift on every plan.
        LOG.warn("{}:{}: {} {}: metadata.namespace '{}' dropped: {} is cluster-scoped", e.file(),
            e.line(), e.kind(), e.name(), namespace, e.kind());
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
      FieldSchema.Node schema = KubernetesSchema.builtin().root(id, null, node, null);
      List<DecodedValues.Refusal> wrong = new ArrayList<>();
      JsonNode tree = DecodedValues.checked(schema, node, wrong, judgeUndeclared && (schema == null // a custom resource's metadata
          || BuiltinSchemas.kinds().find(group, e.kind(), node.path("apiVersion").asText(null), false) != null));
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
          e.file(), e.line(), e.kind(), e.name(), String.join(", ", set), set.size() == 1 ? "it" : "them");
    }
    ObjectNode copy = node == e.node() ? node.deepCopy() : node; // parsed trees are shared with the next load
    set.forEach(((ObjectNode) copy.get("metadata"))::remove);
    return copy;
  }

  /** The 1-based line of the first Go template action ({@code {{}) in {@code data}, or 0. */
  private static int templateLine(byte[] data) {
    String text = new String(data, StandardCharsets.UTF_8);
    int at = text.indexOf("{{");
    return at < 0 ? 0 : (int) text.substring(0, at).chars().filter(c -> c == '\n').count() + 1;
  }

  /** Kustomize's own files, which configure a render rather than hold resources. */
  private static boolean isKustomization(String path) {
    String name = path.substring(path.lastIndexOf('/') + 1);
    return name.equals("kustomization.yaml") || name.equals("kustomization.yml") || name.equals("Kustomization");
  }

  private static boolean isManifest(String path) {
    String p = path.toLowerCase(Locale.ROOT);
    return p.endsWith(".yaml") || p.endsWith(".yml") || p.endsWith(".json");
  }

  @Override
  public String toString() {
    return "ManifestLoader[default namespace " + defaultNamespace + "]";
  }
}
