package dev.gitops.internal.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.diff.Change;
import dev.gitops.diff.PathRule;
import dev.gitops.diff.ResourceDiff;
import dev.gitops.diff.Suppressed;
import dev.gitops.internal.HiddenEscapes;
import dev.gitops.internal.SortedJson;
import dev.gitops.internal.diff.Redactor;
import dev.gitops.model.Content;
import dev.gitops.model.FileMode;
import dev.gitops.model.Handler;
import dev.gitops.model.Origin;
import dev.gitops.model.Resource;
import dev.gitops.model.ResourceId;
import dev.gitops.plan.Action;
import dev.gitops.plan.Plan;
import dev.gitops.plan.Wave;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * Writes plans as JSON, format version 1: object keys sorted at every level, two-space indent,
 * {@code \n} line ends, values at sensitive paths redacted, every character {@link HiddenEscapes} names a
 * JSON escape. Not part of the public API.
 */
public final class PlanJsonWriter {
  /** The format version this writer produces. */
  public static final int FORMAT_VERSION = 1;
  static final ObjectMapper MAPPER = new ObjectMapper(SortedJson.factory());
  private static final ObjectWriter PRETTY = MAPPER.writer(new DefaultPrettyPrinter()
      .withSeparators(Separators.createDefaultInstance()
          .withObjectFieldValueSpacing(Separators.Spacing.AFTER))
      .withObjectIndenter(new DefaultIndenter("  ", "\n"))
      .withArrayIndenter(new DefaultIndenter("  ", "\n")))
      .with(HiddenEscapes.INSTANCE); // free strings (owner, revision, files, values) never carry a raw U+202E
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private final List<PathRule> rules;
  private final Redactor redactor;

  /** A writer that redacts values at {@code sensitive} paths. */
  public PlanJsonWriter(List<PathRule> sensitive) {
    this.rules = List.copyOf(sensitive);
    this.redactor = new Redactor(rules);
  }

  /** The whole plan as pretty JSON text ending with a newline. */
  public String write(Plan plan) {
    ObjectNode root = body(plan.owner(), plan.waves());
    root.put("format_version", FORMAT_VERSION);
    root.put("revision", plan.revision());
    root.put("fingerprint", plan.fingerprint());
    root.put("summary", plan.summary());
    try {
      return PRETTY.writeValueAsString(Redactor.sorted(root)) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serialises", e);
    }
  }

  /** One step as canonical JSON (keys sorted, compact), as the plan's JSON holds it. */
  byte[] canonicalAction(Action a) {
    ObjectNode tree = action(a);
    byte[] direct = SortedJson.write(tree);
    if (direct != null) {
      return direct;
    }
    try {
      return MAPPER.writeValueAsBytes(Redactor.sorted(tree));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serialises", e);
    }
  }

  private ObjectNode body(String owner, List<Wave> waves) {
    ObjectNode root = F.objectNode();
    root.put("owner", owner);
    ArrayNode out = root.putArray("waves");
    for (Wave w : waves) {
      ObjectNode wave = out.addObject();
      wave.put("index", w.index());
      ArrayNode actions = wave.putArray("actions");
      for (Action a : w.actions()) {
        actions.add(action(a));
      }
    }
    return root;
  }

  private ObjectNode action(Action a) {
    ObjectNode n = F.objectNode();
    n.put("kind", a.kind().word());
    n.put("id", a.id().toString());
    if (!a.expected().isEmpty()) {
      n.put("expected", a.expected());
    }
    switch (a.kind()) {
      case CREATE -> n.set("desired", resource(((Action.Create) a).desired()));
      case UPDATE -> {
        Action.Update u = (Action.Update) a;
        n.set("desired", withSensitiveChanges(u.diff()).resource(u.desired()));
        n.set("diff", diff(u.diff()));
      }
      case ADOPT -> {
        Action.Adopt ad = (Action.Adopt) a;
        n.set("desired", withSensitiveChanges(ad.diff()).resource(ad.desired()));
        n.set("diff", diff(ad.diff()));
      }
      case NOOP -> {
        ResourceDiff d = ((Action.NoOp) a).diff();
        if (!d.suppressed().isEmpty() || !d.changes().isEmpty()) {
          n.set("diff", diff(d));
        }
      }
      case RUN -> {
        Action.Run r = (Action.Run) a;
        n.set("handler", handler(r.handler()));
        ArrayNode because = n.putArray("because");
        r.because().forEach(id -> because.add(id.toString()));
      }
      case DELETE -> { }
      default -> throw new IllegalStateException("unknown action kind " + a.kind());
    }
    return n;
  }

  /**
   * This writer, also redacting the paths of the diff's sensitive changes: whatever rules the
   * differ used, a value it marked sensitive never reaches the desired content in the JSON either
   * (an append to a list, {@code /x/-}, redacts the whole list's elements).
   */
  private PlanJsonWriter withSensitiveChanges(ResourceDiff d) {
    List<PathRule> extra = new ArrayList<>(rules);
    for (Change c : d.changes()) {
      if (c.sensitive()) {
        String path = c.path().endsWith("/-") ? c.path().substring(0, c.path().length() - 1) + "*" : c.path();
        extra.add(new PathRule(d.id().group(), d.id().kind(), d.id().name(), path));
      }
    }
    return extra.size() == rules.size() ? this : new PlanJsonWriter(extra);
  }

  private ObjectNode resource(Resource r) {
    ObjectNode n = F.objectNode();
    if (!r.origin().equals(Origin.UNKNOWN)) {
      n.set("origin", origin(r.origin()));
    }
    if (!r.extraAnnotations().isEmpty()) {
      ObjectNode ann = n.putObject("annotations");
      r.extraAnnotations().forEach(ann::put);
    }
    n.set("content", content(r.id(), r.content()));
    return n;
  }

  private ObjectNode content(ResourceId id, Content c) {
    ObjectNode n = F.objectNode();
    if (c instanceof Content.Tree t) {
      n.set("tree", redactor.redact(id, "", t.node()));
    } else if (c instanceof Content.Bytes b && b.isLarge()) {
      if (redactor.coversWhole(id, "/content")) {
        n.put(Redactor.FIELD, Redactor.marker(id, "/content",
            F.textNode(b.sha256() + " " + b.size())).get(Redactor.FIELD).asText());
      } else {
        n.put("size", b.size());
        n.put("sha256", b.sha256());
      }
      n.set("mode", mode(b.mode()));
    } else if (c instanceof Content.Bytes b) {
      byte[] data = b.data();
      if (Redactor.isMarker(data)) {
        n.put(Redactor.FIELD, Redactor.markerDigest(data));
      } else if (redactor.coversWhole(id, "/content")) {
        n.put(Redactor.FIELD, Redactor.marker(id, "/content",
            F.binaryNode(data)).get(Redactor.FIELD).asText());
      } else {
        n.put("base64", Base64.getEncoder().encodeToString(data));
      }
      n.set("mode", mode(b.mode()));
    }
    return n;
  }

  private static ObjectNode mode(FileMode m) {
    ObjectNode n = F.objectNode();
    n.put("permissions", String.format(Locale.ROOT, "%04o", m.permissions()));
    n.put("owner", m.owner());
    n.put("group", m.group());
    return n;
  }

  private ObjectNode diff(ResourceDiff d) {
    ObjectNode n = F.objectNode();
    ArrayNode changes = n.putArray("changes");
    for (Change c : d.changes()) {
      ObjectNode cn = changes.addObject();
      cn.put("op", c.op().name().toLowerCase(Locale.ROOT));
      cn.put("path", c.path());
      if (c.before() != null) {
        cn.set("before", value(d.id(), c, c.before()));
      }
      if (c.after() != null) {
        cn.set("after", value(d.id(), c, c.after()));
      }
      if (c.sensitive()) {
        cn.put("sensitive", true);
      }
    }
    ArrayNode suppressed = n.putArray("suppressed");
    for (Suppressed s : d.suppressed()) {
      suppressed.addObject().put("rule", s.rule()).put("count", s.count());
    }
    return n;
  }

  private JsonNode value(ResourceId id, Change c, JsonNode v) {
    return c.sensitive() ? Redactor.marker(id, c.path(), v) : redactor.redact(id, c.path(), v);
  }

  private static ObjectNode handler(Handler h) {
    ObjectNode n = F.objectNode();
    n.put("name", h.name());
    n.put("command", h.command());
    ArrayNode globs = n.putArray("globs");
    h.globs().forEach(globs::add);
    if (!h.origin().equals(Origin.UNKNOWN)) {
      n.set("origin", origin(h.origin()));
    }
    return n;
  }

  private static ObjectNode origin(Origin o) {
    return F.objectNode().put("file", o.file()).put("line", o.line());
  }
}
