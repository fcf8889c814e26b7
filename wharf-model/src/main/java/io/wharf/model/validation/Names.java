package io.wharf.model.validation;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Naming rules. Resource, task, port and volume names are DNS labels: 1..63 characters of
 * lowercase letters, digits and '-', starting with a letter and ending with a letter or digit.
 * Node names may be DNS subdomains (dots allowed, up to 253); event names are sequence
 * numbers and may start with a digit. Label keys are {@code [prefix/]name} (prefix a DNS
 * subdomain, name up to 63 of [A-Za-z0-9._-] starting and ending alphanumeric); label values
 * are empty or follow the same rule as the key's name part.
 */
public final class Names {
    private Names() {}

    private static final Pattern LABEL = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern LABEL_DIGIT_START = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern LABEL_NAME = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** Why {@code name} is not a DNS label, or empty when it is. */
    public static Optional<String> dnsLabelProblem(String name) {
        if (name.isEmpty()) return Optional.of("must not be empty");
        if (name.length() > 63) return Optional.of("must be at most 63 characters, got " + name.length());
        if (!LABEL.matcher(name).matches()) {
            return Optional.of("invalid name \"" + name
                    + "\": use lowercase letters, digits and '-', start with a letter, end with a letter or digit");
        }
        return Optional.empty();
    }

    public static boolean isDnsLabel(String name) { return dnsLabelProblem(name).isEmpty(); }

    /** Event names: like DNS labels but may start with a digit. */
    public static Optional<String> eventNameProblem(String name) {
        if (name.isEmpty()) return Optional.of("must not be empty");
        if (name.length() > 63 || !LABEL_DIGIT_START.matcher(name).matches()) {
            return Optional.of("invalid name \"" + name + "\": use 1..63 lowercase letters, digits and '-'");
        }
        return Optional.empty();
    }

    /** Node names: DNS subdomains (host names). */
    public static Optional<String> nodeNameProblem(String name) {
        if (name.isEmpty()) return Optional.of("must not be empty");
        if (name.length() > 253 || !SUBDOMAIN.matcher(name).matches()) {
            return Optional.of("invalid node name \"" + name + "\": use lowercase letters, digits, '-' and '.'");
        }
        return Optional.empty();
    }

    public static Optional<String> labelKeyProblem(String key) {
        String name = key;
        int slash = key.indexOf('/');
        if (slash >= 0) {
            String prefix = key.substring(0, slash);
            name = key.substring(slash + 1);
            if (prefix.isEmpty() || prefix.length() > 253 || !SUBDOMAIN.matcher(prefix).matches()) {
                return Optional.of("invalid label key \"" + key + "\": the prefix must be a DNS subdomain");
            }
        }
        if (name.isEmpty() || name.length() > 63 || !LABEL_NAME.matcher(name).matches()) {
            return Optional.of("invalid label key \"" + key
                    + "\": use up to 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit");
        }
        return Optional.empty();
    }

    public static Optional<String> labelValueProblem(String value) {
        if (value.isEmpty()) return Optional.empty();
        if (value.length() > 63 || !LABEL_NAME.matcher(value).matches()) {
            return Optional.of("invalid label value \"" + value
                    + "\": use up to 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit");
        }
        return Optional.empty();
    }

    public static Optional<String> envNameProblem(String name) {
        if (!ENV_NAME.matcher(name).matches()) {
            return Optional.of("invalid environment variable name \"" + name + "\": use letters, digits and '_', not starting with a digit");
        }
        return Optional.empty();
    }
}
