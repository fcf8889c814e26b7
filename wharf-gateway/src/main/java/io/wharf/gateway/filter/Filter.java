package io.wharf.gateway.filter;

import java.util.List;

/**
 * One step of the pipeline. Runs on the connection's event loop and must not block: answer
 * with {@link Exchange#reply}, or pass on with {@code chain.proceed(exchange)} (now or later, from
 * the same event loop). Whoever answers ends the exchange; a filter that wants to see the end
 * registers an {@link Exchange.EndListener}.
 */
public interface Filter {
  void apply(Exchange exchange, Chain chain);

  /**
   * The rest of the pipeline after the current filter. The links are built once with the
   * pipeline (each holds the next filter and the link after it), so passing a request on
   * allocates nothing.
   */
  final class Chain {
    private final Filter filter;
    private final Chain next;

    private Chain(Filter filter, Chain next) {
      this.filter = filter;
      this.next = next;
    }

    /** The whole pipeline, from its first filter. */
    public static Chain of(List<Filter> filters) {
      Chain chain = new Chain(null, null); // past the last filter
      for (int i = filters.size() - 1; i >= 0; i--) {
        chain = new Chain(java.util.Objects.requireNonNull(filters.get(i), "filter"), chain);
      }
      return chain;
    }

    public void proceed(Exchange exchange) {
      if (filter == null) {
        throw new IllegalStateException("the last filter must answer");
      }
      filter.apply(exchange, next);
    }
  }
}
