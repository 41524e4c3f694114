package dev.gitops.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gitops.model.FileMode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The journal's line format, which journals already on hosts are written in. */
class InventoryLineTest {
  private static String line(String op, String path, String digest, FileMode mode) {
    return new String(Inventory.line(op, path, digest, mode), StandardCharsets.UTF_8);
  }

  @Test
  void aLineIsOneCompactJsonObjectWithEscapedPathAndFourDigitOctalMode() {
    assertEquals("{\"op\":\"applied\",\"path\":\"a b\\n\\\"c\\\"/ü\",\"digest\":\"sha256:ab\",\"mode\":\"0640\","
        + "\"owner\":\"root\",\"group\":\"adm\"}\n",
        line("applied", "a b\n\"c\"/ü", "sha256:ab", new FileMode(0640, "root", "adm")));
    assertEquals("{\"op\":\"intent\",\"path\":\"x\",\"digest\":\"\",\"mode\":\"0005\",\"owner\":\"\",\"group\":\"\"}\n",
        line("intent", "x", "", FileMode.of(05)));
    assertEquals("{\"op\":\"intent\",\"path\":\"x\",\"digest\":\"\",\"mode\":\"4755\",\"owner\":\"\",\"group\":\"\"}\n",
        line("intent", "x", "", FileMode.of(04755)));
    assertEquals("{\"op\":\"deleted\",\"path\":\"gone\"}\n", line("deleted", "gone", "", null));
  }

  @Test
  void aLineReadsBackIntoTheInventory() throws Exception {
    byte[] journal = (line("intent", "a", "", FileMode.of(0600)) + line("applied", "a", "sha256:1",
        new FileMode(0600, "u", "g")) + line("intent", "b", "", FileMode.REGULAR) + line("deleted", "b", "", null))
        .getBytes(StandardCharsets.UTF_8);
    Inventory inv = Inventory.parse(null, journal);
    assertEquals(java.util.Set.of("a"), inv.files().keySet());
    assertEquals(new Inventory.Entry("sha256:1", new FileMode(0600, "u", "g")), inv.get("a"));
  }
}
