package dev.gitops.reconcile;

import dev.gitops.internal.plan.PlanSecrets;
import dev.gitops.model.ResourceId;
import dev.gitops.plan.Plan;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Makes text safe for a log line: the values of Secrets (and of every field a plan marks sensitive)
 * are masked, a URL's user and password are masked, and control characters are escaped so that a
 * resource name cannot forge a line ({@code \n}, {@code \u001b}, ...). Immutable.
 */
final class LogText {
  /** Masks no value; still masks URL credentials and escapes. */
  static final LogText NONE = new LogText(List.of());
  static final String MASK = PlanSecrets.MASK;
  private static final Pattern URL_CREDENTIALS = Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://)[^/@\\s]+@");

  private final List<String> secrets;

  private LogText(List<String> secrets) {
    this.secrets = secrets;
  }

  /** Masking the values of the Secrets in {@code plan} and of its sensitive changes ({@link PlanSecrets}). */
  static LogText masking(Plan plan) {
    List<String> values = PlanSecrets.values(plan);
    return values.isEmpty() ? NONE : new LogText(values);
  }

  /** These masks and {@code other}'s. */
  LogText and(LogText other) {
    if (other.secrets.isEmpty()) {
      return this;
    }
    List<String> all = new ArrayList<>(secrets);
    all.addAll(other.secrets);
    return new LogText(PlanSecrets.sorted(all));
  }

  /**
   * {@code text} with secret values and URL credentials masked and control characters escaped.
   *
   * @param text any text, null prints as {@code null}
   * @return one line, safe to log
   */
  String escape(String text) {
    if (text == null) {
      return "null";
    }
    String out = PlanSecrets.mask(secrets, text);
    out = URL_CREDENTIALS.matcher(out).replaceAll("$1" + MASK + "@");
    return ResourceId.escape(out);
  }

  /**
   * A resource id as {@link ResourceId#toString()} prints it (already escaped, so not escaped
   * twice), with secret values masked.
   *
   * @param id the id
   * @return one line, safe to log
   */
  String id(ResourceId id) {
    return PlanSecrets.mask(secrets, id.toString());
  }
}
