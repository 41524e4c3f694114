package dev.gitops.reconcile;

import dev.gitops.model.Revision;
import dev.gitops.plan.Plan;

/** A revision fetched, loaded, read against the target and planned; not applied yet. */
record Prepared(Revision revision, Plan plan, ReconcileResult.Timings timings) { }
