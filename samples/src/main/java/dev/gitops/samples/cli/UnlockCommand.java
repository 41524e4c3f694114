package dev.gitops.samples.cli;

import dev.gitops.target.Lockable;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gitops unlock}: says who holds the target's lock for {@code --owner} (name, process,
 * machine, since when: the lock push and pull take; a Kubernetes target has one per owner); with
 * {@code --force}, releases it whoever holds it and names who did.
 */
@Command(name = "unlock", description = "Show who holds the target's lock; with --force, release it.",
    exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:shown or released", "1:error"})
public final class UnlockCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin TargetOptions target;

  @Option(names = "--force", description = "Release the lock whoever holds it. Only when that deploy is "
      + "certainly gone: a holder that still runs is not stopped and keeps writing.")
  boolean force;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (Binding binding = target.open(out)) {
      Lockable lockable = binding.target().lockable(target.owner).orElseThrow(
          () -> new IllegalArgumentException(binding.target().describe() + " has no lock"));
      String where = binding.target().describe();
      if (!force) {
        Optional<Lockable.Holder> holder = lockable.lockedBy();
        out.println(holder.map(h -> where + " is locked by " + h + ". If that deploy is gone, release it"
            + " with: gitops unlock --force --target " + target.target + " --owner " + target.owner).orElse(where + " is not locked."));
      } else {
        Optional<Lockable.Holder> was = lockable.forceUnlock();
        out.println(was.map(h -> "Released the lock of " + where + " held by " + h + ".")
            .orElse(where + " was not locked: nothing to release."));
      }
      out.flush();
      return 0;
    }
  }
}
