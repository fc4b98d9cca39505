/**
 * Which pool members must go: members that sat warm past their time to live, members stuck
 * starting, and the order in which surplus members are evicted (oldest first, never a claimed
 * one).
 */
package dev.kernelpool.core.evict;
