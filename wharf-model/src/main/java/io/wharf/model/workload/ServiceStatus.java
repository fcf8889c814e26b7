package io.wharf.model.workload;

import io.wharf.model.Condition;
import io.wharf.model.Frozen;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the controllers observe: instances wanted, running and ready; the spec revision
 * ({@code metadata.revision}) the controllers last acted on; conditions such as Available and
 * Progressing. {@code rollout} is the rollout of the current instance template (null before the
 * controller first saw the service), {@code history} the last {@value #HISTORY} finished
 * rollouts (oldest first), {@code restartedAt} the restart marker of {@code wharf rollout
 * restart} (part of the instance template, null = never restarted). {@code inputs} are the
 * configs and secrets the instances are made with ({@code config/NAME} or {@code secret/NAME} to
 * the stored revision the instances read; part of the instance template, so a changed config
 * rolls out like any other template change).
 */
public record ServiceStatus(int desired, int running, int ready, long observedRevision, List<Condition> conditions,
                            Rollout rollout, List<RolloutRecord> history, Instant restartedAt, Map<String, Long> inputs) {
    public static final ServiceStatus EMPTY = new ServiceStatus(0, 0, 0, 0, List.of());
    /** How many finished rollouts a status keeps. */
    public static final int HISTORY = 10;

    public ServiceStatus {
        conditions = Frozen.list(conditions);
        history = Frozen.list(history);
        inputs = Frozen.map(inputs == null ? Map.of() : inputs);
        if (history.size() > HISTORY) history = List.copyOf(history.subList(history.size() - HISTORY, history.size()));
    }

    /**
     * Counts and conditions only, without rollout, history or restart marker: a controller that
     * rewrites the counts of a stored status adds {@link #withRolloutOf} the status it read, or it
     * erases the rollout state.
     */
    public ServiceStatus(int desired, int running, int ready, long observedRevision, List<Condition> conditions) {
        this(desired, running, ready, observedRevision, conditions, null, List.of(), null, Map.of());
    }

    /** These counts and conditions, keeping {@code from}'s rollout, history, restart marker and inputs. */
    public ServiceStatus withRolloutOf(ServiceStatus from) {
        return new ServiceStatus(desired, running, ready, observedRevision, conditions, from.rollout, from.history,
                from.restartedAt, from.inputs);
    }

    public ServiceStatus withRollout(Rollout r, List<RolloutRecord> h, Instant restarted) {
        return new ServiceStatus(desired, running, ready, observedRevision, conditions, r, h, restarted, inputs);
    }

    public ServiceStatus withInputs(Map<String, Long> in) {
        return new ServiceStatus(desired, running, ready, observedRevision, conditions, rollout, history, restartedAt, in);
    }
}
