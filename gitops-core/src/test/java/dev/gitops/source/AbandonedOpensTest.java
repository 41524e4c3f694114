package dev.gitops.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An open abandoned while blocked on a FIFO ({@link Reopen}, {@link DirectoryWalk}) leaves no thread
 * behind when the FIFO still stands at the path, and past {@value AbandonedOpens#MAX} that cannot be
 * released no new read starts: a long-running agent reading a hostile directory again and again
 * does not pile up blocked threads.
 */
class AbandonedOpensTest {
  private static final Duration BOUND = Duration.ofSeconds(60);
  @TempDir Path root;
  @TempDir Path spare;

  private static Path fifo(Path at) throws Exception {
    assertTrue(new ProcessBuilder("mkfifo", at.toString()).start().waitFor() == 0, "mkfifo");
    return at;
  }

  /** The live helper threads of {@link Reopen}. */
  private static List<Thread> openers() {
    return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("gitops-reopen")).toList();
  }

  @Test
  void anOpenAbandonedOnAFifoStillAtItsPathIsReleasedAndItsThreadEnds() throws Exception {
    Path pipe = fifo(spare.resolve("pipe"));
    int before = AbandonedOpens.blocked();
    try {
      assertTimeoutPreemptively(BOUND, () -> {
        for (int i = 0; i < 3; i++) {
          assertThrows(IOException.class, () -> Reopen.bounded(pipe, "pipe", Duration.ofSeconds(1)));
        }
        for (Thread t : openers()) {
          t.join(10_000);
          assertFalse(t.isAlive(), "an abandoned open still blocked: " + Arrays.toString(t.getStackTrace()));
        }
      });
      assertEquals(before, AbandonedOpens.blocked(), "every abandoned open returned");
    } finally {
      release(pipe);
    }
  }

  @Test
  void anOpenOfAFifoMovedAwayStaysCountedAndPastTheBoundNoReadStarts() throws Exception {
    Path pipe = fifo(spare.resolve("pipe"));
    Path moved = spare.resolve("moved");
    Path file = Files.writeString(root.resolve("app.yaml"), "a: 1\n");
    int before = AbandonedOpens.blocked();
    int simulated = 0;
    try {
      assertTimeoutPreemptively(BOUND, () -> {
        CompletableFuture<Void> opening = CompletableFuture.runAsync(() -> assertThrows(IOException.class,
            () -> Reopen.bounded(pipe, "pipe", Duration.ofSeconds(2))));
        while (openers().stream().noneMatch(AbandonedOpensTest::inOpen)) {
          Thread.onSpinWait(); // until the helper is blocked in open(2): then the FIFO moves away
        }
        Files.move(pipe, moved);
        opening.join();
      });
      assertEquals(before + 1, AbandonedOpens.blocked(), "nothing to release at the path: still blocked, counted");
      for (; AbandonedOpens.blocked() < AbandonedOpens.MAX; simulated++) {
        AbandonedOpens.abandoned();
      }
      IOException e = assertThrows(IOException.class, () -> Reopen.bounded(file, "app.yaml", Duration.ofSeconds(1)));
      assertTrue(e.getMessage().startsWith("'app.yaml' is not read: " + AbandonedOpens.MAX + " earlier opens in"
          + " this JVM are still blocked on FIFOs"), e.getMessage());
      SourceException walk = assertThrows(SourceException.class, () -> DirectorySource.of(root).latest());
      assertTrue(walk.getMessage().contains(" earlier opens in this JVM are still blocked"), walk.getMessage());
    } finally {
      for (; simulated > 0; simulated--) {
        AbandonedOpens.returned();
      }
      release(moved);
    }
    assertTimeoutPreemptively(BOUND, () -> {
      for (Thread t : openers()) {
        t.join(10_000);
      }
      assertEquals(before, AbandonedOpens.blocked(), "released by a writer at last, it is counted off");
    });
  }

  private static boolean inOpen(Thread t) {
    return Arrays.stream(t.getStackTrace()).anyMatch(f -> f.getClassName().endsWith("UnixNativeDispatcher")
        && f.getMethodName().startsWith("open"));
  }

  /** Opens {@code fifo} for writing, which lets every open blocked on it for reading return. */
  private static void release(Path fifo) throws InterruptedException {
    if (!Files.exists(fifo)) {
      return;
    }
    Thread writer = new Thread(() -> {
      try (FileOutputStream out = new FileOutputStream(fifo.toFile())) {
        out.flush();
      } catch (IOException ignored) {
        // nothing blocked on it
      }
    });
    writer.setDaemon(true);
    writer.start();
    writer.join(2_000);
  }
}
