package io.wharf.agent.driver.java;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/** The JVM the java driver tests run: prints its JVM options and arguments, says bye when stopped. */
public final class Greeter {
    private Greeter() {}

    public static void main(String[] args) throws InterruptedException {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("bye")));
        System.out.println("jvm=" + ManagementFactory.getRuntimeMXBean().getInputArguments());
        System.out.println("args=" + List.of(args));
        System.out.flush();
        if (!List.of(args).contains("--exit")) new CountDownLatch(1).await();
    }
}
