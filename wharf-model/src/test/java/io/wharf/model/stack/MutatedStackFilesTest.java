package io.wharf.model.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.model.Resource;
import io.wharf.model.codec.Decoded;
import io.wharf.model.codec.ResourceCodec;
import io.wharf.model.validation.Problem;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded random mutations of the complete example: parsing never throws, a failure always
 * carries problems with reasons, and whatever parses is valid and round-trips through JSON.
 */
class MutatedStackFilesTest {
    private static final String[] JUNK = {"-1", "yes", "no", "[", "{}", "[]", "0777", "99999999999999999999", "~", "\"", "*nope",
            "&a x", "1.5", "true", "0", "10s", "-5m", "256Mi", "@daily", "a b c", "!!binary x", "<<: *defaults", "\t", "ü", "''"};

    @Test
    void mutatedFilesNeverBreakTheParser() throws Exception {
        long seed = Long.getLong("wharf.seed", System.nanoTime());
        Random random = new Random(seed);
        List<String> lines = Arrays.asList(CompleteExampleTest.example().split("\n", -1));
        int parsed = 0;
        for (int i = 0; i < 300; i++) {
            String text = mutate(new ArrayList<>(lines), random);
            Decoded<StackDocument> d;
            try {
                d = StackFile.parse(text, "fuzz.yaml");
            } catch (RuntimeException e) {
                throw new AssertionError("seed " + seed + ", iteration " + i + " threw on:\n" + text, e);
            }
            if (!d.ok()) {
                assertThat(d.problems()).as("seed %d iteration %d", seed, i).isNotEmpty()
                        .allSatisfy(p -> assertThat(p.reason()).isNotBlank());
                continue;
            }
            parsed++;
            for (Resource r : d.value().resources()) {
                List<Problem> problems = ResourceCodec.validate(r);
                assertThat(problems).as("seed %d iteration %d: %s of\n%s", seed, i, r.ref(), text).isEmpty();
                assertThat(ResourceCodec.fromJson(ResourceCodec.toJson(r)).value()).isEqualTo(r);
            }
        }
        assertThat(parsed).as("seed %d: some mutations must still parse", seed).isPositive();
    }

    private static String mutate(List<String> lines, Random random) {
        int edits = 1 + random.nextInt(3);
        for (int e = 0; e < edits; e++) {
            int at = random.nextInt(lines.size());
            String line = lines.get(at);
            switch (random.nextInt(4)) {
                case 0 -> lines.remove(at);
                case 1 -> lines.add(at, line);
                case 2 -> {
                    int colon = line.indexOf(": ");
                    if (colon > 0) lines.set(at, line.substring(0, colon + 2) + JUNK[random.nextInt(JUNK.length)]);
                }
                default -> {
                    if (!line.isEmpty()) {
                        int pos = random.nextInt(line.length());
                        lines.set(at, line.substring(0, pos) + JUNK[random.nextInt(JUNK.length)] + line.substring(pos));
                    }
                }
            }
        }
        return String.join("\n", lines);
    }
}
