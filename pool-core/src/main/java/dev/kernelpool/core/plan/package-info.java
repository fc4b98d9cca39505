/**
 * The planner: a pure, deterministic function from a snapshot, a {@link
 * dev.kernelpool.core.plan.PoolPolicy} and a clock to a {@link dev.kernelpool.core.plan.Plan}
 * (create N of profile P in namespace X, delete members Y and Z, each with its reason). Backends
 * apply plans; applying a plan and planning again yields an empty plan.
 */
package dev.kernelpool.core.plan;
