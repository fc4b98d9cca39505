/**
 * Demand forecasting and ranking: how many launches of each profile to expect in the near
 * future, behind the {@link dev.kernelpool.core.forecast.DemandForecaster} interface, and the
 * ranking of profiles by that forecast that decides which profiles get the pool's budget first.
 */
package dev.kernelpool.core.forecast;
