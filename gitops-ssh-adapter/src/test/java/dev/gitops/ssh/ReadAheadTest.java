package dev.gitops.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.model.ActualState;
import dev.gitops.model.ResourceId;
import dev.gitops.target.Scope;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link FilesTarget#prepareRead()}: the reader (over SSH: the connection and the remote shell) starts
 * in the background before any read, and the first read is served by it instead of starting another.
 */
class ReadAheadTest {
  @TempDir Path root;

  @Test
  void prepareReadStartsTheReaderThatTheFirstReadThenUses() throws Exception {
    Files.writeString(root.resolve("app.conf"), "port = 8080\n");
    AtomicInteger starts = new AtomicInteger();
    AtomicInteger execs = new AtomicInteger();
    CountDownLatch started = new CountDownLatch(1);
    Host host = new ForwardingHost(LocalHost.create()) {
      @Override public Channel start(List<String> command) throws IOException {
        starts.incrementAndGet();
        Channel channel = host.start(command);
        started.countDown();
        return channel;
      }
      @Override public Result exec(List<String> command, byte[] stdin, Duration timeout) throws IOException {
        execs.incrementAndGet();
        return host.exec(command, stdin, timeout);
      }
      @Override public Result exec(List<String> command, byte[] stdin) throws IOException {
        execs.incrementAndGet();
        return host.exec(command, stdin);
      }
    };
    try (FilesTarget target = FilesTarget.of(host, root.toString())) {
      assertEquals(0, starts.get(), "nothing starts before it is asked");
      target.prepareRead();
      assertTrue(started.await(30, TimeUnit.SECONDS), "the reader started without a read");
      ActualState actual = target.read(Scope.of("web", Set.of(ResourceId.file("app.conf"))));
      assertNotNull(actual.get(ResourceId.file("app.conf")), actual.toString());
      assertEquals(1, starts.get(), "the read used the reader started ahead");
      assertEquals(0, execs.get(), "no one-shot read command");
    }
  }

  /**
   * A read-ahead that runs after its target was closed (its thread lost the race with {@code close()},
   * as when the command line drops an early connection at once) starts nothing that would outlive the
   * close; a read afterwards still reopens.
   */
  @Test
  void aReadAheadAfterCloseStartsNothingButAReadReopens() throws Exception {
    AtomicInteger starts = new AtomicInteger();
    Host host = new ForwardingHost(LocalHost.create()) {
      @Override public Channel start(List<String> command) throws IOException {
        starts.incrementAndGet();
        return host.start(command);
      }
    };
    try (ReadSession reader = new ReadSession(host, root.toString())) {
      reader.close();
      reader.start();
      assertEquals(0, starts.get(), "started after close");
      reader.read(Set.of("app.conf"));
      assertEquals(1, starts.get(), "a read reopens");
    }
  }
}
