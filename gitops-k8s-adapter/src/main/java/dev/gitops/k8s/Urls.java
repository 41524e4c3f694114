package dev.gitops.k8s;

import io.fabric8.kubernetes.client.KubernetesClient;

/** The API server's base URL, as requests are built on it. */
final class Urls {
  private Urls() {
  }

  /** {@code client}'s master URL without trailing slashes: paths ({@code /api/v1/...}) follow it. */
  static String base(KubernetesClient client) {
    String url = String.valueOf(client.getMasterUrl());
    int end = url.length();
    while (end > 0 && url.charAt(end - 1) == '/') {
      end--;
    }
    return url.substring(0, end);
  }
}
