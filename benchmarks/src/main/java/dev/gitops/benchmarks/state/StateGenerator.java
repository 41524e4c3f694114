package dev.gitops.benchmarks.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.k8s.KubernetesTarget;
import dev.gitops.model.ActualState;
import dev.gitops.model.Content;
import dev.gitops.model.DesiredState;
import dev.gitops.model.JsonTrees;
import dev.gitops.model.Observed;
import dev.gitops.model.Origin;
import dev.gitops.model.Resource;
import dev.gitops.model.ResourceId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Generates realistic, reproducible desired and actual states of {@code n} Kubernetes objects.
 *
 * <p>Each object is a copy of a real manifest from the fixtures ({@link Templates}), renamed and
 * varied (namespace, labels, image tag, replicas, data). The actual side is what an API server
 * returns after applying it (server-owned metadata, managed fields, ownership labels, defaults and
 * status: {@link ServerFields}) as {@link KubernetesTarget#observed} reads it. A share of the
 * objects ({@code changedPermille}) differs between desired and actual, as after a commit that
 * touched them. The same templates, {@code n}, share and seed give equal states. Every tree is
 * parsed as the loader and the target's reader parse: laid out in memory as a parser leaves it,
 * sharing with other trees only short text values ({@link JsonTrees#nodeFactory()}). Not thread-safe.
 *
 * <p>The mix, close to a real cluster: about 27% ConfigMaps, 25% Services, 22% Deployments,
 * 12% ServiceAccounts, 12% Roles and RoleBindings, 0.2% CustomResourceDefinitions (some of hundreds
 * of KB), and one Namespace per 200 objects.
 */
public final class StateGenerator {
  private static final String[] KINDS =
      {"ConfigMap", "Service", "Deployment", "ServiceAccount", "Role", "RoleBinding"};
  private static final double[] CUMULATIVE = {0.27, 0.52, 0.74, 0.86, 0.92, 0.998};
  private static final String CRD = "CustomResourceDefinition";

  private static final ObjectMapper JSON = new ObjectMapper().setNodeFactory(JsonTrees.nodeFactory());

  private final Templates templates;

  /**
   * A generator over the given templates.
   *
   * @param templates real-world objects to copy
   */
  public StateGenerator(Templates templates) {
    this.templates = templates;
  }

  /**
   * Generates the states.
   *
   * @param n              how many objects, at least 1
   * @param changedPermille how many per thousand differ between desired and actual (0..1000)
   * @param seed           the random seed
   * @param withAnchor     whether to also keep the actual trees with the server-added fields
   *                       stripped, for the {@code JsonNode.equals} lower bound
   * @return the states
   */
  public GeneratedStates generate(int n, int changedPermille, long seed, boolean withAnchor) {
    if (n < 1 || changedPermille < 0 || changedPermille > 1000) {
      throw new IllegalArgumentException("n " + n + ", changedPermille " + changedPermille);
    }
    SplittableRandom random = new SplittableRandom(seed);
    ServerFields server = new ServerFields(random.split());
    int namespaces = Math.max(1, n / 200);
    boolean[] changed = pick(n, Math.round(n * changedPermille / 1000f), random.split());
    List<Resource> desired = new ArrayList<>(n);
    List<Observed> actual = new ArrayList<>(n);
    List<JsonNode> desiredTrees = new ArrayList<>(n);
    List<JsonNode> strippedActual = withAnchor ? new ArrayList<>(n) : List.of();
    for (int i = 0; i < n; i++) {
      ObjectNode applied = i < namespaces ? Variations.namespace(i)
          : object(i, namespaces, random);
      ObjectNode wanted = parsed(applied);
      if (changed[i]) {
        Variations.change(wanted, random);
      }
      ObjectNode served = parsed(server.serve(applied.deepCopy(), 1000L + i));
      ResourceId id = idOf(wanted);
      Resource d = Resource.of(id, new Content.Tree(wanted), new Origin("gen/" + i + ".yaml", 1));
      desired.add(d);
      desiredTrees.add(wanted);
      actual.add(KubernetesTarget.observed(served));
      if (withAnchor) {
        strippedActual.add(parsed(applied));
      }
    }
    int changedCount = 0;
    for (boolean c : changed) {
      changedCount += c ? 1 : 0;
    }
    return new GeneratedStates(DesiredState.of(desired), ActualState.of(actual), desiredTrees,
        strippedActual, changedCount);
  }

  /**
   * {@code tree} written as JSON and read back as the manifest loader and the Kubernetes target's
   * reader read (short text values shared, {@link JsonTrees#nodeFactory()}): laid out in memory as a parser
   * leaves it rather than as edits to a copy leave it, and sharing no node with another tree but
   * those values.
   */
  private static ObjectNode parsed(ObjectNode tree) {
    try {
      return (ObjectNode) JSON.readTree(JSON.writeValueAsBytes(tree));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private ObjectNode object(int i, int namespaces, SplittableRandom random) {
    double r = random.nextDouble();
    String kind = CRD;
    for (int k = 0; k < KINDS.length; k++) {
      if (r < CUMULATIVE[k]) {
        kind = KINDS[k];
        break;
      }
    }
    List<JsonNode> list = templates.of(kind);
    ObjectNode copy = list.get(random.nextInt(list.size())).deepCopy();
    return Variations.vary(copy, i, "ns-" + (i % namespaces), random);
  }

  /** The id of a Kubernetes object: group from apiVersion, kind, namespace, name. */
  static ResourceId idOf(JsonNode o) {
    String apiVersion = o.path("apiVersion").asText();
    int slash = apiVersion.indexOf('/');
    String group = slash < 0 ? "" : apiVersion.substring(0, slash);
    JsonNode meta = o.path("metadata");
    return new ResourceId(group, o.path("kind").asText(), meta.path("namespace").asText(""),
        meta.path("name").asText());
  }

  private static boolean[] pick(int n, int count, SplittableRandom random) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    boolean[] picked = new boolean[n];
    for (int i = 0; i < count; i++) {
      picked[order[i]] = true;
    }
    return picked;
  }
}
