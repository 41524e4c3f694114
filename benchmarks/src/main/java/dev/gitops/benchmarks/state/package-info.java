/**
 * Seeded, reproducible desired and actual states of Kubernetes-shaped objects, modelled on the
 * real-world manifests in {@code shared/fixtures/k8s}, for the plan benchmarks.
 *
 * <p>{@code GeneratedStates s = new StateGenerator(Templates.load(fixtures)).generate(10_000, 10, 42L, true);}
 * gives 10,000 objects of which 1% changed, with the actual side as an API server returns it.
 */
package dev.gitops.benchmarks.state;
