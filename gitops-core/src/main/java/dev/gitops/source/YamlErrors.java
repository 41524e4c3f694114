package dev.gitops.source;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.gitops.model.ResourceId;
import java.util.function.IntBinaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Plain words for what the YAML parser refuses: the line to blame and a message that says what is
 * wrong and where (column, and where the unclosed or misindented construct starts), with no parser
 * class, event dump or raw character in it. Not part of the public API.
 */
final class YamlErrors {
  private static final Pattern EXPECTED_FLOW = Pattern.compile("expected ',' or '([]}])', but got (.*)");
  private static final Pattern BLOCK_END = Pattern.compile("expected <block end>, but found '?(.*?)'?");
  private static final Pattern NODE = Pattern.compile("expected the node content, but found '?(.*?)'?");
  private static final Pattern CANNOT_START = Pattern.compile("found character '(.*)' that cannot start any token.*");
  private static final Pattern ESCAPE = Pattern.compile("found unknown escape character (.*)\\((\\d+)\\)");
  /** SnakeYAML's words for a {@code \\U} escape past U+10FFFF, Jackson's for one past 7FFFFFFF (its int overflows). */
  private static final Pattern NO_CHARACTER = Pattern.compile("found unknown escape character ([0-9A-Fa-f]{8})");
  private static final Pattern OVERFLOW = Pattern.compile(".*NumberFormatException\\): For input string: \"([0-9A-Fa-f]{8})\""
      + " under radix 16.*", Pattern.DOTALL);
  private static final Pattern INDICATOR =
      Pattern.compile("expected chomping or indentation indicators, but found (.*)\\(\\d+\\)");
  /** A token SnakeYAML names in angle brackets, quoted or not ('{@code <scalar>}'). */
  private static final Pattern TOKEN = Pattern.compile("'?(<[a-z ]+>)'?");

  /** Where a parse error is blamed, 1-based, and what it says. */
  record Located(int line, String message) {}

  private YamlErrors() {}

  /**
   * The error {@code e} Jackson raised while reading {@code text}, which it says is at {@code line};
   * {@code columns} gives, for a 0-based line and column of {@code text}, the column of the file read
   * ({@link YamlCursor#column(int, int)}: {@code text} may be the file with some characters widened).
   */
  static Located describe(JsonProcessingException e, String text, int line, IntBinaryOperator columns) {
    if (e.getCause() instanceof MarkedYAMLException y && y.getProblemMark() != null) {
      return marked(y, text, columns);
    }
    String message = String.valueOf(e.getOriginalMessage());
    Matcher overflow = OVERFLOW.matcher(message);
    if (overflow.matches()) {
      return new Located(line, "invalid YAML: " + noCharacter(overflow.group(1)));
    }
    if (message.startsWith("Expected a field name")) {
      return new Located(line, "invalid YAML: a mapping or a list as a mapping key ('? [a]', or '{' right"
          + " after '{') is not supported; keys are text");
    }
    if (message.contains("nesting depth")) {
      return new Located(line, "invalid YAML: mappings and lists nest deeper than the nesting depth allowed, "
          + YamlReader.MAX_DEPTH + " levels");
    }
    return new Located(line, "invalid YAML: " + ResourceId.escape(message.replaceAll("<[a-z]+\\.[^>]*>", "")
        .replaceAll(", from `[^`]*`", "")
        .lines().findFirst().orElse("")));
  }

  /** The key {@code key} given twice in one mapping of {@code text}, the second time at {@code line}. */
  static Located duplicate(String key, String text, int line) {
    int first = firstOccurrence(text, line, key);
    return new Located(line, "duplicate mapping key '" + ResourceId.escape(key) + "'"
        + (first > 0 ? " (first at line " + first + ")" : ""));
  }

  private static Located marked(MarkedYAMLException y, String text, IntBinaryOperator columns) {
    Mark at = inFile(y.getProblemMark(), columns);
    Mark from = inFile(y.getContextMark(), columns);
    String context = y.getContext() == null ? "" : y.getContext();
    String problem = y.getProblem() == null ? "" : y.getProblem().strip();
    String where = from == null ? "" : " that starts at line " + (from.getLine() + 1) + ", column "
        + (from.getColumn() + 1);
    Matcher m;
    if (problem.startsWith("found unexpected end of stream") && context.contains("quoted scalar") && from != null) {
      return at(from, "the quoted value that starts here is not closed: the file ends before its closing quote");
    }
    if (problem.startsWith("found unexpected document separator") && from != null) {
      return at(from, "the quoted value that starts here is not closed before the '---' at line " + (at.getLine() + 1));
    }
    if ((m = EXPECTED_FLOW.matcher(problem)).matches() && from != null) {
      String open = m.group(1).equals("]") ? "list '['" : "mapping '{'";
      return m.group(2).equals("<stream end>")
          ? at(from, "the " + open + " that starts here is not closed: the file ends before its '" + m.group(1) + "'")
          : at(at, "the " + open + where + " is not closed: expected ',' or '" + m.group(1)
              + "' here, found " + token(m.group(2)));
    }
    if ((m = BLOCK_END.matcher(problem)).matches()) {
      String of = context.contains("collection") ? "list" : "mapping";
      return at(at, token(m.group(1)) + " does not belong to the " + of + where
          + ": check the indentation"
          + (m.group(1).matches("[]}]") ? ", or remove the stray '" + m.group(1) + "'" : ""));
    }
    return character(at, from, context, problem, text);
  }

  /** {@code mark} with the column of the file read, its index still in the text parsed; null for null. */
  private static Mark inFile(Mark mark, IntBinaryOperator columns) {
    return mark == null ? null : new Mark(mark.getName(), mark.getIndex(), mark.getLine(),
        columns.applyAsInt(mark.getLine(), mark.getColumn()), mark.getBuffer(), mark.getPointer());
  }

  /** Plain words for a character or token SnakeYAML cannot take where it stands. */
  private static Located character(Mark at, Mark from, String context, String problem, String text) {
    Matcher m;
    if ((m = NODE.matcher(problem)).matches()) {
      return at(at, "expected a value, found " + token(m.group(1)));
    }
    if ((m = CANNOT_START.matcher(problem)).matches()) {
      return at(at, m.group(1).startsWith("\\t") ? tab(at, text)
          : "'" + ResourceId.escape(m.group(1)) + "' cannot start a plain value: quote the value");
    }
    if ((m = ESCAPE.matcher(problem)).matches()) {
      return at(at, "unknown escape '\\" + ResourceId.escape(Character.toString(Integer.parseInt(m.group(2))))
          + "' in a double-quoted value: write '\\\\' for a backslash, or use single quotes");
    }
    if ((m = NO_CHARACTER.matcher(problem)).matches()) {
      return at(at, noCharacter(m.group(1)));
    }
    if ((m = INDICATOR.matcher(problem)).matches()) {
      return at(at, "after '|' or '>' only '+', '-' or an indentation digit may follow, not '"
          + ResourceId.escape(m.group(1)) + "'");
    }
    if (problem.equals("could not find expected ':'") && from != null) {
      return at(from, "a key without ':' (a line of text where the mapping expects 'key: value')");
    }
    return at(at, plain(context, problem));
  }

  /**
   * A tab where a token starts that go-yaml (so kubectl) refuses too ({@link YamlTabs} spaced the
   * others): in the line's indentation, or after '-', '?' or a ':' that starts its line.
   */
  private static String tab(Mark at, String text) {
    int offset = at.getIndex() <= text.codePointCount(0, text.length()) ? text.offsetByCodePoints(0, at.getIndex()) : 0;
    int lineStart = text.lastIndexOf('\n', offset - 1) + 1;
    String before = text.substring(lineStart, offset).strip();
    return before.isEmpty() ? "a tab: YAML indents with spaces only"
        : "a tab after '" + ResourceId.escape(before.substring(before.length() - 1)) + "', where YAML and kubectl"
        + " (go-yaml) take only spaces: replace the tab with a space";
  }

  /** A {@code \\U} escape of the 8 hex digits {@code hex}, past the last Unicode character. */
  private static String noCharacter(String hex) {
    return "'\\U" + hex + "' in a double-quoted value escapes no Unicode character (the last is \\U0010FFFF), which"
        + " kubectl (go-yaml) refuses too: write a code of at most 0010FFFF";
  }

  private static String plain(String context, String problem) {
    if (problem.equals("mapping values are not allowed here")) {
      return "':' cannot start a mapping here: quote a value that holds ': ', or check the indentation";
    }
    if (context.contains("anchor") || context.contains("alias")) {
      return (context.contains("anchor") ? "an anchor '&'" : "an alias '*'") + " without a name";
    }
    String words = TOKEN.matcher(problem.replace(", but found", ", found").replaceAll("\\(\\d+\\)$", ""))
        .replaceAll(m -> Matcher.quoteReplacement(token(m.group(1))));
    return (context.isEmpty() ? "" : context + ": ") + ResourceId.escape(words);
  }

  /** A token as SnakeYAML names it, in words. */
  private static String token(String name) {
    return switch (name) {
      case "<block mapping start>" -> "a mapping key";
      case "<block sequence start>" -> "a list item";
      case "<block end>" -> "the end of a block";
      case "<scalar>" -> "a value";
      case "<stream end>" -> "the end of the file";
      case "<document start>" -> "'---' (a new document)";
      case "<document end>" -> "'...' (the end of a document)";
      case "<flow mapping start>" -> "'{'";
      case "<flow sequence start>" -> "'['";
      case "?" -> "a key";
      case ":" -> "':'";
      default -> "'" + ResourceId.escape(name) + "'";
    };
  }

  private static Located at(Mark mark, String what) {
    return new Located(mark.getLine() + 1, "invalid YAML at column " + (mark.getColumn() + 1) + ": " + what);
  }

  /** The line of the earlier {@code key:} in the same block mapping as line {@code line}, or 0. */
  private static int firstOccurrence(String text, int line, String key) {
    String[] all = text.split("\n", -1);
    if (line < 1 || line > all.length) {
      return 0;
    }
    int indent = indent(all[line - 1]);
    for (int i = line - 2; i >= 0; i--) {
      String l = all[i];
      String trimmed = l.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      if (trimmed.equals("---")) {
        return 0;
      }
      int in = indent(l);
      if (in < indent) {
        return 0;
      }
      if (in == indent && (trimmed.startsWith(key + ":") || trimmed.startsWith("\"" + key + "\":"))) {
        return i + 1;
      }
    }
    return 0;
  }

  private static int indent(String line) {
    int i = 0;
    while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '-')) {
      i++;
    }
    return i;
  }
}
