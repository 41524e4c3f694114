#!/usr/bin/env python3
"""Writes the README's Java examples, word for word, into Java classes of the consumer project.

Usage: readme_examples.py README.md SRC_DIR

The README has three runnable examples: the pull agent, the push deploy and the in-memory target
("Core concepts"). Each ```java block is found by what it calls, and becomes the body of one method.
Imports are every public package of gitops, so that the README's code compiles as a user would write
it. The only change made to a block: the push example runs against fabric8's mock API server, which
has no server-side apply, so KubernetesTarget.of(client) gets the JSON Patch strategy there.
"""
import re
import sys
from pathlib import Path

IMPORTS = """import static java.nio.charset.StandardCharsets.UTF_8;

import dev.gitops.*;
import dev.gitops.apply.*;
import dev.gitops.diff.*;
import dev.gitops.model.*;
import dev.gitops.plan.*;
import dev.gitops.reconcile.*;
import dev.gitops.source.*;
import dev.gitops.target.*;
import java.nio.file.*;
import java.time.*;
import java.util.*;
"""
SSH_IMPORTS = "import dev.gitops.ssh.*;\n"
K8S_IMPORTS = """import dev.gitops.k8s.*;
import io.fabric8.kubernetes.client.*;
"""


def blocks(readme):
    return re.findall(r"```java\n(.*?)\n```", readme, re.S)


def one(all_blocks, marker):
    found = [b for b in all_blocks if marker in b]
    if len(found) != 1:
        sys.exit(f"README.md: expected one java block containing {marker!r}, found {len(found)}")
    return found[0]


def indent(code, n):
    return "\n".join((" " * n + line) if line.strip() else "" for line in code.splitlines())


def main():
    readme = Path(sys.argv[1]).read_text(encoding="utf-8")
    src = Path(sys.argv[2])
    all_blocks = blocks(readme)
    pull = one(all_blocks, "PullAgent.builder")
    push = one(all_blocks, "PushDeployer.builder")
    memory = one(all_blocks, "InMemoryTarget.of")
    push_on_mock = push.replace(
        "KubernetesTarget.of(client)",
        "KubernetesTarget.of(client, KubernetesTarget.Options.defaults().withStrategy(ApplyStrategy.JSON_PATCH))")
    if push_on_mock == push:
        sys.exit("README.md: the push example no longer calls KubernetesTarget.of(client)")

    readme_dir = src / "example" / "readme"
    readme_dir.mkdir(parents=True, exist_ok=True)
    (readme_dir / "InMemoryExample.java").write_text(f"""package example.readme;

{IMPORTS}
/** README.md, "Core concepts": the in-memory target example, then its plan through JSON and back. */
public final class InMemoryExample {{
  private InMemoryExample() {{}}

  public static String run() {{
{indent(memory, 4)}
    Plan back = Plan.fromJson(plan.toJson());   // pretty JSON: the Jackson floor lives here
    return plan.summary() + "|" + back.summary() + "|" + target.snapshot().byId().keySet();
  }}
}}
""", encoding="utf-8")
    (readme_dir / "PullExample.java").write_text(f"""package example.readme;

{IMPORTS}{SSH_IMPORTS}
/** README.md, "Pull": runs until its thread is interrupted. */
public final class PullExample {{
  private PullExample() {{}}

  public static void run(String repo, Path root) throws Exception {{
{indent(pull, 4)}
  }}
}}
""", encoding="utf-8")
    k8s_dir = src / "example" / "k8s"
    k8s_dir.mkdir(parents=True, exist_ok=True)
    (k8s_dir / "PushExample.java").write_text(f"""package example.k8s;

{IMPORTS}{K8S_IMPORTS}
/** README.md, "Push", against fabric8's mock API server (JSON Patch: the mock has no server-side apply). */
public final class PushExample {{
  private PushExample() {{}}

  public static void run(String repo, String revision) throws Exception {{
{indent(push_on_mock, 4)}
  }}
}}
""", encoding="utf-8")


if __name__ == "__main__":
    main()
