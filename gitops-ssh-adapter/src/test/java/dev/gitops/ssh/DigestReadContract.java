package dev.gitops.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.model.ActualState;
import dev.gitops.model.Content;
import dev.gitops.model.DesiredState;
import dev.gitops.model.FileMode;
import dev.gitops.model.Resource;
import dev.gitops.model.ResourceId;
import dev.gitops.plan.Action;
import dev.gitops.target.Scope;
import dev.gitops.target.TargetContract;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * A read told the desired state ({@link FilesTarget#read(Scope, DesiredState)}) proves equal files by
 * digest on the host and transfers only the others, with the same result as the plain read.
 */
interface DigestReadContract extends FilesTargetContract {
  /** Files of 16 KiB: 12 of them are past {@link HostDigests#FROM_BYTES}. */
  int SIZE = 16 << 10;

  /**
   * Whether the host has what proves files by digest (GNU {@code stat}, {@code find}, {@code xargs},
   * {@code sha256sum}); a host without (BusyBox's {@code stat} has no {@code --printf}) transfers them.
   */
  default boolean provesByDigest() {
    return true;
  }

  private static Resource file(String path, long seed, int mode) {
    byte[] data = new byte[SIZE];
    new Random(seed).nextBytes(data);
    return Resource.of(ResourceId.file(path), Content.bytes(data, FileMode.of(mode)));
  }

  private List<Resource> written(int count) {
    List<Resource> files = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Resource r = file("d" + (i % 3) + "/f-" + i + ".bin", i, 0644);
      files().apply(new Action.Create(r), OWNER);
      files.add(r);
    }
    return files;
  }

  private static Set<ResourceId> ids(List<Resource> files) {
    Set<ResourceId> ids = new TreeSet<>();
    files.forEach(r -> ids.add(r.id()));
    return ids;
  }

  @Test
  default void aToldReadEqualsThePlainReadWhateverChangedOnTheHost() throws Exception {
    List<Resource> files = written(12);
    // on the host: same size other bytes, other size, other mode, gone, a symlink, a directory
    byte[] other = new byte[SIZE];
    Files.write(root().resolve(files.get(0).id().name()), other);
    Files.write(root().resolve(files.get(1).id().name()), new byte[] {1, 2, 3});
    Files.setPosixFilePermissions(root().resolve(files.get(2).id().name()), PosixFilePermissions.fromString("rw-------"));
    Files.delete(root().resolve(files.get(3).id().name()));
    Files.delete(root().resolve(files.get(4).id().name()));
    Files.createSymbolicLink(root().resolve(files.get(4).id().name()), root().resolve(files.get(5).id().name()));
    Files.delete(root().resolve(files.get(6).id().name()));
    Files.createDirectory(root().resolve(files.get(6).id().name()));
    List<Resource> desired = new ArrayList<>(files);
    desired.add(file("d9/new.bin", 99, 0644)); // not on the host at all
    Scope scope = Scope.of(OWNER, ids(desired));
    TargetContract.assertSameRead(fresh().read(scope), fresh().read(scope, DesiredState.of(desired)));
  }

  @Test
  default void aGroupTheInventoryManagesIsReadByNameAfterGitStopsNamingIt() throws Exception {
    Files.writeString(root().resolve("probe"), "");
    String mine = Groups.of(root().resolve("probe"));
    List<Resource> grouped = new ArrayList<>();
    List<Resource> plain = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      Resource r = file("g/f-" + i + ".bin", i, 0644);
      Content.Bytes bytes = (Content.Bytes) r.content();
      Resource withGroup = Resource.of(r.id(), bytes.withMode(new FileMode(0644, "", mine)));
      files().apply(new Action.Create(withGroup), OWNER);
      grouped.add(withGroup);
      plain.add(r);
    }
    // Git no longer names the group: the host reports owners and groups by number, and the files
    // whose group the inventory manages are read with their names, as the plain read does
    Scope scope = Scope.of(OWNER, ids(plain));
    ActualState told = fresh().read(scope, DesiredState.of(plain));
    TargetContract.assertSameRead(fresh().read(scope), told);
    grouped.forEach(r -> assertEquals(r.content(), told.get(r.id()).resource().content(), "the managed group is read"));
  }

  @Test
  default void aToldReadOfUnchangedFilesTransfersDigestsNotBytes() {
    List<Resource> files = written(12);
    Scope scope = Scope.of(OWNER, ids(files));
    CountingHost told = new CountingHost(files().host());
    CountingHost plain = new CountingHost(files().host());
    ActualState toldRead;
    try (FilesTarget target = FilesTarget.of(told.host(), files().root())) {
      toldRead = target.read(scope, DesiredState.of(files));
      files.forEach(r -> assertEquals(r.content(), toldRead.get(r.id()).resource().content(), "read as on the host"));
    }
    try (FilesTarget target = FilesTarget.of(plain.host(), files().root())) {
      // owners too: the inventories of a told read are parsed while the host computes the digests
      TargetContract.assertSameRead(target.read(scope), toldRead);
    }
    long bytes = (long) SIZE * files.size();
    assertTrue(plain.answered() > bytes, "the plain read transfers every file: " + plain.answered() + " bytes");
    if (provesByDigest()) {
      assertTrue(told.answered() < bytes / 10, "a told read of unchanged files transfers their digests only: "
          + told.answered() + " bytes for " + bytes + " bytes of files");
    } else {
      assertTrue(told.answered() > bytes, "a host that proves nothing by digest transfers the files: "
          + told.answered() + " bytes");
    }
    assertEquals(0, told.calls("exec"), "answered by the reader, with no fall-back to one read command");
  }
}
