package dev.gitops.internal.plan;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.diff.Change;
import dev.gitops.diff.ResourceDiff;
import dev.gitops.model.Content;
import dev.gitops.model.Resource;
import dev.gitops.plan.Action;
import dev.gitops.plan.Plan;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The values a plan keeps secret, to mask in text that may quote them (a log line, an API server's
 * or an admission webhook's answer to a write): every Kubernetes Secret's {@code data} (and what its
 * base64 decodes to) and {@code stringData} (and its base64, as the server stores it), and both
 * sides of every change marked sensitive. The one
 * place both the reconciler's log and {@link Plan#masked} take them from. Not part of the public API.
 */
public final class PlanSecrets {
  /** What a masked value prints as. */
  public static final String MASK = "***";
  /** Values shorter than this are not searched for: masking "a" would mask every "a". */
  private static final int SHORTEST = 4;

  private PlanSecrets() {}

  /** {@return the secret values of {@code plan}, longest first (so a value holding another is masked whole)} */
  public static List<String> values(Plan plan) {
    Set<String> found = new LinkedHashSet<>();
    for (Action a : plan.actions()) {
      Resource desired = a instanceof Action.Create c ? c.desired()
          : a instanceof Action.Update u ? u.desired() : a instanceof Action.Adopt ad ? ad.desired() : null;
      if (desired != null && "Secret".equals(desired.id().kind()) && desired.id().group().isEmpty()
          && desired.content() instanceof Content.Tree t) {
        collect(t.node().path("data"), true, found);
        collect(t.node().path("stringData"), false, found);
        encoded(t.node().path("stringData"), found);
      }
      ResourceDiff diff = a instanceof Action.Update u ? u.diff() : a instanceof Action.Adopt ad ? ad.diff()
          : a instanceof Action.NoOp n ? n.diff() : null;
      if (diff != null) {
        for (Change c : diff.changes()) {
          if (c.sensitive()) {
            collect(c.before(), false, found);
            collect(c.after(), false, found);
          }
        }
      }
    }
    return sorted(found);
  }

  /** {@return {@code text} with each of {@code values} (longest first) replaced by {@link #MASK}} */
  public static String mask(List<String> values, String text) {
    String out = text;
    for (String s : values) {
      out = out.replace(s, MASK);
    }
    return out;
  }

  /** Longest first, so that a value containing another is masked whole. */
  public static List<String> sorted(Collection<String> values) {
    List<String> out = new ArrayList<>(new LinkedHashSet<>(values));
    out.sort(Comparator.comparingInt(String::length).reversed().thenComparing(Comparator.naturalOrder()));
    return List.copyOf(out);
  }

  /** Every text value under {@code node} (and, for base64 {@code data}, what it decodes to). */
  private static void collect(JsonNode node, boolean base64, Set<String> into) {
    if (node == null || node.isMissingNode() || node.isNull()) {
      return;
    }
    if (node.isContainerNode()) {
      node.forEach(child -> collect(child, base64, into));
      return;
    }
    String value = node.asText();
    add(value, into);
    if (base64) {
      try {
        add(new String(Base64.getMimeDecoder().decode(value), StandardCharsets.UTF_8), into);
      } catch (IllegalArgumentException notBase64) {
        // kept as written
      }
    }
  }

  /**
   * The base64 of every text value of a Secret's {@code stringData}: the API server stores it in
   * {@code data} so, and its answers (a 422 on {@code data[key]}, a webhook's denial) quote it so.
   */
  private static void encoded(JsonNode stringData, Set<String> into) {
    stringData.forEach(v -> {
      if (v.isTextual() && v.textValue().length() >= SHORTEST) {
        into.add(Base64.getEncoder().encodeToString(v.textValue().getBytes(StandardCharsets.UTF_8)));
      }
    });
  }

  private static void add(String value, Set<String> into) {
    if (value.length() >= SHORTEST) {
      into.add(value);
      value.lines().filter(l -> l.strip().length() >= SHORTEST).map(String::strip).forEach(into::add);
    }
  }
}
