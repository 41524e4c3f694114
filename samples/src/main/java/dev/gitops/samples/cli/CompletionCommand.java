package dev.gitops.samples.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code gitops completion bash|zsh}: prints a completion script for every command and option
 * (picocli's {@link AutoComplete}; zsh loads it through {@code bashcompinit}, which the script
 * sets up itself).
 */
@Command(name = "completion", description = {"Print a shell completion script.",
    "bash: source <(gitops completion bash)   (or save it under /etc/bash_completion.d/)",
    "zsh:  source <(gitops completion zsh)    (in ~/.zshrc)"},
    exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:printed", "1:error"})
public final class CompletionCommand implements Callable<Integer> {
  /** The shells a script is made for. */
  public enum Shell { bash, zsh }

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "SHELL", description = "bash or zsh.")
  Shell shell;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    String script = AutoComplete.bash(spec.root().name(), spec.root().commandLine());
    if (shell == Shell.zsh) {
      out.println("# gitops completion for zsh: bash's completion through bashcompinit");
      out.println("autoload -U +X compinit && compinit");
      out.println("autoload -U +X bashcompinit && bashcompinit");
    }
    out.print(script);
    out.flush();
    return 0;
  }
}
