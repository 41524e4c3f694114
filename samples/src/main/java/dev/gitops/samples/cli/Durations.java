package dev.gitops.samples.cli;

import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, ISO-8601 {@code PT30S}, or {@code 0}. */
public final class Durations implements ITypeConverter<Duration> {
  @Override
  public Duration convert(String text) {
    String t = text.trim().toLowerCase(java.util.Locale.ROOT);
    try {
      if (t.equals("0")) {
        return Duration.ZERO;
      }
      if (t.startsWith("pt")) {
        return Duration.parse(t.toUpperCase(java.util.Locale.ROOT));
      }
      if (t.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
      }
      long n = Long.parseLong(t.substring(0, t.length() - 1));
      return switch (t.charAt(t.length() - 1)) {
        case 's' -> Duration.ofSeconds(n);
        case 'm' -> Duration.ofMinutes(n);
        case 'h' -> Duration.ofHours(n);
        default -> throw new TypeConversionException("want e.g. 30s, 5m, 1h: " + text);
      };
    } catch (RuntimeException e) {
      throw new TypeConversionException("not a duration (want e.g. 30s, 5m, 1h): " + text);
    }
  }
}
