package dev.gitops.samples.cli;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.GitOpsException;
import dev.gitops.model.ResourceId;
import dev.gitops.plan.Plan;
import dev.gitops.plan.PlanFormatException;
import dev.gitops.source.GitSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A plan saved by {@code plan --out}, format {@code gitops-saved-plan} version 1: the plan's JSON
 * (every step, no-ops included) plus where its desired state came from, so that
 * {@code apply --plan} can re-read the same revision and refuse the plan if the target moved.
 * Secret values are never in it (the plan's JSON redacts them), nor credentials: the repository
 * URL is kept without its user and password ({@code apply --repo} gives them again). Files of the
 * first release ({@code "format": "gitops-saved-plan/1"}) are read too.
 *
 * @param repo repository URL or path, without credentials
 * @param path subdirectory in the repository
 * @param owner reconciler name
 * @param namespace default namespace of namespaced manifests ({@code --namespace})
 * @param plan the plan
 */
public record SavedPlan(String repo, String path, String owner, String namespace, Plan plan) {
  /** Drops the repository URL's credentials: a saved plan never holds them. */
  public SavedPlan {
    repo = GitSource.withoutCredentials(repo);
    namespace = namespace == null || namespace.isBlank() ? TargetOptions.DEFAULT_NAMESPACE : namespace;
  }

  /** A saved plan for the default namespace. */
  public SavedPlan(String repo, String path, String owner, Plan plan) {
    this(repo, path, owner, TargetOptions.DEFAULT_NAMESPACE, plan);
  }

  /**
   * One meaning per file, as {@link Plan#fromJson} reads the plan in it: a key given twice (the
   * text shows the first, Jackson would keep the last) or text after the file's object is refused
   * here, before the plan is taken out and handed on.
   */
  private static final ObjectReader STRICT = MachineJson.JSON.reader()
      .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION.mappedFeature())
      .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /** The file format's name. */
  public static final String FORMAT = "gitops-saved-plan";
  /** The first release's name and version in one, still read. */
  static final String FORMAT_1 = "gitops-saved-plan/1";

  /** Writes to {@code file}. */
  public void write(Path file) {
    try {
      ObjectNode root = MachineJson.JSON.createObjectNode();
      root.put("format", FORMAT);
      root.put("format_version", MachineJson.FORMAT_VERSION);
      root.put("repo", repo);
      root.put("path", path);
      root.put("owner", owner);
      root.put("namespace", namespace);
      root.set("counts", MachineJson.planCounts(plan));
      root.set("plan", MachineJson.parse(plan.toJson()));
      Files.writeString(file, MachineJson.write(root));
    } catch (IOException e) {
      throw new GitOpsException(file + ": cannot write the plan: " + e.getMessage(), e);
    }
  }

  /**
   * Reads a file written by {@link #write}, refusing one edited since: the plan's fingerprint is
   * recomputed from its own steps, its summary from its steps, and the file's owner is the plan's.
   * What it does not check alone (the repository, path and revision it names) the fresh plan at
   * apply does: made from them, it must equal this plan step by step.
   */
  public static SavedPlan read(Path file) {
    JsonNode root;
    if (!Files.isRegularFile(file)) {
      throw new GitOpsException(file + ": cannot read the plan: " + (Files.isDirectory(file) ? "a directory, not a file"
          : "no such file"));
    }
    try {
      root = STRICT.readTree(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new GitOpsException(file + ": cannot read the plan: " + ResourceId.escape(String.valueOf(e.getMessage())), e);
    }
    String format = root == null ? "" : root.path("format").asText();
    boolean current = FORMAT.equals(format) && root.path("format_version").asInt() == MachineJson.FORMAT_VERSION;
    if (!current && !FORMAT_1.equals(format)) {
      throw new GitOpsException(file + ": not a saved plan (want \"format\": \"" + FORMAT
          + "\", \"format_version\": " + MachineJson.FORMAT_VERSION + ")");
    }
    try {
      Plan plan = Plan.fromJson(MachineJson.JSON.writeValueAsString(root.path("plan")));
      String owner = root.path("owner").asText();
      if (!owner.equals(plan.owner())) {
        throw new GitOpsException(file + ": the plan was edited after it was made: the file's owner is '"
            + ResourceId.escape(owner) + "', its plan's '" + ResourceId.escape(plan.owner()) + "'");
      }
      return new SavedPlan(root.path("repo").asText(), root.path("path").asText(), owner,
          root.path("namespace").asText(""), plan);
    } catch (PlanFormatException e) {
      throw new GitOpsException(file + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new GitOpsException(file + ": the plan is malformed: " + ResourceId.escape(e.getMessage()), e);
    }
  }
}
