package dev.gitops.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class RemoteUrlTest {
  @Test
  void httpsCredentialsAreMovedOutOfTheUrlAndMasked() {
    RemoteUrl u = RemoteUrl.parse("https://bot:t0k%2Fen@git.example.com/org/repo.git", false);
    assertEquals("https://git.example.com/org/repo.git", u.url());
    assertEquals("https://***@git.example.com/org/repo.git", u.masked());
    assertEquals("bot", u.user());
    assertEquals("t0k/en", u.password());
    assertFalse(u.toString().contains("t0k"));
    assertEquals("failed at https://***@git.example.com/org/repo.git: ***",
        u.scrub("failed at https://git.example.com/org/repo.git: t0k/en"));
  }

  @Test
  void httpsWithSeparateCredentialsIsMaskedToo() {
    assertEquals("https://***@h/r.git", RemoteUrl.parse("https://h/r.git", true).masked());
    assertEquals("https://h/r.git", RemoteUrl.parse("https://h/r.git", false).masked());
  }

  @Test
  void sshUsersStayButPasswordsAreMasked() {
    assertEquals("ssh://git@h:2222/r.git", RemoteUrl.parse("ssh://git@h:2222/r.git", false).masked());
    RemoteUrl withPassword = RemoteUrl.parse("ssh://git:pw@h/r.git", false);
    assertEquals("ssh://git@h/r.git", withPassword.url());
    assertEquals("ssh://git:***@h/r.git", withPassword.masked());
  }

  @Test
  void scpLikeUrlsStayAndPlainPathsBecomeFileUrls() {
    RemoteUrl scp = RemoteUrl.parse("git@github.com:acme/deploy.git", false);
    assertEquals("git@github.com:acme/deploy.git", scp.url());
    assertNull(scp.password());
    RemoteUrl local = RemoteUrl.parse("/srv/git/deploy.git", false);
    assertTrue(local.url().startsWith("file:/"), local.url());
    assertEquals(Path.of("rel/repo").toAbsolutePath().toUri().toString(), RemoteUrl.parse("rel/repo", false).url());
    assertEquals("file:///srv/repo.git", RemoteUrl.parse("file:///srv/repo.git", false).url());
  }

  @Test
  void credentialsWithReservedCharactersAreMaskedWhole() {
    for (String password : new String[] {"p@ss", "p@ss@word", "a:b:c", "pa/ss", "100%", "p%40ss", "?#@:/%"}) {
      String raw = "https://alice:" + password + "@git.example.com/org/repo.git";
      RemoteUrl u = RemoteUrl.parse(raw, false);
      assertEquals("https://git.example.com/org/repo.git", u.url(), raw);
      assertEquals("https://***@git.example.com/org/repo.git", u.masked(), raw);
      assertEquals("alice", u.user(), raw);
      assertEquals(password.equals("p%40ss") ? "p@ss" : password, u.password(), raw);
      assertEquals("cannot read https://***@git.example.com/org/repo.git: ***",
          u.scrub("cannot read https://git.example.com/org/repo.git: " + u.password()), raw);
    }
    RemoteUrl ssh = RemoteUrl.parse("ssh://git:s3@cr:et@git.example.com:2222/r.git", false);
    assertEquals("ssh://git@git.example.com:2222/r.git", ssh.url());
    assertEquals("ssh://git:***@git.example.com:2222/r.git", ssh.masked());
  }

  @Test
  void anAtSignInThePathIsNotUserinfo() {
    assertEquals("https://git.example.com/org/repo@v1.git",
        RemoteUrl.parse("https://git.example.com/org/repo@v1.git", false).masked());
    assertEquals("file:///srv/with@at/repo.git", RemoteUrl.parse("file:///srv/with@at/repo.git", false).url());
  }
}
