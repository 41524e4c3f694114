/**
 * Git for tests: a real repository in a temporary directory, committed to with JGit ({@link
 * dev.gitops.testing.git.GitRepo}).
 *
 * <pre>{@code
 * try (GitRepo repo = GitRepo.init(tempDir.resolve("repo"))) {
 *   String revision = repo.commit(Map.of("deploy/app.conf", "replicas = 2\n"));
 *   Source source = GitSource.of(repo.url(), "main");
 * }
 * }</pre>
 */
package dev.gitops.testing.git;
