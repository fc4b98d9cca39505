/**
 * Measurements and the demo's moving parts: a stand-in for EG's side of a launch, a runner of the
 * launch script as EG runs it, and the claim and wire benchmarks behind the CLI's {@code bench}
 * and {@code demo} commands.
 */
package dev.kernelpool.bridge.bench;
