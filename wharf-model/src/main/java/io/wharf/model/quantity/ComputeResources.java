package io.wharf.model.quantity;

import java.util.Objects;

/** CPU and memory: a task's reservation and limit, or a node's capacity. */
public record ComputeResources(Cpu cpu, ByteSize memory) {
    /** What a task gets when it says nothing: 100m CPU, 128Mi memory. */
    public static final ComputeResources DEFAULT = new ComputeResources(new Cpu(100), ByteSize.ofMebibytes(128));
    public static final ComputeResources NONE = new ComputeResources(new Cpu(0), new ByteSize(0));

    public ComputeResources {
        Objects.requireNonNull(cpu, "cpu");
        Objects.requireNonNull(memory, "memory");
    }

    public ComputeResources plus(ComputeResources o) {
        return new ComputeResources(new Cpu(cpu.millicores() + o.cpu.millicores()), new ByteSize(memory.bytes() + o.memory.bytes()));
    }

    public ComputeResources minus(ComputeResources o) {
        return new ComputeResources(new Cpu(Math.max(0, cpu.millicores() - o.cpu.millicores())),
                new ByteSize(Math.max(0, memory.bytes() - o.memory.bytes())));
    }

    /** True when {@code o} fits inside this. */
    public boolean fits(ComputeResources o) {
        return o.cpu.millicores() <= cpu.millicores() && o.memory.bytes() <= memory.bytes();
    }
}
