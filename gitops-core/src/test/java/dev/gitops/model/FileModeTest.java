package dev.gitops.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** How a mode prints: four octal digits at least, then owner and group when either is set. */
class FileModeTest {
  @Test
  void printsEveryPermissionAsFourOctalDigitsThenOwnerAndGroup() {
    for (int bits = 0; bits <= 07777; bits++) {
      String octal = String.format("%04o", bits); // the oracle: printf's own octal
      assertEquals(octal, FileMode.of(bits).toString());
      assertEquals(octal + " root:adm", new FileMode(bits, "root", "adm").toString());
      assertEquals(octal + " :adm", new FileMode(bits, "", "adm").toString());
    }
    assertEquals("0644", FileMode.REGULAR.toString());
  }
}
