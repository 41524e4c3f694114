package dev.gitops.diff;

import static dev.gitops.diff.Trees.json;
import static dev.gitops.diff.Trees.tree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.diff.DiffOptions.Mode;
import dev.gitops.diff.FieldSchema.ListMatch;
import dev.gitops.model.Content;
import dev.gitops.model.ResourceId;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The differ with a {@link FieldSchema}: lists matched as the schema says, differences it hides
 * counted by reason, actual-only values it is asked about.
 */
class FieldSchemaTest {
  private static final ResourceId ID = ResourceId.of("Thing", "ns", "a");

  /** A node given by a map of children, an element node, a match and a hiding rule. */
  private record TestNode(Map<String, FieldSchema.Node> fields, FieldSchema.Node elements,
                          ListMatch match, Hider hider, boolean extras) implements FieldSchema.Node {
    @Override
    public FieldSchema.Node field(String name) {
      return fields.get(name);
    }

    @Override
    public FieldSchema.Node element(JsonNode element) {
      return elements;
    }

    @Override
    public String hidden(JsonNode actual, JsonNode desired, JsonNode lastApplied) {
      return hider == null ? null : hider.hidden(actual, desired, lastApplied);
    }

    @Override
    public boolean countsExtras() {
      return extras;
    }
  }

  private interface Hider {
    String hidden(JsonNode actual, JsonNode desired, JsonNode lastApplied);
  }

  /**
   * {@code of}, marked: owned and applied whole by server-side apply ({@link FieldSchema.Node#atomic}),
   * or an object another writer keeps, hiding its removal whole ({@link FieldSchema.Node#keptWhenLeftOut}).
   */
  private record Marked(FieldSchema.Node of, boolean atomic, boolean kept) implements FieldSchema.Node {
    @Override
    public FieldSchema.Node field(String name) {
      return of.field(name);
    }

    @Override
    public FieldSchema.Node element(JsonNode element) {
      return of.element(element);
    }

    @Override
    public String hidden(JsonNode actual, JsonNode desired, JsonNode lastApplied) {
      return kept && desired == null ? "kept by another" : null;
    }

    @Override
    public boolean keptWhenLeftOut() {
      return kept;
    }
  }

  private static Marked atomic(FieldSchema.Node of) {
    return new Marked(of, true, false);
  }

  private static TestNode leaf(Hider hider) {
    return new TestNode(Map.of(), null, null, hider, false);
  }

  private static TestNode object(Map<String, FieldSchema.Node> fields) {
    return new TestNode(fields, null, null, null, false);
  }

  private static TestNode list(ListMatch match, FieldSchema.Node element) {
    return new TestNode(Map.of(), element, match, null, false);
  }

  /**
   * A keyed list by {@code name}, kept by another writer or not when left out ({@code kept}); its
   * element named {@code kept} another writer keeps, the others it does not, though it owns their
   * {@code name} and {@code v} ("co-owned").
   */
  private record Items(boolean kept) implements FieldSchema.Node {
    private static final TestNode ITEM = object(Map.of("name", leaf(CO_OWNED), "v", leaf(CO_OWNED), "w", leaf(null)));

    @Override
    public FieldSchema.Node field(String name) {
      return null;
    }

    @Override
    public FieldSchema.Node element(JsonNode element) {
      return element.path("name").asText().equals("kept") ? new Marked(ITEM, false, true) : ITEM;
    }

    @Override
    public ListMatch match() {
      return ListMatch.keyed(List.of("name"), Arrays.asList((JsonNode) null));
    }

    @Override
    public boolean keptWhenLeftOut() {
      return kept;
    }
  }

  private static final Hider CO_OWNED = (a, d, la) -> d == null ? "co-owned" : null;
  private static final TestNode PORT = object(Map.of());
  private static final TestNode ZERO_OR_EXTRA = leaf((a, d, la) ->
      d != null && a == null && d.asInt(-1) == 0 ? "zero value" : d == null && la == null ? "extra" : null);
  private static final FieldSchema SCHEMA = (id, actual, desired, lastApplied) -> object(Map.of(
      "ports", list(ListMatch.keyed(List.of("port", "protocol"), Arrays.asList(null, json("'TCP'"))), PORT),
      "finalizers", list(ListMatch.set(), leaf((a, d, la) -> d == null && la == null ? "appended" : null)),
      "args", list(ListMatch.atomic(), null),
      "spec", new TestNode(Map.of("replicas", ZERO_OR_EXTRA, "paused", ZERO_OR_EXTRA), null, null,
          null, true),
      "sel", atomic(object(Map.of("a", leaf(null), "b", leaf(null), "c", leaf((a, d, la) ->
          d == null && la != null && a.asText().equals("dflt") ? "server default" : null)))),
      "ref", object(Map.of("group", leaf((a, d, la) -> d != null && d.asText().isEmpty() && la != null
          ? "applied empty" : null))),
      "meta", object(Map.of("notes", new Marked(object(Map.of("b", leaf(CO_OWNED))), false, true))),
      "items", new Items(true), "more", new Items(false)));

  private static ResourceDiff diff(Mode mode, String actual, String desired, String lastApplied) {
    DiffOptions options = DiffOptions.defaults().withMode(mode).withSchema(SCHEMA)
        .withMergeKey("/args", "name");
    return new Differ(options).diff(ID, tree(actual), tree(desired),
        lastApplied == null ? null : tree(lastApplied));
  }

  private static List<String> lines(ResourceDiff d) {
    return d.changes().stream().map(Change::toString).toList();
  }

  @Test
  void keyedListsMatchByKeyWithTheKeysDefaultWhateverTheOrder() {
    ResourceDiff d = diff(Mode.DESIRED_SUBSET, "{'ports':[{'port':81,'protocol':'UDP'},{'port':80,'protocol':'TCP','x':1}]}",
        "{'ports':[{'port':80,'x':2},{'port':81,'protocol':'UDP'}]}", null);
    assertEquals(List.of("~ /ports/1/x: 1 -> 2"), lines(d));
  }

  /**
   * Actual repeats a key (a live list written by an update, which the server takes): the first
   * element of the key is matched; a later one goes when desired sets the key, even one another
   * writer keeps, since writing desired leaves one element per key; the repeats of a key desired
   * does not set stay extras.
   */
  @Test
  void aRepeatOfAKeyDesiredSetsIsRemovedAndOneItLeavesOutIsAnExtra() {
    ResourceDiff d = diff(Mode.DESIRED_SUBSET,
        "{'items':[{'name':'a','v':1},{'name':'kept','v':2},{'name':'kept','v':3},{'name':'b'},{'name':'b'}]}",
        "{'items':[{'name':'kept','v':2},{'name':'a','v':1}]}", null);
    assertEquals(List.of("REMOVE /items/2"), d.changes().stream().map(c -> c.op() + " " + c.path()).toList());
    ResourceDiff changed = diff(Mode.DESIRED_SUBSET, "{'items':[{'name':'a','v':1},{'name':'a','v':2}]}",
        "{'items':[{'name':'a','v':2}]}", null);
    assertEquals(List.of("REPLACE /items/0/v", "REMOVE /items/1"),
        changed.changes().stream().map(c -> c.op() + " " + c.path()).toList());
  }

  @Test
  void setsMatchByValueAndActualOnlyValuesAreCountedWhenNotApplied() {
    ResourceDiff d = diff(Mode.DESIRED_SUBSET, "{'finalizers':['b','x','a']}", "{'finalizers':['a','b','c']}", null);
    assertEquals(List.of("+ /finalizers/-: \"c\""), lines(d));
    assertEquals(List.of(new Suppressed("appended", 1)), d.suppressed());
    ResourceDiff applied = diff(Mode.DESIRED_SUBSET, "{'finalizers':['b','x','a']}", "{'finalizers':['a','b']}",
        "{'finalizers':['x']}");
    assertEquals(List.of("- /finalizers/1: \"x\""), lines(applied));
  }

  @Test
  void anAtomicListIsPositionalEvenWhereTheOptionsDeclareAMergeKey() {
    ResourceDiff d = diff(Mode.EXACT, "{'args':[{'name':'b'},{'name':'a'}]}", "{'args':[{'name':'a'},{'name':'b'}]}", null);
    assertEquals(2, d.changes().size(), lines(d).toString());
  }

  @Test
  void hiddenDifferencesAreCountedByReasonAndIgnoreRulesComeFirst() {
    ResourceDiff d = diff(Mode.DESIRED_SUBSET, "{'spec':{}}", "{'spec':{'replicas':0,'paused':0}}", null);
    assertTrue(d.isEmpty(), lines(d).toString());
    assertEquals(List.of(new Suppressed("zero value", 2)), d.suppressed());
    assertEquals("Thing/ns/a: 2 hidden by zero value", d.explain());
    DiffOptions ignoring = DiffOptions.defaults().withMode(Mode.DESIRED_SUBSET).withSchema(SCHEMA)
        .ignoring(PathRule.forAll("/spec/paused"));
    ResourceDiff both = new Differ(ignoring).diff(ID, tree("{'spec':{}}"),
        tree("{'spec':{'replicas':0,'paused':0}}"), null);
    assertEquals(List.of(new Suppressed("ignore */*/*: /spec/paused", 1), new Suppressed("zero value", 1)),
        both.suppressed());
  }

  @Test
  void actualOnlyFieldsAreAskedAboutWhereTheSchemaCountsThem() {
    ResourceDiff d = diff(Mode.DESIRED_SUBSET, "{'spec':{'replicas':3,'paused':1,'other':2}}", "{'spec':{}}", null);
    assertTrue(d.isEmpty());
    assertEquals(List.of(new Suppressed("extra", 2)), d.suppressed(), d.explain());
    ResourceDiff removal = diff(Mode.DESIRED_SUBSET, "{'spec':{'replicas':3}}", "{'spec':{}}",
        "{'spec':{'replicas':3}}");
    assertEquals(List.of("- /spec/replicas: 3"), lines(removal));
  }

  /**
   * Desired leaves out an object it applied, whose other fields the schema counts (another writer
   * owns them): only what was applied goes, field by field; the object and the rest stay.
   */
  @Test
  void anObjectLeftOutWholeWhereTheSchemaCountsExtrasLosesOnlyWhatWasApplied() {
    ResourceDiff d = diff(Mode.DESIRED_SUBSET, "{'spec':{'replicas':3,'paused':1,'other':2}}", "{}",
        "{'spec':{'replicas':3}}");
    assertEquals(List.of("- /spec/replicas: 3"), lines(d));
    assertEquals(List.of(new Suppressed("extra", 1)), d.suppressed(), d.explain()); // paused; other has no node
  }

  /**
   * Desired leaves out a map it applied keys of, which another writer keeps though it owns none
   * of its fields (only the map itself, as server-side apply's {@code .}): the applied keys go one
   * by one, the map stays with what nobody applied; a key that writer does own is asked about.
   * Once hidden whole as "kept by another", and never removed.
   */
  @Test
  void anObjectLeftOutThatAnotherWriterKeepsLosesOnlyWhatWasAppliedAtAnyDepth() {
    String actual = "{'meta':{'name':'x','notes':{'a':'1','b':'2','c':'3'}}}";
    ResourceDiff d = diff(Mode.DESIRED_SUBSET, actual, "{'meta':{'name':'x'}}",
        "{'meta':{'name':true,'notes':{'a':true,'b':true}}}");
    assertEquals(List.of("- /meta/notes/a: \"1\""), lines(d), d.explain());
    assertEquals(List.of(new Suppressed("co-owned", 1)), d.suppressed(), d.explain());
    ResourceDiff whole = diff(Mode.DESIRED_SUBSET, actual, "{}", "{'meta':{'notes':{'a':true}}}");
    assertEquals(List.of("- /meta: {\"name\":\"x\",\"notes\":{\"a\":\"1\",\"b\":\"2\",\"c\":\"3\"}}"),
        lines(whole), "nobody keeps meta: it goes whole");
    ResourceDiff applied = diff(Mode.DESIRED_SUBSET, "{'meta':{'notes':{'a':'1'}}}", "{'meta':{}}",
        "{'meta':{'notes':true}}");
    assertTrue(applied.isEmpty(), "applied as one leaf (atomic): the keeper's whole " + lines(applied));
    assertEquals(List.of(new Suppressed("kept by another", 1)), applied.suppressed());
  }

  /**
   * An element of a keyed list left out after it was applied goes whole, though another writer
   * owns fields in it, unless that writer keeps the element itself: then only what was applied and
   * is nobody else's goes. A list left out whole that another writer keeps loses its applied
   * elements one by one, each as above; one nobody keeps goes whole.
   */
  @Test
  void aKeyedListsElementLeftOutGoesWholeUnlessAnotherWriterKeepsItThenLosesOnlyWhatWasApplied() {
    String actual = "{'items':[{'name':'a','v':1,'w':2},{'name':'kept','v':1,'w':2},{'name':'z','v':1}]}";
    String applied = "{'items':[{'name':'a','v':true},{'name':'kept','v':true,'w':true},{'name':'z'}]}";
    ResourceDiff d = diff(Mode.DESIRED_SUBSET, actual, "{'items':[{'name':'z'}]}", applied);
    assertEquals(List.of("- /items/0: {\"name\":\"a\",\"v\":1,\"w\":2}", "- /items/1/w: 2"), lines(d), d.explain());
    assertEquals(List.of(new Suppressed("co-owned", 2)), d.suppressed(), d.explain()); // kept's name and v
    ResourceDiff whole = diff(Mode.DESIRED_SUBSET, actual, "{}", applied);
    assertEquals(List.of("- /items/0: {\"name\":\"a\",\"v\":1,\"w\":2}", "- /items/1/w: 2",
        "- /items/2: {\"name\":\"z\",\"v\":1}"), lines(whole), whole.explain());
    ResourceDiff gone = diff(Mode.DESIRED_SUBSET, actual.replace("items", "more"), "{}", applied.replace("items", "more"));
    assertEquals(1, gone.changes().size(), "nobody keeps the list: it goes whole " + lines(gone));
    assertEquals("/more", gone.changes().get(0).path());
  }

  @Test
  void aLastAppliedLeafHoldingAWholeObjectIsWhatWasAppliedBelowItButPlansNoRemoval() {
    String actual = "{'ref':{'group':'g','kind':'K','extra':1}}";
    String desired = "{'ref':{'group':'','kind':'K'}}";
    ResourceDiff atomic = diff(Mode.DESIRED_SUBSET, actual, desired, "{'ref':true}");
    assertTrue(atomic.isEmpty(), lines(atomic).toString());
    assertEquals(List.of(new Suppressed("applied empty", 1)), atomic.suppressed());
    ResourceDiff granular = diff(Mode.DESIRED_SUBSET, actual, desired, "{'ref':{'kind':true}}");
    assertEquals(List.of("~ /ref/group: \"g\" -> \"\""), lines(granular));
    assertEquals(lines(granular), lines(diff(Mode.DESIRED_SUBSET, actual, desired, null)));
  }

  @Test
  void aFieldOnlyActualHasInAnAtomicObjectAppliedWholeIsARemovalTheSchemaIsAskedAbout() {
    String actual = "{'sel':{'a':'1','b':'2','c':'dflt','unknown':3}}";
    String desired = "{'sel':{'a':'1'}}";
    ResourceDiff owned = diff(Mode.DESIRED_SUBSET, actual, desired, "{'sel':true}");
    assertEquals(List.of("- /sel/b: \"2\""), lines(owned), owned.explain());
    assertEquals(List.of(new Suppressed("server default", 1)), owned.suppressed());
    ResourceDiff never = diff(Mode.DESIRED_SUBSET, actual, desired, null);
    assertTrue(never.isEmpty(), lines(never).toString());
    assertTrue(atomic(PORT).atomic() && list(ListMatch.atomic(), null).atomic() && !PORT.atomic());
  }

  @Test
  void withoutASchemaNodeNothingChanges() {
    DiffOptions options = DiffOptions.defaults().withSchema((id, a, d, la) -> null);
    Content a = Trees.deployment(2, "nginx");
    Content d = Trees.deployment(3, "nginx");
    assertEquals(new Differ(DiffOptions.defaults()).diff(ID, a, d, null), new Differ(options).diff(ID, a, d, null));
  }

  @Test
  void aFieldTheSchemaSaysTheWriteRemovesIsARemovalThoughNeverApplied() {
    FieldSchema drops = new FieldSchema() {
      @Override
      public FieldSchema.Node root(ResourceId id, JsonNode actual, JsonNode desired, JsonNode lastApplied) {
        return null;
      }

      @Override
      public JsonNode removable(ResourceId id, JsonNode actual, JsonNode desired, JsonNode lastApplied) {
        return "b".equals(desired.path("mode").asText()) ? json("{\"mode\":true,\"port\":true}") : lastApplied;
      }
    };
    DiffOptions options = DiffOptions.defaults().withMode(Mode.DESIRED_SUBSET).withSchema(drops);
    Content actual = tree("{'mode':'a','port':30080,'ip':'10.0.0.1'}");
    ResourceDiff changed = new Differ(options).diff(ID, actual, tree("{'mode':'b'}"), tree("{'mode':true}"));
    assertEquals(List.of("~ /mode: \"a\" -> \"b\"", "- /port: 30080"), lines(changed));
    ResourceDiff kept = new Differ(options).diff(ID, actual, tree("{'mode':'a'}"), tree("{'mode':true}"));
    assertTrue(kept.isEmpty(), lines(kept).toString());
    ResourceDiff plain = new Differ(DiffOptions.defaults().withMode(Mode.DESIRED_SUBSET))
        .diff(ID, actual, tree("{'mode':'b'}"), tree("{'mode':true}"));
    assertEquals(List.of("~ /mode: \"a\" -> \"b\""), lines(plain));
  }

  /** {@code of}, whose value the target stores as {@code stored} when a write leaves it out. */
  private record Defaulted(FieldSchema.Node of, JsonNode stored) implements FieldSchema.Node {
    @Override
    public FieldSchema.Node field(String name) {
      return of.field(name);
    }

    @Override
    public FieldSchema.Node element(JsonNode element) {
      return of.element(element);
    }

    @Override
    public String hidden(JsonNode actual, JsonNode desired, JsonNode lastApplied) {
      return desired == null && lastApplied != null && actual.equals(stored) ? "default value" : null;
    }

    @Override
    public JsonNode storedWhenLeftOut() {
      return stored;
    }
  }

  /**
   * An applied field left out that the target defaults again: equal to its default, a removal
   * hidden; else compared with the default (the plan replaces what differs and removes what was
   * applied in it that the default lacks), in desired-subset mode only.
   */
  @Test
  void anAppliedFieldLeftOutThatTheTargetDefaultsIsComparedWithItsDefault() {
    FieldSchema schema = (id, a, d, la) -> object(Map.of(
        "every", new Defaulted(leaf(null), json("'1h'")),
        "target", new Defaulted(object(Map.of("policy", new Defaulted(leaf(null), json("'Owner'")),
            "keep", leaf(null), "name", leaf(null))), json("{'policy':'Owner','keep':'Retain'}"))));
    DiffOptions options = DiffOptions.defaults().withMode(Mode.DESIRED_SUBSET).withSchema(schema);
    Content actual = tree("{'every':'15m','target':{'policy':'Merge','keep':'Retain','name':'x'},'other':1}");
    ResourceDiff changed = new Differ(options).diff(ID, actual, tree("{'other':1}"),
        tree("{'every':'15m','target':{'policy':'Merge','name':'x'},'other':1}"));
    assertEquals(List.of("~ /every: \"15m\" -> \"1h\"", "- /target/name: \"x\"",
        "~ /target/policy: \"Merge\" -> \"Owner\""), lines(changed));
    ResourceDiff same = new Differ(options).diff(ID, tree("{'every':'1h','other':1}"), tree("{'other':1}"),
        tree("{'every':'1h','other':1}"));
    assertTrue(same.isEmpty(), lines(same).toString());
    assertEquals(List.of(new Suppressed("default value", 1)), same.suppressed());
    ResourceDiff exact = new Differ(options.withMode(Mode.EXACT)).diff(ID, actual, tree("{'other':1}"), null);
    assertEquals(List.of("- /every: \"15m\"", "- /target: {\"policy\":\"Merge\",\"keep\":\"Retain\",\"name\":\"x\"}"),
        lines(exact));
  }
}
