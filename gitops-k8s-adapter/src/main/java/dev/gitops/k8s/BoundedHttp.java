package dev.gitops.k8s;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.RequestConfigBuilder;
import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.WebSocket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * A fabric8 {@link HttpClient} whose requests end, answer and all, within a whole deadline. With
 * fabric8's Vert.x client, {@code requestTimeout} bounds the wait for the status line and headers
 * only, and fabric8 waits for the body with no bound of its own: an API server (or a proxy before it)
 * that sent its answer a byte every few seconds kept a LIST waiting for ever, and the blocking call
 * with it. Here a request that answers as text or bytes (every GET, LIST, PATCH, POST and DELETE of
 * the DSL and of {@code raw}) is read through {@link HttpClient#consumeBytes}, so its body can be
 * cancelled: past the deadline the call fails with an {@link HttpTimeoutException} naming the
 * request, and the connection is given up. Such a request is retried here, not by fabric8, on a 429
 * or 5xx answer or a lost connection ({@link HttpRetries}: the client's {@code requestRetryBackoffLimit},
 * waiting as long as a {@code Retry-After} asks, within the same deadline). Watches and streamed
 * answers (logs) are passed through to fabric8 unbounded: they are long-lived on purpose. Not part
 * of the public API.
 */
final class BoundedHttp implements HttpClient {
  /** The client's own: web sockets, streams and builders. */
  private final HttpClient http;
  /** The same connections and authentication, without fabric8's retries: what this class bounds. */
  private final HttpClient once;
  private final Duration limit;
  private final HttpRetries retries;

  private BoundedHttp(HttpClient http, Duration limit, Config config) {
    this.http = http;
    this.once = http.newBuilder().tag(new RequestConfigBuilder(config.getRequestConfig())
        .withRequestRetryBackoffLimit(0).build()).build();
    this.limit = limit;
    this.retries = HttpRetries.of(config);
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
    HttpClient bounded = new BoundedHttp(client.getHttpClient(), limit, client.getConfiguration());
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
    Call<V> call = new Call<>(request, type, result, System.nanoTime());
    CompletableFuture<Void> timer = new CompletableFuture<>();
    timer.orTimeout(limit.toNanos(), TimeUnit.NANOSECONDS).whenComplete((v, e) -> {
      if (e != null && result.completeExceptionally(timedOut(request))) {
        call.cancel();
      }
    });
    result.whenComplete((r, e) -> timer.complete(null));
    call.send(0);
    return result;
  }

  private HttpTimeoutException timedOut(HttpRequest request) {
    return new HttpTimeoutException(request.method() + " " + request.uri().getRawPath() + " did not finish within "
        + limit + " (the target's callTimeout): the request was cancelled");
  }

  /** One call: its attempts, each answer read whole, until one is kept or the deadline passes. */
  private final class Call<V> {
    private final HttpRequest request;
    private final Class<V> type;
    private final CompletableFuture<HttpResponse<V>> result;
    private final long start;
    private volatile CompletableFuture<HttpResponse<AsyncBody>> head;

    Call(HttpRequest request, Class<V> type, CompletableFuture<HttpResponse<V>> result, long start) {
      this.request = request;
      this.type = type;
      this.result = result;
      this.start = start;
    }

    /** Sends attempt {@code retry + 1}; retries or completes the result with what it gets. */
    void send(int retry) {
      if (result.isDone()) {
        return;
      }
      read().whenComplete((answer, failure) -> {
        if (result.isDone()) {
          return;
        }
        Duration wait = waitBefore(retry, answer, failure);
        if (wait != null) {
          CompletableFuture.delayedExecutor(wait.toNanos(), TimeUnit.NANOSECONDS).execute(() -> send(retry + 1));
        } else if (failure != null) {
          result.completeExceptionally(failure);
        } else {
          result.complete(kept(answer, retry + 1));
        }
      });
    }

    /** The wait before retry number {@code retry} (from 0), or null when none is made. */
    private Duration waitBefore(int retry, Answer<byte[]> answer, Throwable failure) {
      if (retry >= retries.limit()) {
        return null;
      }
      Duration wait = retries.backoff(retry);
      if (failure != null) {
        Throwable t = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (!(t instanceof IOException) || t instanceof SSLException || t instanceof HttpTimeoutException) {
          return null; // as fabric8: a lost connection is retried, a TLS refusal or a timeout is not
        }
      } else if (HttpRetries.retried(answer.code()) && !tooLarge(answer)) {
        Duration asked = HttpRetries.retryAfter(answer, Instant.now());
        wait = asked != null && asked.compareTo(wait) > 0 ? asked : wait;
      } else {
        return null;
      }
      return System.nanoTime() - start + wait.toNanos() < limit.toNanos() ? wait : null;
    }

    /** The answer given to fabric8: a 429's or 5xx's as a Status that carries the wait asked and the retries made. */
    private HttpResponse<V> kept(Answer<byte[]> answer, int sent) {
      byte[] body = answer.body();
      if (HttpRetries.retried(answer.code()) && !tooLarge(answer)) {
        Duration asked = HttpRetries.retryAfter(answer, Instant.now());
        String retried = retries.limit() == 0 ? null : "sent " + sent + (sent == 1 ? " time" : " times") + " in "
            + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms (at most " + (1 + retries.limit())
            + ", the client's requestRetryBackoffLimit, within the target's callTimeout of " + limit + ")";
        if (asked != null || retried != null) {
          body = HttpRetries.lastAnswer(answer.code(), new String(body, StandardCharsets.UTF_8), asked, retried)
              .getBytes(StandardCharsets.UTF_8);
        }
      }
      return new Answer<>(answer.head(), type.cast(type == String.class ? new String(body, StandardCharsets.UTF_8) : body));
    }

    private static boolean tooLarge(Answer<byte[]> answer) {
      return answer.code() >= 500 && HttpRetries.tooLarge(answer.code(), new String(answer.body(), StandardCharsets.UTF_8));
    }

    /** One attempt's answer, its body read whole (cancelled when the call is). */
    private CompletableFuture<Answer<byte[]>> read() {
      CompletableFuture<Answer<byte[]>> out = new CompletableFuture<>();
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      CompletableFuture<HttpResponse<AsyncBody>> sent = once.consumeBytes(request, (buffers, body) -> {
        synchronized (bytes) {
          for (ByteBuffer b : buffers) {
            byte[] chunk = new byte[b.remaining()];
            b.get(chunk);
            bytes.write(chunk, 0, chunk.length);
          }
        }
        body.consume();
      });
      head = sent;
      sent.whenComplete((r, e) -> {
        if (e != null) {
          out.completeExceptionally(e);
        } else if (result.isDone()) {
          r.body().cancel();
        } else {
          r.body().done().whenComplete((done, failed) -> {
            if (failed != null) {
              out.completeExceptionally(failed);
            } else {
              synchronized (bytes) {
                out.complete(new Answer<>(r, bytes.toByteArray()));
              }
            }
          });
          r.body().consume();
        }
      });
      return out;
    }

    /** Gives up the attempt in flight: a head that still arrives has its body cancelled (fabric8 does that). */
    void cancel() {
      CompletableFuture<HttpResponse<AsyncBody>> current = head;
      if (current != null) {
        current.cancel(false);
        current.thenAccept(r -> r.body().cancel());
      }
    }
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
