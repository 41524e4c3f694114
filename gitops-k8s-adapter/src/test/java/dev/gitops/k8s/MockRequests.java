package dev.gitops.k8s;

import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Counts the requests a mock server received since the last call, as {@code METHOD path}. */
final class MockRequests {
  private final KubernetesMockServer server;
  private int seen;

  MockRequests(KubernetesMockServer server) {
    this.server = server;
    this.seen = server.getRequestCount();
    drainRecorded(seen);
  }

  /** The requests since the last call (or construction). */
  List<String> since() {
    int now = server.getRequestCount();
    List<String> out = drainRecorded(now - seen);
    seen = now;
    return out;
  }

  /** Requests that write: anything but GET. */
  static List<String> writes(List<String> requests) {
    return requests.stream().filter(r -> !r.startsWith("GET ")).toList();
  }

  private List<String> drainRecorded(int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      try {
        RecordedRequest r = server.takeRequest(10, TimeUnit.SECONDS);
        if (r != null) {
          out.add(r.getMethod() + " " + r.getPath());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    return out;
  }
}
