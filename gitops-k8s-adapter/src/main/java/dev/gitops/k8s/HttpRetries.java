package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * How {@link BoundedHttp} retries an answer of 429 (API Priority and Fairness, a proxy's rate
 * limit) or 5xx (a server or a load balancer in front of it), or a lost connection: as many times
 * as the client's {@code requestRetryBackoffLimit} (fabric8's default 10), after fabric8's own
 * backoff ({@code requestRetryBackoffInterval}, 100 ms by default, doubling up to 32 times it) or
 * the wait the answer's {@code Retry-After} asks, whichever is longer, and never past the call's
 * deadline. fabric8 8.0.0 reads that header and then sleeps its own interval regardless, and keeps
 * no header of a failed answer, so its own retries are turned off under {@link BoundedHttp}.
 *
 * <p>The last answer of a 429 or 5xx reaches fabric8 as a Status carrying the asked wait
 * ({@code details.retryAfterSeconds}, from the header when the body is a proxy's page or text) and,
 * when this layer retries at all, a cause saying so ({@link #RETRIED}), which {@link Errors} reads:
 * the applier does not retry it again, so a step is sent at most {@code 1 + requestRetryBackoffLimit}
 * times, not that many per applier attempt.
 */
record HttpRetries(int limit, long intervalMillis) {
  /** The reason of the Status cause that says this layer already retried the answer. */
  static final String RETRIED = "gitops.dev/Retried";
  private static final int MAX_EXPONENT = 5; // fabric8's ExponentialBackoffIntervalCalculator's

  /** The retries {@code config} asks of fabric8 (negative: fabric8's unlimited, here its default 10). */
  static HttpRetries of(Config config) {
    Integer limit = config.getRequestRetryBackoffLimit();
    Integer interval = config.getRequestRetryBackoffInterval();
    return new HttpRetries(limit == null || limit < 0 ? Config.DEFAULT_REQUEST_RETRY_BACKOFFLIMIT : limit,
        interval == null || interval < 0 ? Config.DEFAULT_REQUEST_RETRY_BACKOFFINTERVAL : interval);
  }

  /** True for the answers retried: 429 and 5xx. */
  static boolean retried(int code) {
    return code == 429 || code >= 500;
  }

  /**
   * True for an answer of {@code code} whose {@code body} says etcd refused the write as too large
   * ("etcdserver: request is too large": its {@code --max-request-bytes}), which the API server
   * passes on as a 500: the same request is refused again, so it is not retried.
   */
  static boolean tooLarge(int code, String body) {
    return code >= 500 && body != null && body.contains(TOO_LARGE);
  }

  /** What etcd answers a request over its {@code --max-request-bytes}. */
  static final String TOO_LARGE = "etcdserver: request is too large";

  /** fabric8's wait before retry number {@code retry} (from 0). */
  Duration backoff(int retry) {
    return Duration.ofMillis(intervalMillis << Math.min(retry, MAX_EXPONENT));
  }

  /**
   * The wait {@code answer}'s {@code Retry-After} header asks, at {@code now}: delta-seconds or an
   * HTTP date (RFC 9110); null when absent or unreadable, zero for a date past.
   */
  static Duration retryAfter(HttpResponse<?> answer, Instant now) {
    String value = answer.header("Retry-After");
    if (value == null || value.isBlank()) {
      return null;
    }
    String v = value.trim();
    try {
      long seconds = Long.parseLong(v);
      return seconds < 0 ? null : Duration.ofSeconds(seconds);
    } catch (NumberFormatException notSeconds) {
      try {
        Duration left = Duration.between(now, ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        return left.isNegative() ? Duration.ZERO : left;
      } catch (DateTimeParseException notADate) {
        return null;
      }
    }
  }

  /**
   * The body fabric8 gets for the last answer of a 429 or 5xx: the server's Status (or, for a
   * proxy's page or text, one of the same code whose message is that text without its markup, at
   * most 200 characters), with {@code asked} as {@code details.retryAfterSeconds} when the Status
   * gives none, and {@code retried} (null: none) as a {@link #RETRIED} cause.
   */
  static String lastAnswer(int code, String body, Duration asked, String retried) {
    JsonNode parsed = null;
    try {
      parsed = body == null || body.isBlank() ? null : Json.MAPPER.readTree(body);
    } catch (java.io.IOException notJson) {
      // a proxy's page: kept as text below
    }
    ObjectNode status;
    if (parsed instanceof ObjectNode o && "Status".equals(o.path("kind").asText())) {
      status = o;
    } else {
      status = Json.MAPPER.createObjectNode().put("kind", "Status").put("apiVersion", "v1");
      status.putObject("metadata");
      status.put("status", "Failure").put("message", text(body)).put("code", code);
    }
    ObjectNode details = status.path("details") instanceof ObjectNode d ? d : status.putObject("details");
    if (asked != null && !details.path("retryAfterSeconds").canConvertToInt()) {
      details.put("retryAfterSeconds", Math.max(1, asked.toSeconds() + (asked.toMillisPart() > 0 ? 1 : 0)));
    }
    if (retried != null) {
      ArrayNode causes = details.path("causes") instanceof ArrayNode a ? a : details.putArray("causes");
      causes.addObject().put("reason", RETRIED).put("message", retried);
    }
    return Json.write(status);
  }

  /** What {@link #lastAnswer} said of this layer's retries of the answer {@code status}, or null. */
  static String retriedBefore(Status status) {
    if (status == null || status.getDetails() == null || status.getDetails().getCauses() == null) {
      return null;
    }
    for (StatusCause c : status.getDetails().getCauses()) {
      if (RETRIED.equals(c.getReason())) {
        return c.getMessage();
      }
    }
    return null;
  }

  /** {@code body}'s text for a message: markup dropped, white space collapsed, at most 200 characters. */
  private static String text(String body) {
    String text = body == null ? "" : body.replaceAll("<[^>]*>", " ").replaceAll("\\s+", " ").trim();
    return text.isEmpty() ? "(no body)" : text.length() > 200 ? text.substring(0, 200) + "..." : text;
  }
}
