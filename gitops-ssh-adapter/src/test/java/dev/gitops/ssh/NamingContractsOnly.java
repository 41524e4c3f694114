package dev.gitops.ssh;

import java.lang.reflect.Method;
import java.util.Set;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs only the contracts about file names ({@link CaseFoldingContract}, {@link FileNamesContract})
 * of a suite it extends: for a test host whose every other behaviour another suite already proves
 * (the rest of {@link FilesTargetSuite} depends on nothing a name comparison changes), so that CI
 * does not run the whole suite once more.
 */
final class NamingContractsOnly implements ExecutionCondition {
  private static final Set<Class<?>> RUN = Set.of(CaseFoldingContract.class, FileNamesContract.class);

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    Class<?> declared = context.getTestMethod().map(Method::getDeclaringClass).orElse(null);
    return declared == null || RUN.contains(declared) ? ConditionEvaluationResult.enabled("a naming contract")
        : ConditionEvaluationResult.disabled("not about names: the other folding hosts' suites run it");
  }
}
