package dev.gitops.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.strings;

import org.junit.jupiter.api.Test;

/** How a mode prints and compares. */
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

  /** equals and hashCode are written out: equal exactly when all three fields are, as a record's own. */
  @Test
  void equalExactlyWhenPermissionsOwnerAndGroupAre() {
    qt().forAll(integers().between(0, 07777), integers().between(0, 07777), strings().ascii().ofLengthBetween(0, 2),
        strings().ascii().ofLengthBetween(0, 2)).checkAssert((a, b, owner, group) -> {
          FileMode m = new FileMode(a, owner, group);
          FileMode same = new FileMode(a, new String(owner), new String(group));
          assertEquals(m, same);
          assertEquals(m.hashCode(), same.hashCode());
          assertEquals(a.equals(b), m.equals(new FileMode(b, owner, group)), "permissions");
          assertEquals(owner.equals(group), m.equals(new FileMode(a, group, group)), "owner");
          assertEquals(group.equals(owner), m.equals(new FileMode(a, owner, owner)), "group");
          assertEquals(false, m.equals(null));
          assertEquals(false, m.equals(m.toString()));
        });
  }
}
