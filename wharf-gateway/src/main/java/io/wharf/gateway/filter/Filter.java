package io.wharf.gateway.filter;

import io.vertx.core.Future;
import java.util.List;

/**
 * One step of the pipeline. Runs on the connection's event loop and must not block: answer
 * with {@link Exchange#reply}, or pass on with {@code chain.proceed(exchange)}. The future
 * completes when the response to the client has ended.
 */
public interface Filter {
  Future<Outcome> apply(Exchange exchange, Chain chain);

  /** The rest of the pipeline after the current filter. */
  final class Chain {
    private final List<Filter> filters;
    private final int index;

    Chain(List<Filter> filters, int index) {
      this.filters = filters;
      this.index = index;
    }

    /** The whole pipeline, from its first filter. */
    public static Chain of(List<Filter> filters) {
      return new Chain(List.copyOf(filters), 0);
    }

    public Future<Outcome> proceed(Exchange exchange) {
      if (index >= filters.size()) {
        throw new IllegalStateException("the last filter must answer");
      }
      return filters.get(index).apply(exchange, new Chain(filters, index + 1));
    }
  }
}
