package dev.gitops.k8s;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.WebSocket;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A fabric8 {@link HttpClient} whose requests end, answer and all, within a whole deadline. With
 * fabric8's Vert.x client, {@code requestTimeout} bounds the wait for the status line and headers
 * only, and fabric8 waits for the body with no bound of its own: an API server (or a proxy before it)
 * that sent its answer a byte every few seconds kept a LIST waiting for ever, and the blocking call
 * with it. Here a request that answers as text or bytes (every GET, LIST, PATCH, POST and DELETE of
 * the DSL and of {@code raw}) is read through {@link HttpClient#consumeBytes}, so its body can be
 * cancelled: past the deadline the call fails with an {@link HttpTimeoutException} naming the
 * request, and the connection is given up. Retries fabric8 makes (5xx, lost connections) count
 * against the same deadline. Watches and streamed answers (logs) are passed through unbounded: they
 * are long-lived on purpose. Not part of the public API.
 */
final class BoundedHttp implements HttpClient {
  private final HttpClient http;
  private final Duration limit;

  private BoundedHttp(HttpClient http, Duration limit) {
    this.http = http;
    this.limit = limit;
  }

  /**
   * A client that sends through {@code client}'s HTTP client (its connections, TLS and
   * authentication), with {@code client}'s configuration and serialization, every request bounded by
   * {@code limit}; {@code client} itself when it already is such a client. Closing it closes nothing
   * of {@code client}'s; it has a task executor of its own, idle unless something is watched through it.
   */
  static KubernetesClient client(KubernetesClient client, Duration limit) {
    if (client.getHttpClient() instanceof BoundedHttp) {
      return client;
    }
    HttpClient bounded = new BoundedHttp(client.getHttpClient(), limit);
    // fabric8 builds a client from a factory's builder: this one configures nothing, it has its client
    HttpClient.Builder built = (HttpClient.Builder) Proxy.newProxyInstance(HttpClient.class.getClassLoader(),
        new Class<?>[] {HttpClient.Builder.class}, (self, method, args) -> switch (method.getName()) {
          case "build" -> bounded;
          case "hashCode" -> System.identityHashCode(self);
          case "equals" -> self == args[0];
          case "toString" -> "BoundedHttp.Builder";
          default -> self; // every other method of a builder returns the builder
        });
    return new KubernetesClientBuilder().withConfig(client.getConfiguration())
        .withKubernetesSerialization(client.getKubernetesSerialization())
        .withHttpClientFactory(new HttpClient.Factory() {
          @Override
          public HttpClient.Builder newBuilder() {
            return built;
          }

          @Override
          public HttpClient.Builder newBuilder(io.fabric8.kubernetes.client.Config config) {
            return built;
          }
        }).build();
  }

  @Override
  public <V> CompletableFuture<HttpResponse<V>> sendAsync(HttpRequest request, Class<V> type) {
    if (type != String.class && type != byte[].class) {
      return http.sendAsync(request, type); // a stream, read as it comes: not this class's to bound
    }
    CompletableFuture<HttpResponse<V>> result = new CompletableFuture<>();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CompletableFuture<HttpResponse<AsyncBody>> head = http.consumeBytes(request, (buffers, body) -> {
      synchronized (bytes) {
        for (ByteBuffer b : buffers) {
          byte[] chunk = new byte[b.remaining()];
          b.get(chunk);
          bytes.write(chunk, 0, chunk.length);
        }
      }
      body.consume();
    });
    CompletableFuture<Void> timer = new CompletableFuture<>();
    timer.orTimeout(limit.toNanos(), TimeUnit.NANOSECONDS).whenComplete((v, e) -> {
      if (e != null && result.completeExceptionally(timedOut(request))) {
        head.cancel(false); // a head that still arrives has its body cancelled (fabric8 does that)
        head.thenAccept(r -> r.body().cancel());
      }
    });
    head.whenComplete((r, e) -> {
      if (e != null) {
        result.completeExceptionally(e);
      } else if (result.isDone()) {
        r.body().cancel();
      } else {
        r.body().done().whenComplete((done, failed) -> {
          if (failed != null) {
            result.completeExceptionally(failed);
          } else {
            byte[] all;
            synchronized (bytes) {
              all = bytes.toByteArray();
            }
            result.complete(new Answer<>(r, type.cast(type == String.class ? new String(all, StandardCharsets.UTF_8) : all)));
          }
        });
        r.body().consume();
      }
    });
    result.whenComplete((r, e) -> timer.complete(null));
    return result;
  }

  private HttpTimeoutException timedOut(HttpRequest request) {
    return new HttpTimeoutException(request.method() + " " + request.uri().getRawPath() + " did not finish within "
        + limit + " (the target's callTimeout): the request was cancelled");
  }

  @Override
  public CompletableFuture<HttpResponse<AsyncBody>> consumeBytes(HttpRequest request,
                                                                 AsyncBody.Consumer<List<ByteBuffer>> consumer) {
    return http.consumeBytes(request, consumer);
  }

  @Override
  public DerivedClientBuilder newBuilder() {
    return http.newBuilder();
  }

  @Override
  public WebSocket.Builder newWebSocketBuilder() {
    return http.newWebSocketBuilder();
  }

  @Override
  public HttpRequest.Builder newHttpRequestBuilder() {
    return http.newHttpRequestBuilder();
  }

  @Override
  public boolean isClosed() {
    return http.isClosed();
  }

  /** Leaves the shared client open: it belongs to whoever built it. */
  @Override
  public void close() {
    // nothing of this wrapper's own to close
  }

  /** A whole answer: {@code head}'s status and headers with the body read. */
  private record Answer<V>(HttpResponse<AsyncBody> head, V body) implements HttpResponse<V> {
    @Override
    public int code() {
      return head.code();
    }

    @Override
    public HttpRequest request() {
      return head.request();
    }

    @Override
    public Optional<HttpResponse<?>> previousResponse() {
      return head.previousResponse();
    }

    @Override
    public List<String> headers(String key) {
      return head.headers(key);
    }

    @Override
    public Map<String, List<String>> headers() {
      return head.headers();
    }
  }
}
