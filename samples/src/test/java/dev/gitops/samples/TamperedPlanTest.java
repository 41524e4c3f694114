package dev.gitops.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.testing.git.GitRepo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19 item 1, end to end on the command line: a saved plan edited after review is never
 * applied, whatever was edited — steps, summary, ids, content or the options it was saved with
 * (owner, path, revision). The reviewer saw {@code <h1>one</h1>}; the file is changed to deploy
 * something else. Edits that leave the file inconsistent are refused on load; a consistent forgery
 * (fingerprint recomputed) is refused because the fresh plan differs from it step by step.
 */
class TamperedPlanTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String EVIL = Base64.getEncoder().encodeToString("<h1>evil</h1>\n".getBytes(StandardCharsets.UTF_8));
  @TempDir Path tmp;
  Path site;
  Path saved;
  ObjectNode file;

  String other;

  @BeforeEach
  void reviewedPlan() throws Exception {
    site = Files.createDirectories(tmp.resolve("site"));
    saved = tmp.resolve("plan.json");
    try (GitRepo repo = GitRepo.init(tmp.resolve("repo"))) {
      repo.write("evil/index.html", "<h1>evil</h1>\n").write("site/app.conf", "workers = 2\n").commit("zero");
      other = repo.write("site/index.html", "<h1>evil</h1>\n").commit("evil");
      repo.write("site/index.html", "<h1>one</h1>\n").commit("one");
      Cli plan = Cli.run("plan", "--repo", repo.dir().toString(), "--path", "site", "--target", "dir:" + site,
          "--owner", "web", "--out", saved.toString());
      assertEquals(0, plan.exit(), plan::toString);
    }
    file = (ObjectNode) JSON.readTree(saved.toFile());
  }

  private Cli apply(JsonNode tampered) throws Exception {
    Files.writeString(saved, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(tampered));
    return Cli.run("apply", "--plan", saved.toString(), "--target", "dir:" + site);
  }

  private static ObjectNode createOf(JsonNode plan, String path) {
    for (JsonNode wave : plan.path("waves")) {
      for (JsonNode action : wave.path("actions")) {
        if (action.path("id").asText().equals("File//" + path)) {
          return (ObjectNode) action.path("desired").path("content");
        }
      }
    }
    throw new AssertionError("no step for " + path);
  }

  private void assertUntouched(Cli apply) throws Exception {
    assertEquals(1, apply.exit(), apply::toString);
    try (var files = Files.list(site)) {
      assertEquals(List.of(), files.map(p -> p.getFileName().toString()).filter(n -> !n.equals(".gitops"))
          .toList(), "nothing of a tampered plan is applied: " + apply);
    }
  }

  @Test
  void editedContentUnderTheReviewedFingerprintIsRefusedOnLoad() throws Exception {
    createOf(file.path("plan"), "index.html").put("base64", EVIL);
    Cli apply = apply(file);
    assertUntouched(apply);
    assertTrue(apply.err().contains("the plan was edited after it was made: its fingerprint"), apply::toString);
  }

  @Test
  void aRemovedStepIsRefusedOnLoad() throws Exception {
    ObjectNode plan = (ObjectNode) file.path("plan");
    for (JsonNode wave : plan.path("waves")) {
      var actions = (com.fasterxml.jackson.databind.node.ArrayNode) wave.path("actions");
      for (int i = actions.size() - 1; i >= 0; i--) {
        if (actions.get(i).path("id").asText().equals("File//app.conf")) {
          actions.remove(i);
        }
      }
    }
    Cli apply = apply(file);
    assertUntouched(apply);
    assertTrue(apply.err().contains("the plan was edited after it was made: its fingerprint"), apply::toString);
  }

  @Test
  void anEditedIdIsRefusedOnLoad() throws Exception {
    for (JsonNode wave : file.path("plan").path("waves")) {
      for (JsonNode action : wave.path("actions")) {
        if (action.path("id").asText().equals("File//index.html")) {
          ((ObjectNode) action).put("id", "File//evil.html");
        }
      }
    }
    Cli apply = apply(file);
    assertUntouched(apply);
    assertTrue(apply.err().contains("the plan was edited after it was made: its fingerprint"), apply::toString);
  }

  @Test
  void aKeyGivenTwiceOrTextAfterTheFileIsRefusedOnLoadThoughJacksonWouldKeepTheReviewedValue() throws Exception {
    String text = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(file);
    String one = createOf(file.path("plan"), "index.html").path("base64").asText();
    List<String> tampered = List.of(
        text.replace("\"base64\" : \"" + one + "\"", "\"base64\" : \"" + EVIL + "\", \"base64\" : \"" + one + "\""),
        text.replace("\"path\" : \"site\"", "\"path\" : \"evil\", \"path\" : \"site\""),
        text + "\n{\"format\": \"gitops-saved-plan\", \"path\": \"evil\"}\n");
    for (String edited : tampered) {
      assertNotEquals(text, edited);
      Files.writeString(saved, edited);
      Cli apply = Cli.run("apply", "--plan", saved.toString(), "--target", "dir:" + site);
      assertUntouched(apply);
      assertTrue(apply.err().contains(saved + ": cannot read the plan: "), apply::toString);
    }
  }

  @Test
  void anEditedOwnerIsRefusedOnLoad() throws Exception {
    file.put("owner", "mallory");
    Cli apply = apply(file);
    assertUntouched(apply);
    assertTrue(apply.err().contains("the plan was edited after it was made: the file's owner is 'mallory',"
        + " its plan's 'web'"), apply::toString);
  }

  @Test
  void anEditedPathIsRefusedAgainstTheFreshPlan() throws Exception {
    file.put("path", "evil");
    Cli apply = apply(file);
    assertUntouched(apply);
    assertTrue(apply.err().contains("stale") && apply.err().contains("File//index.html"), apply::toString);
  }

  @Test
  void anEditedRevisionIsRefusedAgainstTheFreshPlan() throws Exception {
    ((ObjectNode) file.path("plan")).put("revision", other);
    Cli apply = apply(file);
    assertUntouched(apply);
    assertTrue(apply.err().contains("stale") && apply.err().contains("File//index.html"), apply::toString);
  }

  @Test
  void theUntouchedPlanIsApplied() throws Exception {
    Cli apply = apply(file);
    assertEquals(0, apply.exit(), apply::toString);
    assertEquals("<h1>one</h1>\n", Files.readString(site.resolve("index.html")));
  }

  @Test
  void anEditedSummaryIsRefusedOnLoad() throws Exception {
    ((ObjectNode) file.path("plan")).put("summary", "Plan: 0 to create, 0 to update, 0 to delete, 0 to adopt.");
    Cli apply = apply(file);
    assertUntouched(apply);
    assertTrue(apply.err().contains("its summary says 'Plan: 0 to create"), apply::toString);
  }

  @Test
  void aForgedPlanWithItsOwnFingerprintIsRefusedAgainstTheFreshPlan() throws Exception {
    Path evil = tmp.resolve("evil.json");
    Cli forge = Cli.run("plan", "--repo", tmp.resolve("repo").toString(), "--ref", other, "--path", "site",
        "--target", "dir:" + site, "--owner", "web", "--out", evil.toString());
    assertEquals(0, forge.exit(), forge::toString);
    ObjectNode forged = (ObjectNode) JSON.readTree(evil.toFile()).path("plan");
    forged.put("revision", file.path("plan").path("revision").asText());
    file.set("plan", forged);
    Cli apply = apply(file);
    assertUntouched(apply);
    assertTrue(apply.err().contains("stale") && apply.err().contains("File//index.html"), apply::toString);
  }
}
