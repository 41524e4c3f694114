package dev.gitops.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.model.ResourceId;
import dev.gitops.target.LockedException;
import dev.gitops.target.Scope;
import dev.gitops.target.TargetException;
import dev.gitops.testing.ssh.OpenSshd;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.ThrowingConsumer;

/**
 * State files past what this library ever writes there (a lock, a history, an inventory of tens or
 * hundreds of MiB, made sparse so the disk holds nothing) are refused, not retryably, naming the host
 * and the file (the lock as an unreadable lock, which can be forced open), and never held: measured as the bytes this thread allocates
 * ({@code ThreadMXBean#getThreadAllocatedBytes}), over every host kind that ships: this machine,
 * MINA SSHD's SFTP server and a real OpenSSH {@code sshd} on loopback (over SFTP and through the
 * system's {@code ssh}; skipped when not installed).
 */
class StateFileBoundsIT {
  private static final String OWNER = "web";
  private static final List<AutoCloseable> OPEN = new ArrayList<>();
  private static final Map<String, Host> HOSTS = new LinkedHashMap<>();
  @TempDir
  Path base;
  private Path dir;

  @BeforeAll
  static void startServers() throws Exception {
    HOSTS.put("local", LocalHost.create());
    MinaServer mina = MinaServer.start(Files.createTempDirectory("mina-sshd"));
    OPEN.add(mina);
    HOSTS.put("mina", open(mina.client().build()));
    if (SshClients.systemSshAvailable()) {
      OpenSshd sshd = OpenSshd.start(Files.createTempDirectory("openssh"));
      OPEN.add(sshd);
      HOSTS.put("openssh-sftp", open(SshClients.to(sshd).build()));
      HOSTS.put("openssh-system-ssh", open(SshClients.system(sshd).build()));
    }
  }

  private static Host open(Host host) {
    OPEN.add(0, host);
    return host;
  }

  @AfterAll
  static void stopServers() throws Exception {
    for (AutoCloseable c : OPEN) {
      c.close();
    }
    OPEN.clear();
    HOSTS.clear();
  }

  /** One test of {@code test} per host kind, in a fresh temporary directory each. */
  private Stream<DynamicTest> overEveryHost(ThrowingConsumer<Host> test) {
    return HOSTS.entrySet().stream().map(h -> DynamicTest.dynamicTest(h.getKey(), () -> {
      dir = Files.createTempDirectory(base, h.getKey());
      test.accept(h.getValue());
    }));
  }

  /** A root whose state folder holds {@code name} of {@code size} bytes (zeros, sparse). */
  private Path rootWith(String name, long size) throws Exception {
    Path root = Files.createDirectories(dir.resolve("app"));
    Path state = Files.createDirectory(root.resolve(".gitops"), PosixFilePermissions.asFileAttribute(
        PosixFilePermissions.fromString("rwx------")));
    Path file = Files.createFile(state.resolve(name), PosixFilePermissions.asFileAttribute(
        PosixFilePermissions.fromString("rw-------")));
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.setLength(size);
    }
    return root;
  }

  /** {@return the bytes this thread allocated so far} */
  private static long allocated() {
    return ((com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean())
        .getCurrentThreadAllocatedBytes();
  }

  /**
   * Runs {@code call}, which must fail: first that this thread allocated less than {@code most} bytes
   * meanwhile, then that it failed with a {@link TargetException} that is not retryable, naming the
   * host, {@code file} and its limit.
   */
  private static void refusedHolding(Host host, Path file, int limit, long most, Executable call) {
    long before = allocated();
    Throwable thrown = assertThrows(Throwable.class, call);
    long allocated = allocated() - before;
    assertTrue(allocated < most, "allocated " + allocated + " bytes for " + file.getFileName() + " of "
        + file.toFile().length() + " bytes; threw " + thrown);
    TargetException e = assertInstanceOf(TargetException.class, thrown);
    assertFalse(e.retryable(), "a file past its limit will not shrink by itself: " + e.getMessage());
    assertTrue(e.getMessage().startsWith(host.describe() + ": '" + ResourceId.escape(file.toString())
        + "' holds more than " + limit + " bytes, more than gitops ever writes there"), e.getMessage());
  }

  /**
   * A lock past its limit is an unreadable lock, as one of garbage is (named, never read further):
   * held by no one this protocol knows, so a taker is told it is locked and a forced unlock removes it.
   */
  @TestFactory
  Stream<DynamicTest> aLockPastItsLimitIsAnUnreadableLockThatCanBeForcedOpen() {
    return overEveryHost(host -> {
      Path root = rootWith("lock", 64L << 20);
      try (FilesTarget target = FilesTarget.of(host, root.toString())) {
        long before = allocated();
        LockedException e = assertThrows(LockedException.class, () -> target.lock("ci", null));
        long taking = allocated() - before;
        assertTrue(taking < 16L << 20, "allocated " + taking + " bytes for a lock of 64 MiB");
        assertTrue(e.getMessage().contains("locked by a lock file of more than " + BoundedReads.LOCK
            + " bytes, more than gitops ever writes there"), e.getMessage());
        before = allocated();
        assertTrue(target.forceUnlock().isPresent(), "the lock was there");
        long forcing = allocated() - before;
        assertTrue(forcing < 16L << 20, "allocated " + forcing + " bytes to force a lock of 64 MiB open");
        assertFalse(Files.exists(root.resolve(".gitops/lock")), "a forced unlock removes it");
        target.lock("ci", null).close();
      }
    });
  }

  @TestFactory
  Stream<DynamicTest> aHistoryPastItsLimitIsRefusedWithoutBeingHeld() {
    return overEveryHost(host -> {
      Path root = rootWith("history.json", 64L << 20);
      try (FilesTarget target = FilesTarget.of(host, root.toString())) {
        refusedHolding(host, root.resolve(".gitops/history.json"), BoundedReads.HISTORY, 16L << 20,
            target::history);
      }
    });
  }

  /** Every read (of the tree, with the state folder's files in its tar stream) meets the inventory. */
  @TestFactory
  Stream<DynamicTest> anInventoryPastItsLimitIsRefusedByTheReadWithoutBeingHeld() {
    return overEveryHost(host -> {
      Path root = rootWith(OWNER + ".inventory", (256L << 20) + 1);
      try (FilesTarget target = FilesTarget.of(host, root.toString())) {
        refusedHolding(host, root.resolve(".gitops/" + OWNER + ".inventory"), BoundedReads.INVENTORY, 32L << 20,
            () -> target.read(Scope.of(OWNER, Set.of(ResourceId.file("a.conf")))));
      }
    });
  }

  /** The read itself stops one byte past the limit, whatever the file's size said a moment before. */
  @TestFactory
  Stream<DynamicTest> aBoundedReadStopsPastTheLimitWhateverTheFileHolds() {
    return overEveryHost(host -> {
      Path root = rootWith("lock", 64L << 20);
      Path lock = root.resolve(".gitops/lock");
      refusedHolding(host, lock, BoundedReads.LOCK, 8L << 20,
          () -> BoundedReads.read(host, lock.toString(), null, BoundedReads.LOCK));
      Files.write(lock, new byte[BoundedReads.LOCK]);
      assertEquals(BoundedReads.LOCK, BoundedReads.read(host, lock.toString(), null, BoundedReads.LOCK).length,
          "a file of exactly the limit is read whole");
    });
  }
}
