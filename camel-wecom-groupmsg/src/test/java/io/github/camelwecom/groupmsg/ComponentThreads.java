package io.github.camelwecom.groupmsg;

import java.util.List;
import java.util.Set;

/**
 * The component's threads started since this object was made. Thread names carry the context's name, but every test
 * class's first context is "camel-1", so a thread is told apart by being new, not by its name.
 */
final class ComponentThreads {

    private final Set<Thread> before = Set.copyOf(Thread.getAllStackTraces().keySet());

    /** Names of the live component and endpoint threads that were not there before. */
    List<String> started() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive() && !before.contains(t))
                .map(Thread::getName).filter(n -> n.contains("WecomGroupMsg") || n.contains("wecom-groupmsg")).toList();
    }
}
