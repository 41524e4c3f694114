package dev.gitops.internal.plan;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.gitops.diff.Change;
import dev.gitops.diff.ResourceDiff;
import dev.gitops.diff.Suppressed;
import dev.gitops.internal.diff.Redactor;
import dev.gitops.model.Content;
import dev.gitops.model.FileMode;
import dev.gitops.model.Handler;
import dev.gitops.model.Origin;
import dev.gitops.model.Resource;
import dev.gitops.model.ResourceId;
import dev.gitops.plan.Action;
import dev.gitops.plan.Plan;
import dev.gitops.plan.PlanFormatException;
import dev.gitops.plan.Wave;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Reads plans written by {@link PlanJsonWriter}. Not part of the public API. */
public final class PlanJsonReader {
  /**
   * One meaning per file: a key given twice (which a reader of the text may take for the first,
   * Jackson for the last) and anything after the plan's object are refused.
   */
  private static final ObjectReader STRICT = PlanJsonWriter.MAPPER.reader()
      .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION.mappedFeature())
      .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private PlanJsonReader() {}

  /**
   * Reads a plan and checks that it says of itself what its steps say: its fingerprint is
   * recomputed from the file's own content and its summary from its steps.
   *
   * @throws PlanFormatException when the text is not a plan of format version 1, or was edited
   *     after it was made
   */
  public static Plan read(String json) {
    JsonNode root = root(json);
    Plan plan = plan(root);
    try {
      return verified(root, plan);
    } catch (IllegalArgumentException | NullPointerException e) { // a value the steps hold but cannot show
      throw new PlanFormatException("not a valid plan: " + e.getMessage(), e);
    }
  }

  /**
   * Reads a plan without checking that its fingerprint and summary are its steps': for comparing a
   * plan given in memory (whose fingerprint nobody computed from a file) with another, step by step.
   *
   * @throws PlanFormatException when the text is not a plan of format version 1
   */
  public static Plan readUnverified(String json) {
    return plan(root(json));
  }

  private static JsonNode root(String json) {
    JsonNode root;
    try {
      root = STRICT.readTree(json);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      throw new PlanFormatException("not a plan: invalid JSON" + (at == null || at.getLineNr() < 1 ? ""
          : " at line " + at.getLineNr() + ", column " + at.getColumnNr()) + ": " + e.getOriginalMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new PlanFormatException("not a plan: want a JSON object");
    }
    JsonNode version = root.get("format_version");
    if (version == null || !version.isInt() || version.asInt() != PlanJsonWriter.FORMAT_VERSION) {
      throw new PlanFormatException("unsupported plan format_version " + version + " (this library reads "
          + PlanJsonWriter.FORMAT_VERSION + ")");
    }
    return root;
  }

  private static Plan plan(JsonNode root) {
    try {
      List<Wave> waves = new ArrayList<>();
      for (JsonNode w : array(root, "waves")) {
        List<Action> actions = new ArrayList<>();
        for (JsonNode a : array(w, "actions")) {
          actions.add(action(a));
        }
        waves.add(new Wave(integer(w, "index"), actions));
      }
      return new Plan(text(root, "owner"), text(root, "revision"), waves, text(root, "fingerprint"));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new PlanFormatException("not a valid plan: " + e.getMessage(), e);
    }
  }

  /**
   * {@code plan} when the file says of itself what its steps say: its fingerprint is the one of its
   * owner and steps (recomputed from the file's own content, redaction markers as they are) and its
   * summary, when it has one, is its steps' summary. A file whose steps, ids, contents or summary
   * were edited while its fingerprint was kept is refused here, before anyone applies it.
   */
  private static Plan verified(JsonNode root, Plan plan) {
    String made = Fingerprints.of(plan.owner(), plan.waves(), List.of());
    if (!made.equals(plan.fingerprint())) {
      throw new PlanFormatException("the plan was edited after it was made: its fingerprint "
          + plan.fingerprint() + " is not the fingerprint of its steps (" + made + ")");
    }
    JsonNode summary = root.get("summary");
    if (summary != null && !summary.asText().equals(plan.summary())) {
      throw new PlanFormatException("the plan was edited after it was made: its summary says '"
          + summary.asText() + "', its steps '" + plan.summary() + "'");
    }
    return plan;
  }

  private static Action action(JsonNode a) {
    String kind = text(a, "kind");
    ResourceId id = ResourceId.parse(text(a, "id"));
    return switch (kind) {
      case "create" -> new Action.Create(resource(id, field(a, "desired")));
      case "update" -> new Action.Update(resource(id, field(a, "desired")), diff(id, a.get("diff")),
          text(a, "expected"));
      case "adopt" -> new Action.Adopt(resource(id, field(a, "desired")), diff(id, a.get("diff")),
          text(a, "expected"));
      case "delete" -> new Action.Delete(id, text(a, "expected"));
      case "noop" -> new Action.NoOp(id, diff(id, a.get("diff")));
      case "run" -> new Action.Run(handler(field(a, "handler")), ids(array(a, "because")));
      default -> throw new PlanFormatException("unknown action kind '" + kind + "' for " + id);
    };
  }

  private static Resource resource(ResourceId id, JsonNode r) {
    Map<String, String> annotations = new TreeMap<>();
    JsonNode ann = r.path("annotations");
    ann.properties().forEach(e -> annotations.put(e.getKey(), e.getValue().asText()));
    return new Resource(id, content(field(r, "content")), origin(r.get("origin")), annotations);
  }

  private static Content content(JsonNode c) {
    if (c.has("tree")) {
      return new Content.Tree(c.get("tree"));
    }
    JsonNode m = field(c, "mode");
    FileMode mode = new FileMode(Integer.parseInt(text(m, "permissions"), 8), text(m, "owner"),
        text(m, "group"));
    if (c.has(Redactor.FIELD)) {
      String marker = "{\"" + Redactor.FIELD + "\":\"" + text(c, Redactor.FIELD) + "\"}";
      return Content.bytes(marker.getBytes(StandardCharsets.UTF_8), mode);
    }
    if (c.has("sha256")) {
      JsonNode size = field(c, "size");
      if (!size.canConvertToLong() || size.asLong() <= Content.Bytes.LARGE) {
        throw new PlanFormatException("a file by digest must be over " + Content.Bytes.LARGE + " bytes, not " + size);
      }
      try {
        return Content.bytes(size.asLong(), text(c, "sha256"), mode, null);
      } catch (IllegalArgumentException e) {
        throw new PlanFormatException(e.getMessage());
      }
    }
    return Content.bytes(Base64.getDecoder().decode(text(c, "base64")), mode);
  }

  private static ResourceDiff diff(ResourceId id, JsonNode d) {
    if (d == null) {
      return ResourceDiff.none(id);
    }
    List<Change> changes = new ArrayList<>();
    for (JsonNode c : array(d, "changes")) {
      changes.add(new Change(Change.Op.valueOf(text(c, "op").toUpperCase(Locale.ROOT)),
          text(c, "path"), c.get("before"), c.get("after"), c.path("sensitive").asBoolean(false)));
    }
    List<Suppressed> suppressed = new ArrayList<>();
    for (JsonNode s : array(d, "suppressed")) {
      suppressed.add(new Suppressed(text(s, "rule"), integer(s, "count")));
    }
    return new ResourceDiff(id, changes, suppressed);
  }

  private static Handler handler(JsonNode h) {
    List<String> globs = new ArrayList<>();
    array(h, "globs").forEach(g -> globs.add(g.asText()));
    return new Handler(text(h, "name"), text(h, "command"), globs, origin(h.get("origin")));
  }

  private static Origin origin(JsonNode o) {
    return o == null ? Origin.UNKNOWN : new Origin(text(o, "file"), integer(o, "line"));
  }

  private static List<ResourceId> ids(JsonNode array) {
    List<ResourceId> out = new ArrayList<>();
    array.forEach(n -> out.add(ResourceId.parse(n.asText())));
    return out;
  }

  private static JsonNode field(JsonNode n, String name) {
    JsonNode v = n.get(name);
    if (v == null || v.isNull()) {
      throw new PlanFormatException("plan field '" + name + "' is missing");
    }
    return v;
  }

  private static JsonNode array(JsonNode n, String name) {
    JsonNode v = field(n, name);
    if (!v.isArray()) {
      throw new PlanFormatException("plan field '" + name + "' must be an array");
    }
    return v;
  }

  private static String text(JsonNode n, String name) {
    JsonNode v = field(n, name);
    if (!v.isTextual()) {
      throw new PlanFormatException("plan field '" + name + "' must be a string");
    }
    return v.asText();
  }

  private static int integer(JsonNode n, String name) {
    JsonNode v = field(n, name);
    if (!v.isInt()) {
      throw new PlanFormatException("plan field '" + name + "' must be an integer");
    }
    return v.asInt();
  }
}
