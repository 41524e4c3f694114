package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.testing.k8s.MockKubernetes;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/** A feed stopped (its cache closed, or its last reader released) never watches again. */
class FeedStopIT {
  @AutoClose private final MockKubernetes cluster = MockKubernetes.crud();

  @Test
  void aStoppedFeedNeverStartsAgain() {
    KindInfo info = new KindInfo("", "v1", "ConfigMap", "configmaps", true);
    AtomicLong ticks = new AtomicLong();
    Feed feed = new Feed(cluster.client(), info, null, Labels.OWNER, ticks::incrementAndGet);
    feed.start();
    assertTrue(feed.awaitSynced(10_000), "the feed syncs");
    feed.stop();
    // what a reader still holding a released feed does on a mismatch, or a check racing close
    feed.start();
    feed.awaitSynced(10_000);
    assertFalse(feed.watching(), "no informer runs after stop");
  }
}
