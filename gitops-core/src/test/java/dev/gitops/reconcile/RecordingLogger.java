package dev.gitops.reconcile;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Marker;
import org.slf4j.event.KeyValuePair;
import org.slf4j.event.Level;
import org.slf4j.event.LoggingEvent;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.spi.LoggingEventAware;

/** An SLF4J logger that keeps every line, its level and its key-values, for assertions. */
final class RecordingLogger extends LegacyAbstractLogger implements LoggingEventAware {
  private static final long serialVersionUID = 1L;

  /** One logged line. */
  record Line(Level level, String message, Map<String, String> keyValues) {
    /** Everything a log backend could print of this line. */
    String all() {
      return level + " " + keyValues + " " + message;
    }
  }

  final List<Line> lines = new ArrayList<>();

  RecordingLogger() {
    this.name = "test";
  }

  @Override
  public synchronized void log(LoggingEvent event) {
    Map<String, String> kv = new TreeMap<>();
    if (event.getKeyValuePairs() != null) {
      for (KeyValuePair p : event.getKeyValuePairs()) {
        kv.put(p.key, String.valueOf(p.value));
      }
    }
    String text = MessageFormatter.basicArrayFormat(event.getMessage(), event.getArgumentArray());
    lines.add(new Line(event.getLevel(), text, kv));
  }

  @Override
  protected synchronized void handleNormalizedLoggingCall(Level level, Marker marker, String pattern,
                                                          Object[] arguments, Throwable throwable) {
    lines.add(new Line(level, MessageFormatter.basicArrayFormat(pattern, arguments), Map.of()));
  }

  @Override protected String getFullyQualifiedCallerName() { return null; }
  @Override public boolean isTraceEnabled() { return true; }
  @Override public boolean isDebugEnabled() { return true; }
  @Override public boolean isInfoEnabled() { return true; }
  @Override public boolean isWarnEnabled() { return true; }
  @Override public boolean isErrorEnabled() { return true; }

  /** {@return every line, as a backend could print it, one per line} */
  synchronized String text() {
    StringBuilder b = new StringBuilder();
    lines.forEach(l -> b.append(l.all()).append('\n'));
    return b.toString();
  }
}
