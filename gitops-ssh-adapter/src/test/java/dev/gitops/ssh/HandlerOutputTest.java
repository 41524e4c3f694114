package dev.gitops.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * A handler's output, as a report and a log show it: core's one escaping rule
 * ({@link dev.gitops.model.ResourceId#escape}) on each piece between line breaks and tabs, which are
 * kept so that the output reads as lines. Expected texts are written out, not computed by that rule.
 */
class HandlerOutputTest {

  @Test
  void aHiddenCharacterBeyondUFfffIsEscapedAsCoreEscapesIt() {
    // U+E0001 LANGUAGE TAG prints nothing: a surrogate pair, once passed through raw
    assertEquals("reloaded\\udb40\\udc01 ok", Handlers.printable("reloaded\uDB40\uDC01 ok"));
  }

  @Test
  void anUnpairedSurrogateIsEscaped() {
    assertEquals("cut \\ud83d here", Handlers.printable("cut \uD83D here"));
  }

  @Test
  void aVisibleCharacterBeyondUFfffPrintsAsItIs() {
    assertEquals("done \uD83D\uDE00", Handlers.printable("done \uD83D\uDE00"));
  }

  @Test
  void lineBreaksAndTabsAreKeptAndEverythingElseFollowsTheRule() {
    assertEquals("line one\n\tline \\x1b[2Jtwo\\r\n\\u202eend",
        Handlers.printable("line one\n\tline \u001b[2Jtwo\r\n\u202eend"));
  }

  @Test
  void aBackslashTheHandlerPrintedCannotPassForAnEscape() {
    // printed as it was, "\x1b" would read as an escaped ESC the handler never printed
    assertEquals("literal \\\\x1b", Handlers.printable("literal \\x1b"));
  }
}
