package dev.gitops.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;
import org.apache.sshd.sftp.client.RawSftpClient;
import org.apache.sshd.sftp.client.SftpMessage;
import org.junit.jupiter.api.Test;

/** Group commit: operations of concurrent callers go out together, and one failure stays its own. */
class SftpBatchTest {
  /** Answers every request at once and logs "send NAME" / "recv NAME" in order. */
  private static final class Fake implements RawSftpClient {
    final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger ids = new AtomicInteger();
    private final List<String> names = Collections.synchronizedList(new ArrayList<>());

    @Override public int send(int cmd, Buffer buffer) {
      String name = buffer.getString();
      names.add(name);
      log.add("send " + name);
      return ids.getAndIncrement();
    }

    @Override public SftpMessage write(int cmd, Buffer buffer) throws IOException {
      throw new IOException("the batch only sends and receives");
    }

    @Override public Buffer receive(int id) {
      log.add("recv " + names.get(id));
      return new ByteArrayBuffer(new byte[0]);
    }

    @Override public Buffer receive(int id, long timeout) {
      return receive(id);
    }

    @Override public Buffer receive(int id, Duration timeout) {
      return receive(id);
    }
  }

  /** Two stages, each one request named NAME.stage; fails at {@code failAt} when not -1. */
  private static class TwoStages extends SftpBatch.Op {
    private final String name;
    private final int failAt;
    private int stage;
    private int id;

    TwoStages(String name, int failAt) {
      this.name = name;
      this.failAt = failAt;
    }

    @Override void send(RawSftpClient raw) throws IOException {
      Buffer b = new ByteArrayBuffer(64, false);
      b.putString(name + "." + stage);
      id = raw.send(0, b);
    }

    @Override boolean receive(RawSftpClient raw) throws IOException {
      raw.receive(id);
      if (stage == failAt) {
        throw new IOException(name + " failed at " + stage);
      }
      return ++stage < 2;
    }
  }

  @Test
  void aFailingOperationFailsAloneAndTheBatchRunsOn() throws Exception {
    Fake fake = new Fake();
    SftpBatch batch = new SftpBatch(fake);
    IOException e = assertThrows(IOException.class, () -> batch.run(new TwoStages("bad", 0)));
    assertEquals("bad failed at 0", e.getMessage());
    batch.run(new TwoStages("good", -1));
    assertEquals(List.of("send bad.0", "recv bad.0", "send good.0", "recv good.0", "send good.1", "recv good.1"),
        fake.log);
  }

  @Test
  void operationsQueuedWhileTheLeaderWorksAreSentBackToBackThenAnswered() throws Exception {
    Fake fake = new Fake();
    SftpBatch batch = new SftpBatch(fake);
    CountDownLatch leaderBusy = new CountDownLatch(1);
    CompletableFuture<Void> release = new CompletableFuture<>();
    TwoStages first = new TwoStages("first", -1) {
      @Override boolean receive(RawSftpClient raw) throws IOException {
        leaderBusy.countDown();
        release.join(); // the leader is held here while the others queue
        return super.receive(raw);
      }
    };
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      Future<?> leader = pool.submit(() -> {
        batch.run(first);
        return null;
      });
      leaderBusy.await();
      List<Future<?>> others = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        TwoStages op = new TwoStages("op" + i, i == 3 ? 1 : -1);
        others.add(pool.submit(() -> {
          batch.run(op);
          return null;
        }));
      }
      assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
        while (batch.waiting() < 6) {
          Thread.onSpinWait();
        }
      });
      release.complete(null);
      leader.get();
      int failed = 0;
      for (Future<?> f : others) {
        try {
          f.get();
        } catch (java.util.concurrent.ExecutionException e) {
          failed++;
          assertEquals("op3 failed at 1", e.getCause().getMessage());
        }
      }
      assertEquals(1, failed, "only op3 failed");
    } finally {
      pool.shutdownNow();
    }
    List<String> log = new ArrayList<>(fake.log);
    int firstRecv = log.indexOf("recv op0.0");
    for (int i = 0; i < 6; i++) {
      assertTrue(log.indexOf("send op" + i + ".0") < firstRecv, "all first stages sent before any answer is read: " + log);
      assertTrue(log.contains("recv op" + i + ".1"), "second stage of op" + i + " done: " + log);
    }
    assertEquals(4 + 6 * 4, log.size(), "every request sent and answered once: " + log);
  }
}
