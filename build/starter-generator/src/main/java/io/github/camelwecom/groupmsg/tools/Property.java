package io.github.camelwecom.groupmsg.tools;

import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

/** How an option is written in the configuration class. */
record Property(String javaType, String description, String literalDefault, Duration durationDefault,
        String beanType) {

    private static final Map<String, String> WRAPPERS = Map.of("boolean", "java.lang.Boolean", "byte",
            "java.lang.Byte", "short", "java.lang.Short", "int", "java.lang.Integer", "long", "java.lang.Long", "float",
            "java.lang.Float", "double", "java.lang.Double", "char", "java.lang.Character");

    /** Object types Spring Boot binds from text itself, so they need no bean reference. */
    private static final Pattern BOUND_BY_SPRING = Pattern
            .compile("java\\.lang\\..*|java\\.time\\..*|java\\.util\\.(Map|List|Set|Collection|Properties)");

    static Property of(Option option) {
        String boxed = WRAPPERS.getOrDefault(option.javaType(), option.javaType());
        return switch (option.type()) {
            case "duration" -> new Property("java.time.Duration", withType(option, "java.time.Duration"), null,
                    option.defaultValue() == null ? null
                            : Durations.parse(option.name(), option.defaultValue()),
                    null);
            case "string", "boolean", "integer", "number" -> simple(option, boxed);
            // an enum of a Java enum type is its text, as on a URI; an enum of numbers keeps its number type
            case "enum" -> simple(option, boxed.startsWith("java.lang.") ? boxed : "java.lang.String");
            case "object" -> {
                if (option.defaultValue() != null) {
                    throw new IllegalArgumentException(
                            "option " + option.name() + ": a default on a bean-typed option is not supported");
                }
                String raw = option.javaType().replaceAll("<.*", "");
                if (BOUND_BY_SPRING.matcher(raw).matches()) {
                    yield new Property(option.javaType(), option.description(), null, null, null);
                }
                yield new Property(option.javaType(), withType(option, option.javaType()), null, null, raw);
            }
            default -> throw new IllegalArgumentException("option " + option.name() + ": catalog type "
                    + option.type() + " (" + option.javaType() + ") is not supported by StarterGenerator");
        };
    }

    private static Property simple(Option option, String type) {
        String literal = option.defaultValue() == null ? null : literal(option, type, option.defaultValue());
        return new Property(type, option.description(), literal, null, null);
    }

    private static String literal(Option option, String type, String value) {
        try {
            return switch (type) {
                case "java.lang.String" -> JavaText.stringLiteral(value);
                case "java.lang.Boolean" -> String.valueOf(parseBoolean(value));
                case "java.lang.Integer" -> String.valueOf(Integer.parseInt(value));
                case "java.lang.Long" -> Long.parseLong(value) + "L";
                case "java.lang.Double" -> String.valueOf(Double.parseDouble(value));
                case "java.lang.Float" -> Float.parseFloat(value) + "F";
                default -> throw new IllegalArgumentException(
                        "option " + option.name() + ": a default for a " + type + " is not supported");
            };
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "option " + option.name() + ": default " + value + " is not a " + type, e);
        }
    }

    private static boolean parseBoolean(String value) {
        if (!value.equals("true") && !value.equals("false")) {
            throw new NumberFormatException(value);
        }
        return Boolean.parseBoolean(value);
    }

    /** camel-spring-boot's wording for an option whose property type is not a plain value. */
    private static String withType(Option option, String javaType) {
        String d = option.description();
        return (d.endsWith(".") ? d : d + ".") + " The option is a " + javaType + " type.";
    }
}
