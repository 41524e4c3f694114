package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HttpRetriesTest {
  /** An answer with one {@code Retry-After} header (none when null). */
  private record Answer(String retryAfter) implements HttpResponse<String> {
    @Override public int code() {
      return 503;
    }

    @Override public String body() {
      return "";
    }

    @Override public HttpRequest request() {
      return null;
    }

    @Override public Optional<HttpResponse<?>> previousResponse() {
      return Optional.empty();
    }

    @Override public List<String> headers(String key) {
      return retryAfter != null && key.equalsIgnoreCase("Retry-After") ? List.of(retryAfter) : List.of();
    }

    @Override public Map<String, List<String>> headers() {
      return retryAfter == null ? Map.of() : Map.of("Retry-After", List.of(retryAfter));
    }
  }

  private static final Instant NOW = Instant.parse("2026-12-06T05:00:00Z");

  @Test
  void retryAfterIsReadAsSecondsOrAsAnHttpDate() {
    assertEquals(Duration.ofSeconds(120), HttpRetries.retryAfter(new Answer("120"), NOW));
    assertEquals(Duration.ofSeconds(90), HttpRetries.retryAfter(new Answer("Sun, 06 Dec 2026 05:01:30 GMT"), NOW));
    assertEquals(Duration.ZERO, HttpRetries.retryAfter(new Answer("Sun, 06 Dec 2026 04:00:00 GMT"), NOW));
    assertNull(HttpRetries.retryAfter(new Answer("soon"), NOW));
    assertNull(HttpRetries.retryAfter(new Answer("-1"), NOW));
    assertNull(HttpRetries.retryAfter(new Answer(null), NOW));
  }

  @Test
  void backoffIsFabric8sDoublingUpTo32TimesTheInterval() {
    HttpRetries retries = new HttpRetries(10, 100);
    assertEquals(Duration.ofMillis(100), retries.backoff(0));
    assertEquals(Duration.ofMillis(800), retries.backoff(3));
    assertEquals(Duration.ofMillis(3200), retries.backoff(5));
    assertEquals(Duration.ofMillis(3200), retries.backoff(9));
  }

  @Test
  void theLastAnswerKeepsTheServersStatusAndAddsTheWaitAndTheRetriesMade() {
    String apf = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":\"too many"
        + " requests\",\"reason\":\"TooManyRequests\",\"details\":{\"retryAfterSeconds\":4},\"code\":429}";
    Status status = new KubernetesSerialization().unmarshal(HttpRetries.lastAnswer(429, apf, Duration.ofSeconds(9),
        "sent 2 times"), Status.class);

    assertEquals("too many requests", status.getMessage());
    assertEquals("TooManyRequests", status.getReason());
    assertEquals(4, status.getDetails().getRetryAfterSeconds(), "the Status's own wait stands");
    assertEquals("sent 2 times", HttpRetries.retriedBefore(status));
    assertNull(Errors.retryAfter(new Status()));
  }

  @Test
  void aProxysPageBecomesAStatusOfItsTextWithTheHeadersWait() {
    Status status = new KubernetesSerialization().unmarshal(HttpRetries.lastAnswer(502,
        "<html><body><h1>502 Bad Gateway</h1>\n<p>The proxy could not reach the API server.</p></body></html>",
        Duration.ofMillis(1500), null), Status.class);

    assertEquals("502 Bad Gateway The proxy could not reach the API server.", status.getMessage());
    assertEquals(502, status.getCode());
    assertEquals(2, status.getDetails().getRetryAfterSeconds(), "rounded up, never 0");
    assertNull(HttpRetries.retriedBefore(status));
  }
}
