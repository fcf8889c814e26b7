package io.wharf.agent.runtime;

import io.wharf.agent.driver.TaskId;
import io.wharf.agent.health.HealthTransition;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Remembers every event, in order, for assertions. */
final class RecordingListener implements TaskListener, InstanceListener {
    final List<TaskEvent> tasks = new CopyOnWriteArrayList<>();
    final List<HealthTransition> health = new CopyOnWriteArrayList<>();
    final List<InstanceEvent> instances = new CopyOnWriteArrayList<>();

    @Override public void onTaskEvent(TaskEvent event) { tasks.add(event); }

    @Override public void onHealth(TaskId task, HealthTransition transition) { health.add(transition); }

    @Override public void onInstanceEvent(InstanceEvent event) { instances.add(event); }

    List<TaskState> states(String task) {
        return tasks.stream().filter(e -> e.task().task().equals(task)).map(TaskEvent::state).toList();
    }

    long count(String task, TaskState state) {
        return states(task).stream().filter(s -> s == state).count();
    }
}
