package dev.gitops.k8s;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.ByteString;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The CRUD mock behind bearer-token authentication, as kube-apiserver authenticates: a request
 * whose {@code Authorization} is not {@code Bearer} and the one token accepted now is answered 401
 * with the Status the server writes ({@code reason: Unauthorized}, message {@code Unauthorized}),
 * before anything else; a watch is authenticated when it starts only (a server does not look at an
 * open watch's token again), and {@link #dropWatches()} ends every open one, as a proxy's idle
 * timeout or a server's watch timeout does. Records the requests it refused.
 */
final class BearerTokens extends KubernetesCrudDispatcher {
  static final String UNAUTHORIZED = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
      + "\"message\":\"Unauthorized\",\"reason\":\"Unauthorized\",\"code\":401}";

  /** The token the server accepts now; null: none. */
  volatile String accepted;
  /** {@code METHOD path} of each request refused, and the {@code Authorization} it carried (or "none"). */
  final List<String> refused = new CopyOnWriteArrayList<>();
  final List<String> presented = new CopyOnWriteArrayList<>();
  /** Run at each refusal, before the 401 is answered (a credential rotated at that moment); null: none. */
  volatile Runnable onRefusal;
  private final Set<WebSocket> watches = ConcurrentHashMap.newKeySet();

  BearerTokens(String accepted) {
    this.accepted = accepted;
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    String authorization = request.getHeader("Authorization");
    if (accepted == null || !("Bearer " + accepted).equals(authorization)) {
      refused.add(request.getMethod() + " " + request.getPath());
      presented.add(authorization == null ? "none" : authorization);
      Runnable hook = onRefusal;
      if (hook != null) {
        hook.run();
      }
      return new MockResponse().setResponseCode(401).setBody(UNAUTHORIZED);
    }
    MockResponse response = super.dispatch(request);
    WebSocketListener watch = response.getWebSocketListener();
    return watch == null ? response : response.withWebSocketUpgrade(tracked(watch));
  }

  /** Closes every open watch (1001, going away); the clients reconnect. */
  void dropWatches() {
    for (WebSocket socket : watches) {
      watches.remove(socket);
      socket.close(1001, "idle timeout");
    }
  }

  int openWatches() {
    return watches.size();
  }

  /** {@code inner}, remembering its socket while it is open. */
  private WebSocketListener tracked(WebSocketListener inner) {
    return new WebSocketListener() {
      @Override public void onBeforeAccept(WebSocket socket, Response response) {
        inner.onBeforeAccept(socket, response);
      }

      @Override public void onOpen(WebSocket socket, Response response) {
        watches.add(socket);
        inner.onOpen(socket, response);
      }

      @Override public void onMessage(WebSocket socket, String text) {
        inner.onMessage(socket, text);
      }

      @Override public void onMessage(WebSocket socket, ByteString bytes) {
        inner.onMessage(socket, bytes);
      }

      @Override public void onMessage(WebSocket socket, byte[] bytes) {
        inner.onMessage(socket, bytes);
      }

      @Override public void onPing(WebSocket socket, byte[] bytes) {
        inner.onPing(socket, bytes);
      }

      @Override public void onClosing(WebSocket socket, int code, String reason) {
        watches.remove(socket);
        inner.onClosing(socket, code, reason);
      }

      @Override public void onClosed(WebSocket socket, int code, String reason) {
        watches.remove(socket);
        inner.onClosed(socket, code, reason);
      }

      @Override public void onFailure(WebSocket socket, Throwable t, Response response) {
        watches.remove(socket);
        inner.onFailure(socket, t, response);
      }
    };
  }
}
