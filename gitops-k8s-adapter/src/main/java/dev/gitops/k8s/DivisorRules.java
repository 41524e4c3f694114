package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.List;

/**
 * A {@code resourceFieldRef}'s {@code divisor}, checked on load: the API server refuses such an
 * object with 422 at the write of its wave, after the earlier waves were written, and the fabric8
 * mock takes it. From the API server's {@code validateContainerResourceDivisor}
 * ({@code pkg/apis/core/validation}, the same in every release from 1.30 on): a divisor that is
 * not 0 (unset) is, in the quantity's canonical form, {@code 1m} or {@code 1} for a cpu request or
 * limit, and {@code 1}, {@code 1k} ... {@code 1E} or {@code 1Ki} ... {@code 1Ei} for memory and
 * ephemeral-storage. The canonical form keeps how the quantity was written: {@code 1000m} is
 * {@code 1} and {@code 1024Ki} is {@code 1Mi}, but {@code 1024} stays {@code 1024}. Judged in every
 * container's env and in downward API files of {@code downwardAPI} and {@code projected} volumes; a
 * divisor written with an exponent ({@code 1e3}, which the server reads as {@code 1e3}, not
 * {@code 1k}) and hugepages divisors are left to the server.
 */
final class DivisorRules {
  private static final List<BigDecimal> CPU = List.of(new BigDecimal("0.001"), BigDecimal.ONE);
  private static final List<BigDecimal> DECIMAL = List.of(BigDecimal.ONE, new BigDecimal("1e3"), new BigDecimal("1e6"),
      new BigDecimal("1e9"), new BigDecimal("1e12"), new BigDecimal("1e15"), new BigDecimal("1e18"));
  private static final BigDecimal KI = BigDecimal.valueOf(1024);
  private static final List<BigDecimal> BINARY = List.of(KI, KI.pow(2), KI.pow(3), KI.pow(4), KI.pow(5), KI.pow(6));
  private static final String BYTES = "1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi or 1Ei";

  private DivisorRules() {
  }

  /** Adds to {@code problems} what the server would refuse of the divisors in {@code node}, a {@code group}/{@code kind}. */
  static void check(String group, String kind, JsonNode node, List<DecodedValues.Refusal> problems) {
    String spec = PodRules.podSpec(group, kind);
    JsonNode pod = spec == null ? null : node.at(spec);
    if (pod == null || !pod.isObject()) {
      return;
    }
    for (String list : List.of("initContainers", "containers", "ephemeralContainers")) {
      JsonNode containers = pod.path(list);
      for (int i = 0; containers.isArray() && i < containers.size(); i++) {
        JsonNode env = containers.get(i).path("env");
        for (int e = 0; env.isArray() && e < env.size(); e++) {
          divisor(env.get(e).path("valueFrom"), spec + "/" + list + "/" + i + "/env/" + e + "/valueFrom", problems);
        }
      }
    }
    JsonNode volumes = pod.path("volumes");
    for (int v = 0; volumes.isArray() && v < volumes.size(); v++) {
      String at = spec + "/volumes/" + v;
      files(volumes.get(v).path("downwardAPI").path("items"), at + "/downwardAPI/items", problems);
      JsonNode sources = volumes.get(v).path("projected").path("sources");
      for (int s = 0; sources.isArray() && s < sources.size(); s++) {
        files(sources.get(s).path("downwardAPI").path("items"), at + "/projected/sources/" + s + "/downwardAPI/items",
            problems);
      }
    }
  }

  private static void files(JsonNode items, String at, List<DecodedValues.Refusal> problems) {
    for (int i = 0; items.isArray() && i < items.size(); i++) {
      divisor(items.get(i), at + "/" + i, problems);
    }
  }

  /** The divisor of the {@code resourceFieldRef} in {@code holder}, at {@code at}. */
  private static void divisor(JsonNode holder, String at, List<DecodedValues.Refusal> problems) {
    JsonNode ref = holder.path("resourceFieldRef");
    String resource = ref.path("resource").asText("");
    String name = resource.startsWith("limits.") || resource.startsWith("requests.")
        ? resource.substring(resource.indexOf('.') + 1) : "";
    JsonNode divisor = ref.path("divisor");
    boolean cpu = name.equals("cpu");
    if (!cpu && !name.equals("memory") && !name.equals("ephemeral-storage") || !divisor.isValueNode()) {
      return;
    }
    String text = divisor.asText();
    BigDecimal value = Quantities.decimal(divisor);
    if (value == null || value.signum() == 0 || text.matches(".*[0-9.][eE][+-]?[0-9]+")) {
      return; // not a quantity (another rule's problem), unset, or written with an exponent
    }
    boolean binary = text.endsWith("i") && value.abs().compareTo(KI) >= 0;
    List<BigDecimal> allowed = cpu ? CPU : binary ? BINARY : DECIMAL;
    if (allowed.stream().noneMatch(a -> a.compareTo(value) == 0)) {
      boolean unsuffixed = !cpu && !binary && BINARY.stream().anyMatch(a -> a.compareTo(value) == 0);
      problems.add(DecodedValues.Refusal.serverAt(at + "/resourceFieldRef/divisor", Names.quote(text) + " is not a"
          + " divisor of " + name + ", which takes " + (cpu ? "1m or 1" : BYTES)
          + (unsuffixed ? " (a power of 1024 is written with its binary suffix, as 1Ki)" : "")));
    }
  }
}
