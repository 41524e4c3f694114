package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Job's and a CronJob's job template's {@code selector}, checked on load as the API server
 * judges it (the fabric8 mock takes any): {@code pkg/registry/batch/job/strategy.go}
 * {@code generateSelector} and {@code pkg/apis/batch/validation/validation.go}
 * {@code ValidateGeneratedSelector}, {@code ValidateJobSpec} and {@code ValidateJobTemplateSpec}.
 *
 * <ul>
 *   <li>A Job without {@code manualSelector: true} gets a selector: the server adds
 *       {@code batch.kubernetes.io/controller-uid: <uid>} to the one given (or to an empty one) and
 *       the four generated labels ({@code controller-uid}, {@code job-name} and their
 *       {@code batch.kubernetes.io/} forms) to the pod template's, then refuses a selector that does
 *       not select those generated labels ("`selector` not auto-generated"): one that names another
 *       label ({@code app: migrate}, as a Deployment's does), or a {@code job-name} other than the
 *       Job's name. A requirement on a {@code controller-uid} is left to the server (a selector copied
 *       from the live Job holds its uid, which an update of that Job takes), as is an operator this
 *       does not know. A template label {@code job-name} other than the Job's name is refused too.
 *   <li>A Job with {@code manualSelector: true} gives a selector ("Required value") that selects its
 *       pod template's labels.
 *   <li>A CronJob's job template has no {@code selector} (not even {@code {}}: "`selector` will be
 *       auto-generated") and no {@code manualSelector: true}: each Job is given its own.
 * </ul>
 *
 * Stateless. Not public API.
 */
final class JobSelectors {
  private static final Set<String> JOB_NAME = Set.of("job-name", "batch.kubernetes.io/job-name");
  private static final Set<String> CONTROLLER_UID = Set.of("controller-uid", "batch.kubernetes.io/controller-uid");

  private JobSelectors() {
  }

  /** Adds to {@code problems} what the server would refuse of {@code node}'s selector, a {@code group}/{@code kind}. */
  static void check(String group, String kind, JsonNode node, List<DecodedValues.Refusal> problems) {
    if (!group.equals("batch")) {
      return;
    }
    if (kind.equals("Job")) {
      job(node.path("metadata").path("name").asText(""), node.path("spec"), problems);
    } else if (kind.equals("CronJob")) {
      JsonNode spec = node.path("spec").path("jobTemplate").path("spec");
      if (spec.path("manualSelector").asBoolean(false)) {
        problems.add(DecodedValues.Refusal.server("/spec/jobTemplate/spec/manualSelector",
            "spec.jobTemplate.spec.manualSelector: Unsupported value: true (nil or false)"));
      }
      if (given(spec.get("selector"))) {
        problems.add(DecodedValues.Refusal.server("/spec/jobTemplate/spec/selector",
            "spec.jobTemplate.spec.selector: `selector` will be auto-generated: a job template takes none"));
      }
    }
  }

  private static void job(String name, JsonNode spec, List<DecodedValues.Refusal> problems) {
    JsonNode selector = spec.get("selector");
    JsonNode labels = spec.path("template").path("metadata").path("labels");
    if (spec.path("manualSelector").asBoolean(false)) {
      if (!given(selector)) {
        problems.add(DecodedValues.Refusal.server("/spec", "spec.selector: Required value: manualSelector: true"
            + " asks for a selector of your own"));
      } else if (!SpecRules.matchLabels(selector.path("matchLabels"), labels)
          || !SpecRules.matchExpressions(selector.path("matchExpressions"), labels)) {
        problems.add(DecodedValues.Refusal.server("/spec/selector", "spec.selector does not select the labels of"
            + " spec.template.metadata.labels"));
      }
      return;
    }
    for (String key : JOB_NAME) {
      JsonNode value = labels.get(key);
      if (value != null && value.isTextual() && !value.asText().equals(name)) {
        problems.add(DecodedValues.Refusal.server("/spec/template/metadata/labels",
            "spec.template.metadata.labels[" + key + "]: must be the Job's name"));
      }
    }
    if (given(selector) && !selectsGenerated(selector, name)) {
      problems.add(DecodedValues.Refusal.server("/spec/selector", "spec.selector: `selector` not auto-generated:"
          + " without manualSelector: true the server adds the Job's controller-uid to the selector and takes it"
          + " only when it selects nothing but the labels it generates (controller-uid, job-name); leave the"
          + " selector out, or set manualSelector: true"));
    }
  }

  /** True when {@code selector} selects the labels the server generates for Job {@code name}, its uid's left to the server. */
  private static boolean selectsGenerated(JsonNode selector, String name) {
    ObjectNode generated = JsonNodeFactory.instance.objectNode();
    JOB_NAME.forEach(key -> generated.put(key, name));
    ObjectNode wanted = JsonNodeFactory.instance.objectNode();
    for (Map.Entry<String, JsonNode> e : selector.path("matchLabels").properties()) {
      if (!CONTROLLER_UID.contains(e.getKey())) {
        wanted.set(e.getKey(), e.getValue());
      }
    }
    var requirements = JsonNodeFactory.instance.arrayNode();
    for (JsonNode r : selector.path("matchExpressions")) {
      if (!CONTROLLER_UID.contains(r.path("key").asText())) {
        requirements.add(r);
      }
    }
    return SpecRules.matchLabels(wanted, generated) && SpecRules.matchExpressions(requirements, generated);
  }

  private static boolean given(JsonNode v) {
    return v != null && !v.isNull() && !v.isMissingNode();
  }
}
