package dev.gitops.target;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.model.DesiredState;
import dev.gitops.model.Resource;
import dev.gitops.model.Revision;
import dev.gitops.model.Snapshot;
import dev.gitops.plan.Plan;
import dev.gitops.reconcile.PushDeployer;
import dev.gitops.reconcile.ReconcileListener;
import dev.gitops.reconcile.ReconcileResult;
import dev.gitops.reconcile.Reconciler;
import dev.gitops.reconcile.Wrappers;
import dev.gitops.source.Source;
import dev.gitops.target.DeployHistory.Deployment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Optional capabilities survive wrapping: every target of the project, wrapped in every wrapper of
 * the project, still holds its own lock through a push deploy and keeps the deploy history on
 * itself. A test class implements this interface (beside {@link TargetContract}) and adds the
 * wrappers its module can reach to {@link #wrappers()}.
 */
public interface WrapperContract extends TargetContract {

  /**
   * Another handle on the system {@link #target()} converges (a second connection, a second client),
   * as another deployer would hold. Default: {@link #target()} itself.
   */
  default Target another() {
    return target();
  }

  /**
   * The wrappers to prove, by name. Default: none (the bare target), core's stop flag and a bare
   * {@link ForwardingTarget}; a module adds its own.
   */
  default Map<String, UnaryOperator<Target>> wrappers() {
    Map<String, UnaryOperator<Target>> all = new LinkedHashMap<>();
    all.put("bare", t -> t);
    all.put("StoppingTarget", Wrappers::stopping);
    all.put("ForwardingTarget", t -> new ForwardingTarget(t) { });
    all.put("two wrappers", t -> Wrappers.stopping(new ForwardingTarget(t) { }));
    return all;
  }

  @TestFactory
  default Stream<DynamicTest> aPushDeployThroughAWrapperHoldsTheTargetsLock() {
    List<DynamicTest> tests = new ArrayList<>();
    int i = 0;
    for (var wrapper : wrappers().entrySet()) {
      String name = "lock-" + i++;
      tests.add(DynamicTest.dynamicTest(wrapper.getKey(), () -> {
        UnaryOperator<Target> wrap = wrapper.getValue();
        Resource resource = sampleResource(name);
        AtomicReference<Object> second = new AtomicReference<>("the second deploy never ran");
        ReconcileListener racer = new ReconcileListener() {
          @Override
          public void planned(Plan plan) { // the first deploy holds the lock now
            try {
              second.set(deployer(wrap.apply(another()), resource, name, "ci-2").deploy("main"));
            } catch (RuntimeException e) {
              second.set(e);
            }
          }
        };
        ReconcileResult first = deployer(wrap.apply(target()), resource, name, "ci-1", racer)
            .deploy("main");

        assertTrue(first.isSuccess(), first::toString);
        LockedException refused = assertInstanceOf(LockedException.class, second.get(),
            "a second deploy during the first is refused");
        assertEquals("ci-1", refused.holder());
        try (Lockable.Lock free = another().lockable(OWNER).orElseThrow().lock("probe", null)) {
          assertEquals("probe", free.holder(), "released after the deploy");
        }
      }));
    }
    return tests.stream();
  }

  @TestFactory
  default Stream<DynamicTest> aPushDeployThroughAWrapperRecordsOnTheTarget() {
    List<DynamicTest> tests = new ArrayList<>();
    int i = 0;
    for (var wrapper : wrappers().entrySet()) {
      String name = "history-" + i++;
      tests.add(DynamicTest.dynamicTest(wrapper.getKey(), () -> {
        UnaryOperator<Target> wrap = wrapper.getValue();
        Resource resource = sampleResource(name);
        deployer(wrap.apply(target()), resource, name, "ci-1").deploy("main");

        List<Deployment> seen = deployer(wrap.apply(another()), resource, name, "ci-2").history();

        assertFalse(seen.isEmpty(), "a new deployer sees the deploy");
        assertEquals(revision(name), seen.get(0).revision());
        assertEquals("ci-1", seen.get(0).by());
        assertEquals(seen, another().deployHistory().orElseThrow().history(), "kept on the target");
      }));
    }
    return tests.stream();
  }

  private PushDeployer deployer(Target target, Resource resource, String name, String holder) {
    return deployer(target, resource, name, holder, ReconcileListener.NONE);
  }

  private PushDeployer deployer(Target target, Resource resource, String name, String holder,
                                ReconcileListener listener) {
    Source source = new Source() {
      @Override public Revision latest() { return Revision.of(revision(name)); }
      @Override public Snapshot fetch(Revision revision) { return Snapshot.of(revision, Map.of()); }
    };
    Reconciler reconciler = Reconciler.builder().name(OWNER).source(source)
        .loader(snapshot -> DesiredState.of(List.of(resource))).target(target).prune(false)
        .listener(listener)
        .build();
    return PushDeployer.builder(reconciler).holder(holder).build();
  }

  private static String revision(String name) {
    return "contract-" + name;
  }
}
