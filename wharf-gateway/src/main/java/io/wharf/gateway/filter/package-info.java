/**
 * The request pipeline: {@link io.wharf.gateway.filter.Pipeline#filters} lists, in order, every
 * filter a request passes; each may answer itself or hand the exchange on through its
 * {@link io.wharf.gateway.filter.Filter.Chain}. The last one, {@link io.wharf.gateway.filter.Proxy},
 * forwards upstream.
 */
package io.wharf.gateway.filter;
