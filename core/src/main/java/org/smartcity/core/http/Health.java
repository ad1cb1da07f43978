package org.smartcity.core.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;

/**
 * A service's health as {@code /health} reports it: UP only when every dependency it needs is up,
 * and for each dependency whether it is and, when it is not, why (so an operator reading a 503
 * knows which broker or store to look at).
 *
 * <p>JSON, in the shape Spring Boot's and Quarkus' health endpoints made familiar:
 *
 * <pre>{@code
 * {"status":"DOWN",
 *  "dependencies":{"mqtt":{"status":"UP"},
 *                  "kafka":{"status":"DOWN","detail":"no answer from localhost:9092 for 12 s"}}}
 * }</pre>
 *
 * @param dependencies in the order they are reported
 */
public record Health(List<Dependency> dependencies) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public Health {
        dependencies = List.copyOf(dependencies);
    }

    /** A health made of these dependencies. */
    public static Health of(Dependency... dependencies) {
        return new Health(List.of(dependencies));
    }

    /**
     * One dependency (a broker, a store, an internal worker) and its state.
     *
     * @param name short, stable and lower case ({@code kafka}, {@code mqtt}, {@code history})
     * @param up whether the service can use it now
     * @param detail why it is down, or something an operator wants to know while it is up (a
     *     restart count); {@code null} for nothing to say. Never a secret: it is served as is.
     */
    public record Dependency(String name, boolean up, String detail) {
        public Dependency {
            Objects.requireNonNull(name, "name");
        }

        public static Dependency up(String name) {
            return new Dependency(name, true, null);
        }

        public static Dependency up(String name, String detail) {
            return new Dependency(name, true, detail);
        }

        public static Dependency down(String name, String reason) {
            return new Dependency(name, false, reason);
        }

        /** {@code up(name)} when {@code up}, else {@code down(name, reasonIfDown)}. */
        public static Dependency of(String name, boolean up, String reasonIfDown) {
            return up ? up(name) : down(name, reasonIfDown);
        }
    }

    /** Whether every dependency is up (a service with none is up while it serves). */
    public boolean up() {
        return dependencies.stream().allMatch(Dependency::up);
    }

    /** The dependencies that are down, in order. */
    public List<Dependency> down() {
        return dependencies.stream().filter(d -> !d.up()).toList();
    }

    /** The HTTP status {@code /health} answers with: 200 when up, 503 when not. */
    public int httpStatus() {
        return up() ? 200 : 503;
    }

    /** The JSON document {@code /health} answers with. */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("status", status(up()));
        ObjectNode deps = root.putObject("dependencies");
        for (Dependency d : dependencies) {
            ObjectNode node = deps.putObject(d.name());
            node.put("status", status(d.up()));
            if (d.detail() != null) {
                node.put("detail", d.detail());
            }
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String status(boolean up) {
        return up ? "UP" : "DOWN";
    }
}
