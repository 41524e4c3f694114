package dev.gitops.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.util.Arrays;
import java.util.Iterator;

/**
 * Compact JSON of a tree with object keys sorted at every level, written straight from the tree:
 * no sorted copy of it, no maps between. The bytes are those Jackson's {@code ObjectMapper} writes
 * for the sorted tree, and for the tree turned into plain maps and lists with
 * {@code ORDER_MAP_ENTRIES_BY_KEYS}, wherever the two agree: trees of objects, arrays, text,
 * booleans, nulls and integral or double numbers. Any other value (a decimal or float number,
 * binary, a POJO) makes {@link #write} answer null, and the caller writes the tree its own way.
 * A fleet's cold start writes every object it creates this way twice (its plan's fingerprint, its
 * applied record). Thread-safe. Not part of the public API.
 */
public final class SortedJson {
  /**
   * Levels a tree may nest in the JSON and YAML this library writes and reads back (plans, digests,
   * diffs): the 1,000 its readers take ({@code YamlReader.MAX_DEPTH}) and the levels a plan puts around a
   * tree; Jackson's own limit, 1,000, failed a plan of a tree nested 992 levels ("a JSON tree always
   * serialises").
   */
  public static final int MAX_DEPTH = 1_100;
  /** Jackson's write limits with {@link #MAX_DEPTH}. */
  public static final StreamWriteConstraints WRITE = StreamWriteConstraints.builder().maxNestingDepth(MAX_DEPTH).build();
  /** Jackson's read limits with {@link #MAX_DEPTH}. */
  public static final StreamReadConstraints READ = StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build();
  private static final JsonFactory FACTORY = factory();
  /** Thrown (never filled in) at a value this writer leaves to the caller. */
  private static final RuntimeException OTHER = new RuntimeException("not a plain value", null, false, false) { };

  private SortedJson() {}

  /** {@return a JSON factory with {@link #WRITE} and {@link #READ}} */
  public static JsonFactory factory() {
    return JsonFactory.builder().streamWriteConstraints(WRITE).streamReadConstraints(READ).build();
  }

  /** The compact JSON of {@code tree}, keys sorted; null when it holds a value named above. */
  public static byte[] write(JsonNode tree) {
    ByteArrayBuilder out = new ByteArrayBuilder(512);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      write(g, tree);
    } catch (RuntimeException e) {
      if (e == OTHER) {
        return null;
      }
      throw e;
    } catch (Exception e) { // Jackson's I/O exceptions: writing to memory never throws them
      throw new IllegalStateException("a JSON tree always serialises", e);
    }
    return out.toByteArray();
  }

  private static void write(JsonGenerator g, JsonNode node) throws Exception {
    switch (node.getNodeType()) {
      case OBJECT -> {
        String[] names = new String[node.size()];
        int n = 0;
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
          names[n++] = it.next();
        }
        Arrays.sort(names, 0, n);
        g.writeStartObject();
        for (int i = 0; i < n; i++) {
          g.writeFieldName(names[i]);
          write(g, node.get(names[i]));
        }
        g.writeEndObject();
      }
      case ARRAY -> {
        g.writeStartArray();
        for (int i = 0, n = node.size(); i < n; i++) {
          write(g, node.get(i));
        }
        g.writeEndArray();
      }
      case STRING -> g.writeString(node.textValue());
      case BOOLEAN -> g.writeBoolean(node.booleanValue());
      case NULL -> g.writeNull();
      case NUMBER -> number(g, node);
      default -> throw OTHER; // binary, POJO, missing
    }
  }

  private static void number(JsonGenerator g, JsonNode node) throws Exception {
    switch (node.numberType()) {
      case INT -> g.writeNumber(node.intValue());
      case LONG -> g.writeNumber(node.longValue());
      case BIG_INTEGER -> g.writeNumber(node.bigIntegerValue());
      case DOUBLE -> g.writeNumber(node.doubleValue());
      default -> throw OTHER; // float, decimal: the two writers above may differ
    }
  }
}
