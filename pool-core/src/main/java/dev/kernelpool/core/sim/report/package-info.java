/**
 * Reports of simulation results: a plain table, JSON for machines, and a self-contained HTML page
 * with charts. Reports never know which policy produced the numbers they print.
 */
package dev.kernelpool.core.sim.report;
