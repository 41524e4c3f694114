package dev.gitops.samples.cli;

import static java.lang.invoke.MethodType.methodType;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandleProxies;
import java.lang.invoke.MethodHandles;
import java.util.function.IntConsumer;

/**
 * Hears SIGINT and SIGTERM after the JVM began to shut down on the first: the JVM's own handler of
 * those signals runs {@code Runtime.exit} once, so a second signal would only wait behind the shutdown
 * hooks. {@code sun.misc.Signal} (module {@code jdk.unsupported}, kept from JDK 9 to 25 because the JDK
 * has no supported replacement; {@code jdk.internal.misc.Signal} is not exported) replaces that handler.
 * It is installed only from the shutdown hook, so a first signal still takes the JVM's own path. Reached
 * by reflection, as JLine reaches it: javac warns at every build on a direct use, and a runtime without
 * {@code jdk.unsupported} (a trimmed jlink image), or one where the signal is taken ({@code -Xrs}, an
 * embedding host), leaves nothing installed: a second signal then waits, as before.
 */
final class SecondSignal {
  private static final String[] NAMES = {"INT", "TERM"};

  private SecondSignal() {}

  /**
   * Calls {@code handler} with the signal's number (2 for SIGINT, 15 for SIGTERM) when either comes from
   * now on, on a thread the JVM starts for it.
   *
   * @return true when installed, false when this runtime cannot hear the signals so
   */
  static boolean install(IntConsumer handler) {
    try {
      MethodHandles.Lookup lookup = MethodHandles.publicLookup();
      Class<?> signal = Class.forName("sun.misc.Signal");
      Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
      MethodHandle accept = lookup.findVirtual(IntConsumer.class, "accept", methodType(void.class, int.class))
          .bindTo(handler);
      MethodHandle onSignal = MethodHandles.filterArguments(accept, 0,
          lookup.findVirtual(signal, "getNumber", methodType(int.class)));
      Object proxy = MethodHandleProxies.asInterfaceInstance(handlerType, onSignal);
      MethodHandle named = lookup.findConstructor(signal, methodType(void.class, String.class));
      MethodHandle handle = lookup.findStatic(signal, "handle", methodType(handlerType, signal, handlerType));
      for (String name : NAMES) {
        handle.invoke(named.invoke(name), proxy);
      }
      return true;
    } catch (ReflectiveOperationException | LinkageError | IllegalArgumentException | UnsupportedOperationException
             | SecurityException unavailable) {
      return false;
    } catch (Throwable unexpected) {
      throw new IllegalStateException("cannot install the second-signal handler", unexpected);
    }
  }
}
