/** What no policy without foresight can beat: lower bounds on idle cost for a scenario's known launch rates. */
package dev.kernelpool.core.sim.bound;
