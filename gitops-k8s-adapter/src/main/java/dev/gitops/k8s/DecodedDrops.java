package dev.gitops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.diff.FieldSchema;
import dev.gitops.model.ResourceId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Fields a write sent that the API server's answer lacks and no entry of {@code gitops} owns: what a
 * server's decoder drops before the field manager runs. A built-in field a server older than the
 * field does not know is such: written by POST, PUT or JSON Patch under {@code fieldValidation=Warn}
 * (the default when a request names none) the write succeeds, the server answers with a warning
 * ({@code unknown field "spec.trafficDistribution"}, {@code k8s.io/apiserver} {@code fieldmanager}
 * and the strict decoding of {@code runtime/serializer/json}) and stores the object without it; the
 * field manager never sees it, so unlike a strategy's drop ({@link ServerDrops}) no entry owns it,
 * and the last-applied record alone holds it, as after a removal by hand (pair 486). What tells
 * them apart is the write's own answer: a field removed by hand was stored by the write. (Server-side
 * apply refuses such a field, "field not declared in schema"; it never gets here.) Zero values are
 * left out (Go's encoder drops them; the diff hides them already). Stateless; not public API.
 */
final class DecodedDrops {
  /**
   * Annotation in which a JSON Patch target keeps on the object what its writes found the decoder
   * dropped, each field with the hash of Git's value there ({@link #encode}): the live object cannot
   * tell such a field from one removed by hand (neither is owned; the record holds both: pair 486), so
   * a restarted target reads it here instead of writing the field once more. Written by a JSON Patch
   * of its own only when what a write found differs from what the object keeps.
   */
  static final String ANNOTATION = "gitops.dev/decoder-dropped";

  private DecodedDrops() {}

  /** What a write found differs from what its object keeps: {@code value} is the annotation's new value, null to remove it. */
  record Marker(String value) {}

  /**
   * The {@link #ANNOTATION} value for {@code fields} (each with the hash of Git's value there),
   * sorted by field: {@code [{"field":".spec.x","at":["spec","x"],"hash":7}]}; null for none. The
   * {@code field} is for people reading the object; {@link #remembered} prints a field from its steps.
   */
  static String encode(Map<ServerDrops.Dropped, Integer> fields) {
    if (fields.isEmpty()) {
      return null;
    }
    ArrayNode out = Json.MAPPER.createArrayNode();
    fields.entrySet().stream().sorted(Map.Entry.comparingByKey(java.util.Comparator.comparing(ServerDrops.Dropped::text)))
        .forEach(f -> out.addObject().put("field", f.getKey().text())
            .<ObjectNode>set("at", Json.MAPPER.valueToTree(f.getKey().at())).put("hash", f.getValue()));
    return Json.write(out);
  }

  /**
   * The fields {@code object}'s {@link #ANNOTATION} keeps, with their hashes; empty when none or
   * unreadable. Each field's text is made from its steps ({@link ServerDrops#stepText}), escaped as a
   * write's finding prints: whoever may edit the object may write anything into its {@code field}.
   */
  static Map<ServerDrops.Dropped, Integer> remembered(JsonNode object) {
    JsonNode text = object.path("metadata").path("annotations").get(ANNOTATION);
    JsonNode fields = text == null || !text.isTextual() ? null : parse(text.textValue());
    if (fields == null || !fields.isArray()) {
      return Map.of(); // the usual case, on every read of an object this target has not written since it started
    }
    Map<ServerDrops.Dropped, Integer> out = new java.util.HashMap<>();
    for (JsonNode f : fields) {
      List<Object> at = new ArrayList<>();
      StringBuilder printed = new StringBuilder(); // from the steps: the kept "field" is anyone's text, never printed
      for (JsonNode step : f.path("at")) {
        if (!step.isTextual() && !step.isObject()) {
          at.clear(); // edited by hand: not a step (a field name, or an element's key fields)
          break;
        }
        at.add(step.isTextual() ? step.textValue() : step);
        printed.append(ServerDrops.stepText(at.get(at.size() - 1)));
      }
      if (!at.isEmpty() && f.path("hash").isInt()) {
        out.put(new ServerDrops.Dropped(printed.toString(), at, true), f.path("hash").intValue());
      }
    }
    return out;
  }

  private static JsonNode parse(String text) {
    try {
      return Json.MAPPER.readTree(text);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return null; // edited by hand: nothing kept, the fields are planned once more
    }
  }

  /** As {@link #of(JsonNode, ObjectNode, FieldSchema.Node, Predicate, Function)}, no element added whole. */
  static List<ServerDrops.Dropped> of(JsonNode desired, ObjectNode answer, FieldSchema.Node root, Predicate<String> sent) {
    return of(desired, answer, root, sent, list -> List.of());
  }

  /**
   * The fields of {@code desired} that {@code answer} (the object as the write stored it) lacks and
   * that the Update entry of {@code gitops} in it does not own, among those {@code sent} accepts (a
   * JSON pointer into {@code answer}: the write sent something there) and those inside an element of
   * a keyed list that {@code added} gives for that list's pointer (the elements the write added whole,
   * which the plan names {@code <list>/-}, not by their index in the answer): such an element is
   * found in the answer by its key, and everything in it was sent.
   *
   * @param root the schema node of the object (its lists' keys), or null: lists are not entered
   */
  static List<ServerDrops.Dropped> of(JsonNode desired, ObjectNode answer, FieldSchema.Node root, Predicate<String> sent,
                                      Function<String, List<JsonNode>> added) {
    List<ServerDrops.Dropped> found = new ArrayList<>();
    walk(desired, answer, root, new ArrayList<>(), "", "", true, new Sent(sent, added), found);
    if (found.isEmpty()) {
      return found;
    }
    JsonNode owned = null;
    for (JsonNode e : answer.path("metadata").path("managedFields")) {
      if (Labels.FIELD_MANAGER.equals(e.path("manager").asText()) && "Update".equals(e.path("operation").asText())
          && e.path("subresource").asText("").isEmpty() && e.get("fieldsV1") instanceof ObjectNode set) {
        owned = ManagedFields.applied(set);
      }
    }
    JsonNode entry = owned;
    return entry == null ? found : found.stream().filter(d -> d.in(entry) == null).toList();
  }

  /** What a write sent: the pointers {@code at} accepts, and per keyed list the elements it {@code added} whole. */
  private record Sent(Predicate<String> at, Function<String, List<JsonNode>> added) {
    /** Everything: inside an element added whole. */
    static final Sent ALL = new Sent(p -> true, list -> List.of());

    /** What was sent inside {@code element}, at {@code pointer} in the keyed list {@code list} of {@code match}. */
    Sent inside(String list, String pointer, JsonNode element, FieldSchema.ListMatch match) {
      if (at.test(pointer)) {
        return this;
      }
      List<JsonNode> whole = added.apply(list);
      return whole.isEmpty() || ThreeWayPatch.indexOf(Json.MAPPER.valueToTree(whole), element, match) < 0 ? this : ALL;
    }
  }

  private static void walk(JsonNode desired, JsonNode answer, FieldSchema.Node schema, List<Object> at, String text,
                           String pointer, boolean root, Sent sent, List<ServerDrops.Dropped> out) {
    for (Map.Entry<String, JsonNode> e : desired.properties()) {
      String name = e.getKey();
      if (root && (name.equals("metadata") || name.equals("status") || name.equals("apiVersion") || name.equals("kind")
          || name.equals("stringData") && "Secret".equals(desired.path("kind").asText()))) {
        continue; // a Secret's stringData is written folded into data (WriteBodies), never stored as sent
      }
      List<Object> steps = new ArrayList<>(at);
      steps.add(name);
      String t = text + "." + ResourceId.escape(name);
      String p = pointer + "/" + Pointers.escape(name);
      JsonNode value = e.getValue();
      JsonNode have = answer.get(name);
      FieldSchema.Node node = schema == null ? null : schema.field(name);
      if (have == null || have.isNull()) {
        if (!ServerDrops.zero(value) && sent.at().test(p)) {
          out.add(new ServerDrops.Dropped(t, steps, true));
        }
      } else if (value.isObject() && have.isObject()) {
        walk(value, have, node, steps, t, p, false, sent, out);
      } else if (value.isArray() && have.isArray() && node != null && node.match() != null
          && node.match().kind() == FieldSchema.ListMatch.Kind.KEYED) {
        for (JsonNode element : value) {
          int i = ThreeWayPatch.indexOf(have, element, node.match());
          ObjectNode key = Json.MAPPER.createObjectNode();
          node.match().keys().stream().filter(element::has).forEach(k -> key.set(k, element.get(k)));
          if (i >= 0 && !key.isEmpty()) {
            List<Object> in = new ArrayList<>(steps);
            in.add(key);
            StringBuilder named = new StringBuilder();
            key.properties().forEach(k -> named.append(named.isEmpty() ? "" : ",").append(ResourceId.escape(k.getKey()))
                .append('=').append(ResourceId.escape(k.getValue().asText())));
            walk(element, have.get(i), node.element(element), in, t + "[" + named + "]", p + "/" + i, false,
                sent.inside(p, p + "/" + i, element, node.match()), out);
          }
        }
      }
    }
  }
}
