package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.model.ResourceId;

/**
 * What resource/v1 {@code SetDefaults_ExactDeviceRequest} and {@code SetDefaults_DeviceSubRequest}
 * store in a dynamic resource allocation request that a write leaves out, for
 * {@link SiblingLeftOut#leftOut}: an empty {@code allocationMode} is {@code ExactCount} (a fixed
 * default, {@link Defaulting#whenLeftOut}) and then, under {@code ExactCount} alone, a {@code count}
 * of 0 is 1; under {@code All} the count stays 0, which {@code omitempty} leaves out. The requests
 * are an atomic list {@code gitops} owns whole, in a ResourceClaim's {@code spec.devices} and a
 * ResourceClaimTemplate's {@code spec.spec.devices}: each request's {@code exactly} and each of its
 * {@code firstAvailable} subrequests. A request of resource.k8s.io/v1beta1 (the shape 1.32 and 1.33
 * manifests write, which 1.34 and 1.35 servers still serve) holds those fields inline, with no
 * {@code exactly}: v1beta1 {@code SetDefaults_DeviceRequest} ({@code pkg/apis/resource/v1beta1/defaults.go})
 * gives one that names a {@code deviceClassName} an {@code allocationMode} of {@code ExactCount} and
 * then a count of 1 likewise (one without a class holds subrequests and is left alone). Never
 * mutates its input. Stateless. Not public API.
 */
final class DeviceRequests {
  private static final String GROUP = "resource.k8s.io";

  private DeviceRequests() {}

  /** True for the kinds whose requests {@link #leftOut} defaults. */
  static boolean covers(ResourceId id) {
    return id.group().equals(GROUP) && (id.kind().equals("ResourceClaim") || id.kind().equals("ResourceClaimTemplate"));
  }

  /** A copy of {@code root}, an object of {@code id}, with the counts set where they are lacking; null when none is. */
  static ObjectNode leftOut(ResourceId id, ObjectNode root) {
    if (!covers(id)) {
      return null;
    }
    String at = id.kind().equals("ResourceClaim") ? "/spec/devices/requests" : "/spec/spec/devices/requests";
    if (!lacking(root.at(at))) {
      return null;
    }
    ObjectNode out = root.deepCopy();
    for (JsonNode request : out.at(at)) {
      count(request.get("exactly"));
      if (inline(request)) {
        if (SiblingDefaults.lacks(request.get("allocationMode"))) {
          ((ObjectNode) request).put("allocationMode", "ExactCount");
        }
        count(request);
      }
      for (JsonNode sub : request.path("firstAvailable")) {
        count(sub);
      }
    }
    return out;
  }

  private static boolean lacking(JsonNode requests) {
    for (JsonNode request : requests) {
      if (lacks(request.get("exactly"))
          || inline(request) && (SiblingDefaults.lacks(request.get("allocationMode")) || lacks(request))) {
        return true;
      }
      for (JsonNode sub : request.path("firstAvailable")) {
        if (lacks(sub)) {
          return true;
        }
      }
    }
    return false;
  }

  /** True for a v1beta1 request that names its class inline, which {@code SetDefaults_DeviceRequest} defaults. */
  private static boolean inline(JsonNode request) {
    return request instanceof ObjectNode && !request.has("exactly")
        && !SiblingDefaults.lacks(request.get("deviceClassName"));
  }

  /** True when {@code request} holds an ExactCount (or empty) mode and lacks its count. */
  private static boolean lacks(JsonNode request) {
    if (!(request instanceof ObjectNode)) {
      return false;
    }
    JsonNode mode = request.get("allocationMode");
    JsonNode count = request.get("count");
    return (SiblingDefaults.lacks(mode) || mode.asText().equals("ExactCount"))
        && (SiblingDefaults.lacks(count) || count.isNumber() && count.decimalValue().signum() == 0);
  }

  private static void count(JsonNode request) {
    if (lacks(request)) {
      ((ObjectNode) request).put("count", 1);
    }
  }
}
