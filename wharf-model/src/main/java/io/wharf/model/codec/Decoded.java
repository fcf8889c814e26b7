package io.wharf.model.codec;

import io.wharf.model.validation.Problem;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.Function;

/**
 * The result of decoding: a value, or the non-empty list of everything wrong with the input.
 * {@link Invalid#malformed()} is true when the text was not even parseable JSON/YAML
 * (the API answers 400 malformed) rather than failing validation (422 invalid).
 */
public sealed interface Decoded<T> {

    boolean ok();

    /** @throws NoSuchElementException when invalid; check {@link #ok()} first */
    T value();

    /** Empty when ok. */
    List<Problem> problems();

    default <R> Decoded<R> map(Function<? super T, ? extends R> f) {
        return switch (this) {
            case Ok<T> ok -> new Ok<>(f.apply(ok.value()));
            case Invalid<T> bad -> new Invalid<>(bad.problems(), bad.malformed());
        };
    }

    static <T> Decoded<T> ok(T value) { return new Ok<>(value); }

    static <T> Decoded<T> invalid(List<Problem> problems) { return new Invalid<>(problems, false); }

    static <T> Decoded<T> malformed(Problem problem) { return new Invalid<>(List.of(problem), true); }

    record Ok<T>(T value) implements Decoded<T> {
        public Ok {
            Objects.requireNonNull(value, "value");
        }

        @Override public boolean ok() { return true; }

        @Override public List<Problem> problems() { return List.of(); }
    }

    record Invalid<T>(List<Problem> problems, boolean malformed) implements Decoded<T> {
        public Invalid {
            problems = List.copyOf(problems);
            if (problems.isEmpty()) throw new IllegalArgumentException("an invalid result needs at least one problem");
        }

        @Override public boolean ok() { return false; }

        @Override public T value() {
            throw new NoSuchElementException("invalid: " + problems);
        }
    }
}
