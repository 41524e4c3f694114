package dev.gitops.ssh;

import dev.gitops.model.Content;
import dev.gitops.model.FileMode;
import dev.gitops.model.Resource;
import dev.gitops.model.ResourceId;
import dev.gitops.target.Target;
import dev.gitops.target.TargetContract;
import dev.gitops.target.WrapperContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared contract suites ({@link TargetContract}, {@link WrapperContract} and
 * {@link FilesTargetContract}) over one kind of {@link Host}; subclasses say how to open one. The root is a local temporary directory that
 * every host kind reaches (LocalHost directly, the SSH servers on loopback).
 */
abstract class FilesTargetSuite implements WrapperContract, FilesTargetStepsContract, StateDirContract,
    LockContract, HandlerTimeoutContract, ErrorMessagesContract, FileNamesContract, DigestReadContract,
    JournalFoldContract, HostileTreeContract, HostileStateContract, CaseFoldingContract, HostFaultsContract,
    KeptOwnerContract {
  @TempDir
  Path dir;
  /** Two connections per host kind, shared by the tests of a class (connecting is the slow part). */
  private static final Map<Class<?>, Host[]> HOSTS = new ConcurrentHashMap<>();
  private FilesTarget target;
  private int opened;
  private final java.util.List<FilesTarget> targets = new java.util.ArrayList<>();

  /** A new connection to the host under test. */
  abstract Host openHost() throws Exception;

  @BeforeEach
  void openTarget() throws Exception {
    Files.createDirectories(root());
    target = fresh();
  }

  @org.junit.jupiter.api.AfterEach
  void closeTargets() {
    targets.forEach(FilesTarget::close);
  }

  @AfterAll
  static void closeHosts() {
    HOSTS.values().forEach(pair -> {
      for (Host h : pair) {
        if (h != null) {
          h.close();
        }
      }
    });
    HOSTS.clear();
  }

  /** A new target (knowing nothing) over the other connection than the previous call's. */
  @Override
  public FilesTarget fresh() {
    Host[] pair = HOSTS.computeIfAbsent(getClass(), c -> new Host[2]);
    int which = opened++ % 2;
    try {
      if (pair[which] == null) {
        pair[which] = openHost();
      }
      FilesTarget t = FilesTarget.of(pair[which], root().toString());
      targets.add(t);
      return t;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The same root over the other connection, as another deployer would hold it. */
  @Override
  public Target another() {
    return fresh();
  }

  @Override
  public FilesTarget files() {
    return target;
  }

  @Override
  public Target target() {
    return target;
  }

  @Override
  public Path root() {
    return dir.resolve("root");
  }

  @Override
  public Resource sampleResource(String name) {
    return Resource.of(ResourceId.file("conf/" + name + ".conf"),
        Content.bytes(("name = " + name + "\n").getBytes(StandardCharsets.UTF_8), FileMode.REGULAR));
  }

  @Override
  public Resource modified(Resource resource) {
    Content.Bytes b = (Content.Bytes) resource.content();
    byte[] data = (new String(b.data(), StandardCharsets.UTF_8) + "changed = true\n").getBytes(StandardCharsets.UTF_8);
    return resource.withContent(Content.bytes(data, b.mode()));
  }

  @Override
  public void putUnowned(Resource resource) {
    Content.Bytes b = (Content.Bytes) resource.content();
    Path file = root().resolve(resource.id().name());
    try {
      Files.createDirectories(file.getParent());
      Files.write(file, b.data());
      Files.setAttribute(file, "unix:mode", b.mode().permissions() & 0777);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
