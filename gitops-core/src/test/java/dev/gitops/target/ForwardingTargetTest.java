package dev.gitops.target;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.model.ActualState;
import dev.gitops.model.DesiredState;
import dev.gitops.model.ResourceId;
import dev.gitops.plan.Action;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ForwardingTargetTest {
  private static final ResourceId ID = ResourceId.of("ConfigMap", "default", "a");

  @Test
  void everyMethodOfTargetReachesTheWrappedTargetIncludingDefaultsAddedLater() throws Exception {
    for (Method method : Target.class.getMethods()) {
      List<String> calls = new ArrayList<>();
      Target forwarding = new ForwardingTarget(recording(calls)) { };

      method.invoke(forwarding, arguments(method));

      assertFalse(calls.isEmpty(), "ForwardingTarget does not forward " + method
          + ": override it in ForwardingTarget");
    }
  }

  @Test
  void everyMethodOfTargetIsDeclaredByForwardingTarget() {
    for (Method method : Target.class.getMethods()) {
      try {
        Method own = ForwardingTarget.class.getDeclaredMethod(method.getName(), method.getParameterTypes());
        assertFalse(Modifier.isAbstract(own.getModifiers()), own.toString());
      } catch (NoSuchMethodException e) {
        throw new AssertionError("ForwardingTarget does not declare " + method, e);
      }
    }
  }

  @Test
  void applyAndEveryReadGoThroughTheOneHookASubclassOverrides() {
    List<String> seen = new ArrayList<>();
    Target wrapped = new ForwardingTarget(recording(new ArrayList<>())) {
      @Override public String applyWithDetail(Action action, String owner) {
        seen.add("write " + owner);
        return super.applyWithDetail(action, owner);
      }

      @Override public ActualState read(Scope scope, DesiredState desired) {
        seen.add("read " + scope.owner());
        return super.read(scope, desired);
      }
    };

    wrapped.apply(new Action.Delete(ID, "v1"), "web");
    wrapped.read("web");
    wrapped.read(Scope.owned("api"));
    wrapped.read(Scope.owned("ops"), DesiredState.empty());

    assertEquals(List.of("write web", "read web", "read api", "read ops"), seen);
  }

  @Test
  void capabilitiesAreTheWrappedTargetsAndNoneWhenItHasNone() {
    InMemoryTarget memory = InMemoryTarget.empty();
    Target wrapped = new ForwardingTarget(new ForwardingTarget(memory) { }) { };

    assertSame(memory, wrapped.lockable().orElseThrow());
    assertSame(memory, wrapped.deployHistory().orElseThrow());
    Target bare = new ForwardingTarget(recording(new ArrayList<>())) { };
    assertTrue(bare.lockable().isEmpty());
    assertTrue(bare.deployHistory().isEmpty());
    assertThrows(NullPointerException.class, () -> new ForwardingTarget(null) { });
  }

  /** A target (not Lockable, no history) that records every call made on it. */
  private static Target recording(List<String> calls) {
    return (Target) Proxy.newProxyInstance(Target.class.getClassLoader(), new Class<?>[] {Target.class},
        (proxy, method, args) -> {
          if (method.getDeclaringClass() == Object.class) {
            return switch (method.getName()) {
              case "equals" -> proxy == args[0];
              case "hashCode" -> System.identityHashCode(proxy);
              default -> "recording";
            };
          }
          calls.add(method.getName());
          Class<?> type = method.getReturnType();
          if (type == Optional.class) {
            return Optional.empty();
          }
          if (type == ActualState.class) {
            return ActualState.empty();
          }
          if (type == Health.class) {
            return Health.HEALTHY;
          }
          return type == String.class ? "" : type == boolean.class ? false : null;
        });
  }

  private static Object[] arguments(Method method) {
    Class<?>[] types = method.getParameterTypes();
    Object[] args = new Object[types.length];
    for (int i = 0; i < types.length; i++) {
      Class<?> t = types[i];
      args[i] = t == String.class ? "web" : t == Scope.class ? Scope.owned("web")
          : t == ResourceId.class ? ID : t == Action.class ? new Action.Delete(ID, "v1")
          : t == DesiredState.class ? DesiredState.empty()
          : fail(method);
    }
    return args;
  }

  private static Object fail(Method method) {
    throw new AssertionError("teach this test an argument of " + method);
  }
}
