/**
 * A trace-driven simulator of pool policies on a virtual clock: it replays launches against
 * namespaces with quotas, lets a policy (the real planner, configured as the talk's policy or ours,
 * or a baseline) keep pools, and measures hits, waits, idle cost and quota use. The same trace,
 * seed and settings always give identical results.
 */
package dev.kernelpool.core.sim;
