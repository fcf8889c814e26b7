package io.wharf.model.workload;

import io.wharf.model.Condition;
import io.wharf.model.Frozen;
import java.util.List;

/**
 * What the controllers observe: instances wanted, running and ready; the spec revision
 * ({@code metadata.revision}) the controllers last acted on; conditions such as Available and
 * Progressing.
 */
public record ServiceStatus(int desired, int running, int ready, long observedRevision, List<Condition> conditions) {
    public static final ServiceStatus EMPTY = new ServiceStatus(0, 0, 0, 0, List.of());

    public ServiceStatus {
        conditions = Frozen.list(conditions);
    }
}
