package dev.gitops.k8s;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The CRUD mock with the watch faults a real API server can show: every WATCH refused with 403
 * (RBAC without the {@code watch} verb), the first WATCH answered and closed at once (a server that
 * times a watch out, or restarts), or the first WATCH of owned ConfigMaps left silent until
 * {@link #expire()} ends it with a {@code 410 Expired} ERROR event (its resourceVersion compacted
 * away: what it missed meanwhile is seen only by listing again). Counts the WATCH requests it receives.
 */
final class WatchFaults extends KubernetesCrudDispatcher {
  enum Fault { REFUSE, CLOSE_FIRST, EXPIRE_FIRST }

  /** The silent watch that {@link #expire()} ends, once open. */
  volatile WebSocket silent;

  private final Fault fault;
  final AtomicInteger watches = new AtomicInteger();
  private final AtomicInteger closed = new AtomicInteger();

  WatchFaults(Fault fault) {
    this.fault = fault;
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    String path = request.getPath();
    if ("GET".equals(request.getMethod()) && path.contains("watch=true")) {
      watches.incrementAndGet();
      if (fault == Fault.EXPIRE_FIRST && path.contains("/configmaps?") && path.contains("labelSelector=gitops.dev%2Fowner")
          && closed.getAndIncrement() == 0) {
        return new MockResponse().withWebSocketUpgrade(new WebSocketListener() {
          @Override
          public void onOpen(WebSocket socket, Response response) {
            silent = socket;
          }
        });
      }
      if (fault == Fault.EXPIRE_FIRST) {
        return super.dispatch(request);
      }
      if (fault == Fault.REFUSE) {
        return new MockResponse().setResponseCode(403).setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\","
            + "\"status\":\"Failure\",\"reason\":\"Forbidden\",\"code\":403,\"message\":\"watch is forbidden\"}");
      }
      if (closed.getAndIncrement() == 0) { // the watch opens, then the server closes it
        return new MockResponse().withWebSocketUpgrade(new WebSocketListener() {
          @Override
          public void onOpen(WebSocket socket, Response response) {
            socket.close(1000, "watch timed out");
          }
        });
      }
    }
    return super.dispatch(request);
  }

  /** Ends the silent watch as a server whose etcd compacted its version away: ERROR 410 Expired, then close. */
  void expire() {
    silent.send("{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},"
        + "\"status\":\"Failure\",\"message\":\"too old resource version: 1 (42)\",\"reason\":\"Expired\","
        + "\"code\":410}}");
    silent.close(1000, "");
  }
}
