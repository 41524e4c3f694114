package dev.gitops.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What a host can hold: names in bytes of its charset, paths with room for the temporary file. */
class TargetPathsTest {

  @Test
  void namesCountBytesNotCharacters() {
    assertNull(TargetPaths.beyond(HostLimits.LINUX, "/srv", "é".repeat(127) + "a"), "255 bytes");
    assertEquals("'" + "é".repeat(128) + "' is 256 bytes long; the host allows 255 bytes a name",
        TargetPaths.beyond(HostLimits.LINUX, "/srv", "é".repeat(128)));
  }

  @Test
  void theTemporaryFileCountsInThePathLength() {
    String dir = "/" + "r".repeat(4096 - 1 - 1 - TempNames.LENGTH); // dir + "/" + temporary name = 4096 bytes
    assertNull(TargetPaths.beyond(HostLimits.LINUX, dir.substring(0, dir.length() - 1), "f"));
    assertEquals("'f' makes a path of 4096 bytes under " + dir + " (with its temporary file); the host allows 4095",
        TargetPaths.beyond(HostLimits.LINUX, dir, "f"));
  }

  @Test
  void aNameTheHostsCharsetCannotWriteIsRefusedSayingHowToFixIt() {
    HostLimits ascii = new HostLimits(255, 4096, StandardCharsets.US_ASCII);
    assertEquals("'caf\u00e9' cannot be written: the host names files in US-ASCII (run Java with LANG=C.UTF-8 or"
        + " -Dsun.jnu.encoding=UTF-8 for UTF-8 names)", TargetPaths.beyond(ascii, "/srv", "conf/caf\u00e9"));
    assertNull(TargetPaths.beyond(ascii, "/srv", "conf/cafe"));
  }
}
