package dev.gitops.k8s.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.k8s.ManifestLoader;
import dev.gitops.model.Content;
import dev.gitops.model.DesiredState;
import dev.gitops.model.InvalidDesiredStateException;
import dev.gitops.model.Origin;
import dev.gitops.model.Problem;
import dev.gitops.model.Resource;
import dev.gitops.model.Snapshot;
import dev.gitops.source.Loader;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads a Kustomize folder of a snapshot as {@code kustomize build} renders it, by running the real
 * Kustomize ({@link Kustomize}: a {@code kustomize} binary or {@code kubectl kustomize}), then
 * loading the rendered documents as a {@link ManifestLoader} loads plain manifests (lists, duplicate
 * ids, validation, Secret masking, default namespace).
 *
 * <p><b>Origins.</b> Every resource's {@link Origin} is the repository file it came from (Kustomize's
 * {@code originAnnotations}, which the loader turns on by inserting it in the kustomization's text, so
 * that Kustomize reads every other byte as written, and strips before the resource is compared),
 * at the line of its document; a generated ConfigMap or Secret points at its generator entry in the
 * kustomization file. Errors and plans say {@code base/deploy.yaml:12}.
 *
 * <p><b>Safe by default.</b> Kustomize runs on a private copy of the snapshot (regular files only,
 * so no symbolic link), with the root-only load restrictor, without plug-ins (no exec or container
 * functions, no Helm), with an empty environment but {@code PATH} and a private {@code HOME}, from
 * an argument vector (never a shell), stopped after a timeout (60 s) or past an output limit
 * (256 MiB). A reference that is not a file or folder of the snapshot (a remote base, a URL) is
 * refused before Kustomize runs, unless {@link #allowingRemote()}; so is a URL where a kustomization
 * or a plug-in configuration names a file (a patch, a generator's files), which Kustomize fetches
 * whatever its load restrictor, and the run's proxy variables name a closed port, so that no fetch
 * the check missed leaves the machine. A built-in plug-in's configuration written in place in
 * {@code generators}, {@code transformers} or {@code validators} is taken as Kustomize takes it and
 * checked as a configuration file is; one that is no built-in plug-in (an exec or container function)
 * is refused at its line.
 *
 * <p><b>Cheap polls.</b> The rendered documents are kept with the content digest of the snapshot
 * (which a Git tree id determines): loading an unchanged snapshot again renders nothing
 * ({@link #renders()} counts the runs). Each load logs how long its phases took at DEBUG (digest,
 * walk, copy, kustomize, split, clean-up, load).
 *
 * <p>Errors: a kustomization Kustomize refuses, or a refused reference, is an
 * {@link InvalidDesiredStateException} naming the kustomization file and Kustomize's own message; a
 * missing tool, a timeout or too much output is a {@link RenderException}. Thread-safe: loads of one
 * loader render one at a time.
 *
 * <pre>{@code
 * Loader loader = KustomizeLoader.of().withFolder("overlays/production");
 * Reconciler web = Reconciler.builder().name("web").source(GitSource.of(repoUri, "main"))
 *     .loader(loader).target(KubernetesTarget.of(client)).prune(true).build();
 * }</pre>
 */
public final class KustomizeLoader implements Loader {
  private static final Logger LOG = LoggerFactory.getLogger(KustomizeLoader.class);
  private static final Pattern KUBECTL_ERR = Pattern.compile("err=\"((?:[^\"\\\\]|\\\\.)*)\"");
  private final String folder;
  private final Kustomize tool;
  private final Duration timeout;
  private final long maxOutput;
  private final boolean remote;
  private final ManifestLoader manifests;
  private final AtomicLong renders = new AtomicLong();
  private final Object lock = new Object();
  private volatile Kustomize found;
  private volatile Rendered last;

  private KustomizeLoader(String folder, Kustomize tool, Duration timeout, long maxOutput, boolean remote,
                          ManifestLoader manifests) {
    String f = Kustomizations.normalize("", Objects.requireNonNull(folder, "folder"));
    if (f == null && !folder.isEmpty()) {
      throw new IllegalArgumentException("folder must be a relative path inside the snapshot: " + folder);
    }
    this.folder = f == null ? "" : f;
    this.tool = tool;
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
    if (maxOutput <= 0) {
      throw new IllegalArgumentException("maxOutput must be positive: " + maxOutput);
    }
    this.maxOutput = maxOutput;
    this.remote = remote;
    this.manifests = Objects.requireNonNull(manifests, "manifests");
  }

  /**
   * A loader of the snapshot's root folder with the Kustomize on the {@code PATH} (looked up at the
   * first load), 60 s timeout, 256 MiB output limit, no remote references, a plain
   * {@link ManifestLoader}.
   *
   * @return the loader
   */
  public static KustomizeLoader of() {
    return new KustomizeLoader("", null, Duration.ofSeconds(60), 256L << 20, false, new ManifestLoader());
  }

  /**
   * This loader on another folder of the snapshot.
   *
   * @param folder a relative path inside the snapshot, {@code ""} for its root
   * @return a new loader (with an empty cache)
   */
  public KustomizeLoader withFolder(String folder) {
    return new KustomizeLoader(folder, tool, timeout, maxOutput, remote, manifests);
  }

  /**
   * This loader running another Kustomize.
   *
   * @param tool the Kustomize to run
   * @return a new loader
   */
  public KustomizeLoader withTool(Kustomize tool) {
    return new KustomizeLoader(folder, Objects.requireNonNull(tool, "tool"), timeout, maxOutput, remote, manifests);
  }

  /**
   * This loader with another timeout for one render.
   *
   * @param timeout positive
   * @return a new loader
   */
  public KustomizeLoader withTimeout(Duration timeout) {
    return new KustomizeLoader(folder, tool, timeout, maxOutput, remote, manifests);
  }

  /**
   * This loader with another limit on Kustomize's output.
   *
   * @param bytes positive
   * @return a new loader
   */
  public KustomizeLoader withMaxOutput(long bytes) {
    return new KustomizeLoader(folder, tool, timeout, bytes, remote, manifests);
  }

  /**
   * This loader loading the rendered documents with {@code manifests} (e.g. one with discovery or
   * another default namespace).
   *
   * @param manifests the plain loader
   * @return a new loader
   */
  public KustomizeLoader withManifests(ManifestLoader manifests) {
    return new KustomizeLoader(folder, tool, timeout, maxOutput, remote, manifests);
  }

  /**
   * This loader letting Kustomize fetch remote bases and resources (URLs, Git repositories), which
   * are refused by default: what they hold is not in the reconciled revision.
   *
   * @return a new loader
   */
  public KustomizeLoader allowingRemote() {
    return new KustomizeLoader(folder, tool, timeout, maxOutput, true, manifests);
  }

  /**
   * The Kustomize this loader runs, looked up on the {@code PATH} the first time when none was given.
   *
   * @return the tool
   * @throws RenderException when none was given and none is on the {@code PATH}
   */
  public Kustomize tool() {
    Kustomize t = tool != null ? tool : found;
    if (t == null) {
      t = Kustomize.find();
      found = t;
    }
    return t;
  }

  /**
   * How many times this loader ran Kustomize.
   *
   * @return the count
   */
  public long renders() {
    return renders.get();
  }

  @Override
  public DesiredState load(Snapshot snapshot) {
    String file = Kustomizations.in(snapshot, folder);
    if (file == null) {
      throw new InvalidDesiredStateException(List.of(new Problem(Kustomizations.join(folder, "kustomization.yaml"),
          0, null, "no kustomization.yaml, kustomization.yml or Kustomization in "
              + (folder.isEmpty() ? "the repository's root" : folder))));
    }
    Phases phases = new Phases();
    Rendered r = rendered(snapshot, file, phases);
    if (r.failure() != null) {
      throw new InvalidDesiredStateException(r.failure().problems());
    }
    DesiredState state = RenderedDocs.load(r.docs(), snapshot.revision(), manifests, new Origins(r, file));
    phases.end("load (parse, validate, origins)");
    LOG.debug("{} {}: {}", this, file, phases);
    return state;
  }

  private Rendered rendered(Snapshot snapshot, String file, Phases phases) {
    String key = snapshot.digest();
    phases.end("digest");
    synchronized (lock) {
      Rendered r = last;
      if (r == null || !r.key().equals(key)) {
        r = render(snapshot, file, key, phases);
        last = r;
      } else {
        phases.end("cached render");
      }
      return r;
    }
  }

  private Rendered render(Snapshot snapshot, String file, String key, Phases phases) {
    Kustomizations.Reach reach = Kustomizations.walk(snapshot, folder);
    phases.end("walk");
    if (!remote && !reach.remote().isEmpty()) {
      return new Rendered(key, List.of(), false, null, new InvalidDesiredStateException(reach.remote()));
    }
    Kustomize kustomize = tool();
    SourceLines lines = new SourceLines(snapshot);
    try (Workspace ws = Workspace.of(snapshot, reach::reads)) { // with root-only loading, nothing else is read
      byte[] rewritten = Kustomizations.withOriginAnnotations(snapshot, file);
      if (rewritten != null) {
        ws.replace(file, rewritten);
      }
      phases.end("copy");
      renders.incrementAndGet();
      ToolRun.Result run = ToolRun.run(kustomize.toString(), kustomize.hint(), kustomize.build(ws.resolve(folder)),
          ws.root(), Kustomize.environment(ws.home(), remote), timeout, maxOutput, () -> {
            long start = System.nanoTime();
            lines.prescan(reach.folders()); // the source files' documents, found while Kustomize runs
            phases.add("source scan (during kustomize)", System.nanoTime() - start);
          });
      phases.end("kustomize");
      if (run.exit() != 0) {
        String message = kustomize + " failed: " + message(run.stderr(), ws.root().toString() + "/");
        return new Rendered(key, List.of(), false, null,
            new InvalidDesiredStateException(List.of(new Problem(file, 0, null, message))));
      }
      List<RenderedDocs.Doc> docs = RenderedDocs.split(run.stdout());
      phases.end("split");
      return new Rendered(key, docs, rewritten != null, lines, null);
    } finally {
      phases.end("clean-up");
    }
  }

  /** Kustomize's own message: kubectl's {@code err="..."} part, the workspace path left out, escaped. */
  private static String message(String stderr, String root) {
    Matcher m = KUBECTL_ERR.matcher(stderr);
    String msg = m.find() ? m.group(1).replace("\\\"", "\"").replace("\\\\", "\\") : stderr.strip();
    msg = msg.startsWith("Error: ") ? msg.substring(7) : msg;
    return ToolRun.shown(msg.replace(root, "").replace(root.substring(0, root.length() - 1), "."));
  }

  /**
   * One render's documents, or why it failed.
   *
   * @param key content digest of the snapshot it rendered
   * @param docs the documents
   * @param strip whether the loader added the origin annotations (and so strips them)
   * @param lines the source files' documents, scanned once for every load of this render
   * @param failure the problems, or null
   */
  private record Rendered(String key, List<RenderedDocs.Doc> docs, boolean strip, SourceLines lines,
                          InvalidDesiredStateException failure) {}

  /** Maps rendered documents back to their files through the origin annotation. */
  private final class Origins implements RenderedDocs.Mapper {
    private final Rendered rendered;
    private final String kustomization;
    private final SourceLines lines;
    private final Map<Integer, Origin> found = new ConcurrentHashMap<>();

    Origins(Rendered rendered, String kustomization) {
      this.rendered = rendered;
      this.kustomization = kustomization;
      this.lines = rendered.lines();
    }

    @Override
    public Resource resource(int doc, Resource loaded) {
      ObjectNode node = (ObjectNode) ((Content.Tree) loaded.content()).node();
      JsonNode annotation = node.path("metadata").path("annotations").path(Kustomizations.ORIGIN);
      Origin origin = found.computeIfAbsent(doc, d -> origin(annotation.asText(""), loaded));
      Resource r = loaded.withOrigin(origin);
      return rendered.strip() && !annotation.isMissingNode() ? r.withContent(new Content.Tree(stripped(node))) : r;
    }

    @Override
    public Origin at(int doc, int line) {
      Origin o = found.get(doc);
      return o != null ? o : new Origin(kustomization, 0);
    }

    private Origin origin(String annotation, Resource loaded) {
      Map<String, String> fields = OriginAnnotation.parse(annotation);
      String path = fields.get("path");
      String configuredIn = fields.get("configuredIn");
      if (fields.containsKey("repo")) {
        return new Origin(fields.get("repo") + "//" + (path != null ? path : ""), 0);
      }
      if (path != null) {
        String file = Kustomizations.normalize(folder, path);
        return file == null ? new Origin(path, 0)
            : new Origin(file, lines.resource(file, loaded.id().kind(), loaded.id().name()));
      }
      if (configuredIn != null) {
        String file = Kustomizations.normalize(folder, configuredIn);
        String kind = fields.getOrDefault("kind", "");
        String field = kind.isEmpty() ? "" : Character.toLowerCase(kind.charAt(0)) + kind.substring(1);
        return file == null ? new Origin(configuredIn, 0)
            : new Origin(file, lines.generator(file, field, loaded.id().name()));
      }
      return new Origin(kustomization, 0);
    }
  }

  private static ObjectNode stripped(ObjectNode node) {
    ObjectNode copy = node.objectNode();
    copy.setAll(node);
    ObjectNode metadata = ((ObjectNode) node.get("metadata")).deepCopy();
    ObjectNode annotations = (ObjectNode) metadata.get("annotations");
    annotations.remove(Kustomizations.ORIGIN);
    if (annotations.isEmpty()) {
      metadata.remove("annotations");
    }
    copy.set("metadata", metadata);
    return copy;
  }

  @Override
  public String toString() {
    return "KustomizeLoader[" + (folder.isEmpty() ? "." : folder) + (remote ? ", remote allowed" : "") + "]";
  }
}
