package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * What Services, Ingresses and NetworkPolicies must name, checked on load: the API server refuses
 * such an object with 422 at the write of its wave, after the earlier waves were written, and the
 * fabric8 mock takes it. From the API server's validation ({@code ValidateService},
 * {@code ValidateIngressSpec}, {@code validateIngressBackend}, {@code ValidateNetworkPolicyPort},
 * {@code ValidateNetworkPolicyPeer}, {@code ValidateIPBlock}; the same in every release from 1.30
 * on, no feature gate):
 *
 * <ul>
 *   <li>A Service has {@code ports} unless it is headless ({@code clusterIP: None}) or of type
 *       {@code ExternalName}. Under {@code sessionAffinity: ClientIP}, a given
 *       {@code sessionAffinityConfig.clientIP.timeoutSeconds} is 1 to 86400
 *       ({@code validateClientIPAffinityConfig}, {@code validateAffinityTimeout}): {@code 0} is not
 *       left out (the field is a pointer, so {@code SetDefaults_Service} keeps it) and the server
 *       refuses it; under {@code None} the defaulting drops the whole config first.
 *   <li>A {@code networking.k8s.io/v1} Ingress has {@code rules} or a {@code defaultBackend}; an
 *       {@code http} rule has {@code paths}; a backend names a {@code service} or a
 *       {@code resource}, not both; a service backend names the Service and its port by
 *       {@code name} or {@code number}, not both; a resource backend its {@code kind} and
 *       {@code name}. Rules whose host holds {@code *} are left to the server, which may take them
 *       when an Ingress it holds already has such a rule.
 *   <li>A NetworkPolicy port's {@code endPort} comes with a numeric {@code port} and is not below
 *       it; a peer names a {@code podSelector}, a {@code namespaceSelector} or an {@code ipBlock},
 *       and an {@code ipBlock} alone; an {@code ipBlock} has a {@code cidr}, and each of its
 *       {@code except} lies strictly inside it. A CIDR without {@code /}, or an IPv4 one the
 *       server's lenient parser refuses, is refused; IPv6 text is left to the server.
 * </ul>
 *
 * Only objects, lists, integers and text are judged: a field of another shape is the schema's problem.
 */
final class NetworkRules {
  /** {@code core.MaxClientIPServiceAffinitySeconds}: one day. */
  private static final long MAX_AFFINITY_SECONDS = 86400;
  private static final String NOT_CIDR = "is not a CIDR (an address, /, and a prefix length, as 10.0.0.0/8)";

  private NetworkRules() {
  }

  /** Adds to {@code problems} what the server would refuse of {@code node}, a {@code group}/{@code kind}. */
  static void check(String group, String kind, JsonNode node, List<DecodedValues.Refusal> problems) {
    String key = group + "/" + kind;
    JsonNode spec = node.path("spec");
    if (key.equals("/Service")) {
      service(spec, problems);
    } else if (key.equals("networking.k8s.io/Ingress") && "networking.k8s.io/v1".equals(node.path("apiVersion").asText())) {
      ingress(spec, problems);
    } else if (key.equals("networking.k8s.io/NetworkPolicy")) {
      for (String direction : List.of("ingress", "egress")) {
        JsonNode rules = spec.path(direction);
        for (int i = 0; rules.isArray() && i < rules.size(); i++) {
          String at = "/spec/" + direction + "/" + i;
          ports(rules.get(i).path("ports"), at + "/ports", problems);
          peers(rules.get(i).path(direction.equals("ingress") ? "from" : "to"),
              at + (direction.equals("ingress") ? "/from" : "/to"), problems);
        }
      }
    }
  }

  private static void service(JsonNode spec, List<DecodedValues.Refusal> problems) {
    JsonNode timeout = spec.path("sessionAffinityConfig").path("clientIP").path("timeoutSeconds");
    if ("ClientIP".equals(spec.path("sessionAffinity").asText()) && timeout.isIntegralNumber()
        && (timeout.longValue() <= 0 || timeout.longValue() > MAX_AFFINITY_SECONDS)) {
      refuse(problems, "/spec/sessionAffinityConfig/clientIP/timeoutSeconds",
          "spec.sessionAffinityConfig.clientIP.timeoutSeconds", timeout.asText() + " is not 1 to "
          + MAX_AFFINITY_SECONDS + " seconds (leave it out for the default, 10800)");
    }
    JsonNode ports = spec.path("ports");
    boolean none = absent(ports) || ports.isArray() && ports.isEmpty();
    boolean headless = "None".equals(spec.path("clusterIP").asText())
        || "None".equals(spec.path("clusterIPs").path(0).asText());
    if (none && !headless && !"ExternalName".equals(spec.path("type").asText())) {
      refuse(problems, spec.has("ports") ? "/spec/ports" : "/spec", "spec.ports", "none given where the Service is"
          + " neither headless (clusterIP: None) nor of type ExternalName, so it forwards at least one port");
    }
  }

  private static void ingress(JsonNode spec, List<DecodedValues.Refusal> problems) {
    JsonNode rules = spec.path("rules");
    JsonNode fallback = spec.path("defaultBackend");
    if ((absent(rules) || rules.isArray() && rules.isEmpty()) && absent(fallback)) {
      refuse(problems, spec.has("rules") ? "/spec/rules" : "/spec", "spec", "neither rules nor defaultBackend given;"
          + " an Ingress routes by at least one of them");
    }
    if (!absent(fallback)) {
      backend(fallback, "/spec/defaultBackend", problems);
    }
    for (int r = 0; rules.isArray() && r < rules.size(); r++) {
      JsonNode http = rules.get(r).path("http");
      if (rules.get(r).path("host").asText().contains("*") || !http.isObject()) {
        continue;
      }
      String at = "/spec/rules/" + r + "/http";
      JsonNode paths = http.path("paths");
      if (absent(paths) || paths.isArray() && paths.isEmpty()) {
        refuse(problems, http.has("paths") ? at + "/paths" : at, Pointers.dotted(at + "/paths"), "none given; an http"
            + " rule routes at least one path");
      }
      for (int p = 0; paths.isArray() && p < paths.size(); p++) {
        JsonNode path = paths.get(p);
        if (path.isObject() && !absent(path.path("pathType"))) { // without a pathType the server looks no further
          backend(path.path("backend"), at + "/paths/" + p + (path.has("backend") ? "/backend" : ""), problems);
        }
      }
    }
  }

  /** An Ingress backend at {@code pointer} ({@code backend} itself when given, else the path holding it). */
  private static void backend(JsonNode backend, String pointer, List<DecodedValues.Refusal> problems) {
    if (!absent(backend) && !backend.isObject()) {
      return;
    }
    String dotted = Pointers.dotted(pointer.endsWith("/backend") || pointer.endsWith("/defaultBackend") ? pointer
        : pointer + "/backend");
    JsonNode service = backend.path("service");
    JsonNode resource = backend.path("resource");
    if (!absent(service) && !absent(resource)) {
      refuse(problems, pointer, dotted, "names both a service and a resource; a backend is one of them");
    } else if (absent(service) && absent(resource)) {
      refuse(problems, pointer, dotted, "names neither a service nor a resource");
    } else if (service.isObject()) {
      if (service.path("name").asText("").isEmpty()) {
        refuse(problems, pointer + "/service", dotted + ".service.name", "left out");
      }
      JsonNode port = service.path("port");
      boolean name = !absent(port.path("name")) && !port.path("name").asText().isEmpty();
      boolean number = !absent(port.path("number")) && !(port.path("number").isIntegralNumber()
          && port.path("number").asLong() == 0);
      if (name && number) {
        refuse(problems, pointer + "/service/port", dotted + ".service.port", "names both a name and a number; a"
            + " port is one of them");
      } else if (!name && !number && (absent(port) || port.isObject())) {
        refuse(problems, pointer + "/service" + (service.has("port") ? "/port" : ""), dotted + ".service.port",
            "names neither a name nor a number (0 is none)");
      }
    } else if (resource.isObject()) {
      for (String field : List.of("kind", "name")) {
        if (resource.path(field).asText("").isEmpty()) {
          refuse(problems, pointer + "/resource", dotted + ".resource." + field, "left out");
        }
      }
    }
  }

  private static void ports(JsonNode ports, String at, List<DecodedValues.Refusal> problems) {
    for (int i = 0; ports.isArray() && i < ports.size(); i++) {
      JsonNode end = ports.get(i).path("endPort");
      JsonNode port = ports.get(i).path("port");
      String pointer = at + "/" + i + "/endPort";
      if (!end.isIntegralNumber()) {
        continue;
      }
      if (absent(port)) {
        refuse(problems, pointer, Pointers.dotted(pointer), end.asText() + " where port is left out; a range starts"
            + " at a port number");
      } else if (port.isTextual()) {
        refuse(problems, pointer, Pointers.dotted(pointer), end.asText() + " where port is the name "
            + Names.quote(port.asText()) + "; a range starts at a port number");
      } else if (port.isIntegralNumber() && end.bigIntegerValue().compareTo(port.bigIntegerValue()) < 0) {
        refuse(problems, pointer, Pointers.dotted(pointer), end.asText() + " is below port " + port.asText());
      }
    }
  }

  private static void peers(JsonNode peers, String at, List<DecodedValues.Refusal> problems) {
    for (int i = 0; peers.isArray() && i < peers.size(); i++) {
      JsonNode peer = peers.get(i);
      if (!peer.isObject()) {
        continue;
      }
      String pointer = at + "/" + i;
      long named = List.of("podSelector", "namespaceSelector", "ipBlock").stream()
          .filter(f -> !absent(peer.path(f))).count();
      if (named == 0) {
        refuse(problems, pointer, Pointers.dotted(pointer), "names no peer (a podSelector, a namespaceSelector or an"
            + " ipBlock)");
      } else if (named > 1 && !absent(peer.path("ipBlock"))) {
        refuse(problems, pointer + "/ipBlock", Pointers.dotted(pointer + "/ipBlock"), "given beside a selector; an"
            + " ipBlock is a peer alone");
      }
      if (peer.path("ipBlock").isObject()) {
        ipBlock(peer.path("ipBlock"), pointer + "/ipBlock", problems);
      }
    }
  }

  private static void ipBlock(JsonNode block, String at, List<DecodedValues.Refusal> problems) {
    JsonNode cidr = block.path("cidr");
    if (absent(cidr) || cidr.isTextual() && cidr.asText().isEmpty()) {
      refuse(problems, block.has("cidr") ? at + "/cidr" : at, Pointers.dotted(at + "/cidr"), "left out");
      return;
    }
    long[] outer = cidr.isTextual() ? Cidr.parse(cidr.asText()) : null;
    if (cidr.isTextual() && outer == Cidr.INVALID) {
      refuse(problems, at + "/cidr", Pointers.dotted(at + "/cidr"), Names.quote(cidr.asText()) + " " + NOT_CIDR);
      return;
    }
    JsonNode except = block.path("except");
    for (int i = 0; except.isArray() && i < except.size(); i++) {
      if (!except.get(i).isTextual()) {
        continue;
      }
      String text = except.get(i).asText();
      long[] inner = Cidr.parse(text);
      String pointer = at + "/except/" + i;
      if (inner == Cidr.INVALID) {
        refuse(problems, pointer, Pointers.dotted(pointer), Names.quote(text) + " " + NOT_CIDR);
      } else if (outer != null && inner != null && !Cidr.strictlyInside(inner, outer)) {
        refuse(problems, pointer, Pointers.dotted(pointer), Names.quote(text) + " does not lie strictly inside cidr "
            + Names.quote(cidr.asText()));
      }
    }
  }

  /** True when {@code value} is left out or null, as Go's nil. */
  private static boolean absent(JsonNode value) {
    return value.isMissingNode() || value.isNull();
  }

  /** Adds the problem {@code what} of the field {@code dotted}, at the line of {@code pointer}. */
  private static void refuse(List<DecodedValues.Refusal> problems, String pointer, String dotted, String what) {
    problems.add(DecodedValues.Refusal.server(pointer, dotted + ": " + what));
  }
}
