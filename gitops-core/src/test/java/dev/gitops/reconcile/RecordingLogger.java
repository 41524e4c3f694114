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

/**
 * An SLF4J logger that keeps every line, its level, its key-values and the stack trace a backend
 * would print of its throwable, for assertions. Public for the tests of other packages (the applier's).
 */
public final class RecordingLogger extends LegacyAbstractLogger implements LoggingEventAware {
  private static final long serialVersionUID = 1L;

  /** One logged line; {@code thrown} is its throwable as {@link Throwable#printStackTrace} prints it, or "". */
  record Line(Level level, String message, Map<String, String> keyValues, String thrown) {
    /** Everything a log backend could print of this line. */
    String all() {
      return level + " " + keyValues + " " + message + (thrown.isEmpty() ? "" : "\n" + thrown);
    }
  }

  final List<Line> lines = new ArrayList<>();

  /** A logger named "test". */
  public RecordingLogger() {
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
    lines.add(new Line(event.getLevel(), text, kv, printed(event.getThrowable())));
  }

  @Override
  protected synchronized void handleNormalizedLoggingCall(Level level, Marker marker, String pattern,
                                                          Object[] arguments, Throwable throwable) {
    lines.add(new Line(level, MessageFormatter.basicArrayFormat(pattern, arguments), Map.of(), printed(throwable)));
  }

  /** What slf4j-simple and java.util.logging print of {@code thrown} (its {@code printStackTrace}), "" for none. */
  private static String printed(Throwable thrown) {
    if (thrown == null) {
      return "";
    }
    java.io.StringWriter out = new java.io.StringWriter();
    thrown.printStackTrace(new java.io.PrintWriter(out));
    return out.toString();
  }

  @Override protected String getFullyQualifiedCallerName() { return null; }
  @Override public boolean isTraceEnabled() { return true; }
  @Override public boolean isDebugEnabled() { return true; }
  @Override public boolean isInfoEnabled() { return true; }
  @Override public boolean isWarnEnabled() { return true; }
  @Override public boolean isErrorEnabled() { return true; }

  /** {@return every line, as a backend could print it, one per line} */
  public synchronized String text() {
    StringBuilder b = new StringBuilder();
    lines.forEach(l -> b.append(l.all()).append('\n'));
    return b.toString();
  }
}
