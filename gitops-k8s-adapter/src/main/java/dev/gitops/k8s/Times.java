package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The times of built-in kinds as the API server reads and stores them, for {@link SchemaField} to
 * compare a desired time with a live one and {@link DecodedValues} to refuse what the server
 * refuses. A field of Go type {@code metav1.Time} (OpenAPI type
 * {@code io.k8s.apimachinery.pkg.apis.meta.v1.Time}: a Taint's {@code timeAdded}, an Event's
 * timestamps) is parsed by {@code Time.UnmarshalJSON} with {@code time.Parse(time.RFC3339, ...)} (any
 * offset, a fraction of any length accepted and kept), stored as protobuf seconds (its
 * {@code ProtoTime} leaves the nanoseconds out) and written back by {@code MarshalJSON} as
 * {@code UTC().Format(time.RFC3339)}: {@code 2025-01-02T05:04:05.5+02:00} is stored as
 * {@code 2025-01-02T03:04:05Z}. A {@code metav1.MicroTime} ({@code ...MicroTime}: a Lease's
 * {@code acquireTime} and {@code renewTime}, an Event's {@code eventTime}) is parsed with the layout
 * {@code RFC3339Micro} ({@code 2006-01-02T15:04:05.000000Z07:00}: exactly six fraction digits) and
 * written back in UTC with six. Both truncate: Go's formatting drops what it does not print. A
 * custom resource's {@code date-time} string is kept as written and is none of these. Stateless.
 * Not public API.
 */
final class Times {
  /** What Go's {@code time.Parse} takes for {@code RFC3339}: a one- or two-digit hour, any fraction, '.' or ','. */
  private static final Pattern RFC3339 = Pattern.compile(
      "(\\d{4})-(\\d{2})-(\\d{2})T(\\d{1,2}):(\\d{2}):(\\d{2})(?:[.,](\\d+))?(Z|[+-]\\d{2}:\\d{2})");
  /** What it takes for {@code RFC3339Micro}: exactly six fraction digits. */
  private static final Pattern RFC3339_MICRO = Pattern.compile(
      "(\\d{4})-(\\d{2})-(\\d{2})T(\\d{1,2}):(\\d{2}):(\\d{2})[.,](\\d{6})(Z|[+-]\\d{2}:\\d{2})");

  /** Go's zero {@code time.Time}. */
  private static final Instant ZERO = Instant.parse("0001-01-01T00:00:00Z");

  private Times() {}

  /**
   * True when the live {@code actual} is {@code desired} as the server stores a time of this
   * precision ({@code micro}: a {@code MicroTime}, else a {@code Time}): the same instant, truncated
   * to the microsecond or the second. False when either is no such time.
   */
  static boolean stored(JsonNode actual, JsonNode desired, boolean micro) {
    Instant d = desired.isTextual() ? parse(desired.textValue(), micro) : null;
    Instant a = actual.isTextual() ? parse(actual.textValue(), false) : null;
    return a != null && d != null && a.equals(d.truncatedTo(micro ? ChronoUnit.MICROS : ChronoUnit.SECONDS));
  }

  /**
   * True when the server stores {@code desired} as Go's zero time, which {@code MarshalJSON} writes
   * as {@code null} (and protobuf storage as nothing): {@code 0001-01-01T00:00:00Z}, the same
   * instant in any offset ({@code Time.IsZero} compares instants), or a {@code metav1.Time} less
   * than a second after it (stored to the second). The live object then has no value there.
   */
  static boolean storedAsNothing(JsonNode desired, boolean micro) {
    Instant d = desired.isTextual() ? parse(desired.textValue(), micro) : null;
    return d != null && d.truncatedTo(micro ? ChronoUnit.MICROS : ChronoUnit.SECONDS).equals(ZERO);
  }

  /** Why the server refuses {@code text} as a time of this precision, never showing it; null when it takes it. */
  static String problem(String text, boolean micro) {
    if (parse(text, micro) != null) {
      return null;
    }
    return micro ? "not a time as the API server reads one here: RFC 3339 with six fraction digits,"
        + " as 2025-01-02T03:04:05.000000Z"
        : "not a time as the API server reads one here: RFC 3339, as 2025-01-02T03:04:05Z";
  }

  /** The instant Go's {@code time.Parse} reads from {@code text} with the layout of this precision, or null. */
  static Instant parse(String text, boolean micro) {
    Matcher m = (micro ? RFC3339_MICRO : RFC3339).matcher(text);
    if (!m.matches()) {
      return null;
    }
    String zone = m.group(8);
    int hours = zone.equals("Z") ? 0 : Integer.parseInt(zone.substring(1, 3));
    int minutes = zone.equals("Z") ? 0 : Integer.parseInt(zone.substring(4, 6));
    if (hours > 23 || minutes > 59) {
      return null;
    }
    String fraction = m.group(7) == null ? "" : m.group(7);
    int nanos = Integer.parseInt((fraction.length() > 9 ? fraction.substring(0, 9) : fraction + "000000000")
        .substring(0, 9)); // Go reads nine digits and drops the rest
    try {
      LocalDateTime local = LocalDateTime.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
          Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)),
          Integer.parseInt(m.group(6)), nanos);
      int offset = (zone.startsWith("-") ? -1 : 1) * (hours * 3600 + minutes * 60);
      return local.toInstant(ZoneOffset.UTC).minusSeconds(offset);
    } catch (DateTimeException e) {
      return null; // a month, day, hour, minute or second out of range, as Go refuses it
    }
  }
}
