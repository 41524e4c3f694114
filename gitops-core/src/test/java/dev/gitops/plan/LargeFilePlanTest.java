package dev.gitops.plan;

import static dev.gitops.plan.PlanFixtures.observed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.model.ActualState;
import dev.gitops.model.Content;
import dev.gitops.model.DesiredState;
import dev.gitops.model.FileMode;
import dev.gitops.model.Resource;
import dev.gitops.model.ResourceId;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A plan over large files holds and shows their size and digest, never their bytes. */
class LargeFilePlanTest {
  private static final long SIZE = 3L << 30; // 3 GiB: no array holds it
  private static final String OLD = "sha256:" + "a".repeat(64);
  private static final String NEW = "sha256:" + "b".repeat(64);
  private final AtomicInteger opened = new AtomicInteger();

  private Resource large(String sha256) {
    return Resource.of(ResourceId.file("data/disk.img"), Content.bytes(SIZE, sha256, FileMode.REGULAR, () -> {
      opened.incrementAndGet();
      return InputStream.nullInputStream();
    }));
  }

  @Test
  void aPlanShowsAndSavesSizeAndDigestWithoutOpeningTheFile() {
    Plan update = new Planner().plan(DesiredState.of(List.of(large(NEW))),
        ActualState.of(List.of(observed(large(OLD), "gitops"))), PlanOptions.defaults());
    Plan create = new Planner().plan(DesiredState.of(List.of(large(NEW))), ActualState.empty(),
        PlanOptions.defaults());
    Plan same = new Planner().plan(DesiredState.of(List.of(large(NEW))),
        ActualState.of(List.of(observed(large(NEW), "gitops"))), PlanOptions.defaults());

    assertEquals("Plan: 0 to create, 1 to update, 0 to delete, 0 to adopt.", update.summary());
    assertTrue(same.isEmpty(), "same size and digest: nothing to do");
    String text = update.render();
    assertTrue(text.contains("~ /content: \"" + OLD + ", " + SIZE + " bytes\" -> \"" + NEW + ", " + SIZE + " bytes\""),
        text);
    String json = update.toJson();
    assertTrue(json.contains("\"size\" : " + SIZE) || json.contains("\"size\": " + SIZE), json);
    assertTrue(json.contains("\"sha256\": \"" + NEW + "\"") || json.contains("\"sha256\" : \"" + NEW + "\""), json);
    assertFalse(json.contains("base64"), json);
    create.render();
    create.toJson();
    assertEquals(0, opened.get(), "planning and showing never read a large file");
  }

  @Test
  void aSavedPlanReadsBackAsTheSamePlanWithSizeAndDigestOnly() throws IOException {
    Plan plan = new Planner().plan(DesiredState.of(List.of(large(NEW))),
        ActualState.of(List.of(observed(large(OLD), "gitops"))), PlanOptions.defaults()).withRevision("main@1");
    Plan back = Plan.fromJson(plan.toJson());
    assertEquals(plan, back);
    assertEquals(plan.fingerprint(), back.fingerprint());
    Content.Bytes saved = (Content.Bytes) ((Action.Update) back.waves().get(0).actions().get(0)).desired().content();
    assertEquals(SIZE, saved.size());
    assertEquals(NEW, saved.sha256());
    assertFalse(saved.canOpen());
    assertThrows(RuntimeException.class, () -> Plan.fromJson(plan.toJson().replace(NEW, "sha256:" + "b".repeat(63))));
  }
}
