package dev.latchkey.catalog;

import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks the settings a user gives for an install against the server's {@code user_config} and
 * normalizes them: defaults applied (the built-in placeholders in a default are filled in;
 * {@code ${__dirname}} waits for launch), numbers as
 * {@link Long} or {@link Double} within {@code min}/{@code max}, booleans as {@link Boolean},
 * strings, directories and files as absolute path strings, {@code multiple} fields as lists.
 * Unset optional fields are left out.
 */
public final class UserConfig {

    private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
    private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

    private UserConfig() {
    }

    /** {@link #validate(CatalogServer, Map, Path)} with the user's home directory. */
    public static Map<String, Object> validate(CatalogServer server, Map<String, Object> raw) {
        return validate(server, raw, Path.of(System.getProperty("user.home")));
    }

    /**
     * @param raw  the values as the UI sent them (JSON types); null means none
     * @param home what {@code ${HOME}} in a default stands for
     * @throws InvalidUserConfigException for the first field at fault, in manifest order
     */
    public static Map<String, Object> validate(CatalogServer server, Map<String, Object> raw, Path home) {
        Map<String, Object> given = raw == null ? Map.of() : raw;
        Map<String, String> builtIns = Placeholders.builtIns(home, null);
        for (String key : given.keySet()) {
            if (!server.userConfig().containsKey(key)) {
                throw new InvalidUserConfigException(key, server.displayName() + " has no setting of that name"
                        + (server.userConfig().isEmpty() ? "" : "; it has " + String.join(", ", server.userConfig().keySet())));
            }
        }
        Map<String, Object> values = new LinkedHashMap<>();
        server.userConfig().forEach((key, field) -> {
            Object value = given.get(key);
            if (isEmpty(value)) {
                value = fillBuiltIns(field.defaultValue(), builtIns);
            }
            if (isEmpty(value)) {
                if (field.required()) {
                    throw new InvalidUserConfigException(key, "a value is required");
                }
                return;
            }
            values.put(key, normalize(key, field, value));
        });
        return values;
    }

    private static Object normalize(String key, UserConfigField field, Object value) {
        if (!field.isKnownType()) {
            throw new InvalidUserConfigException(key, "has type \"" + field.type() + "\", which Latchkey cannot check");
        }
        if (!field.multiple()) {
            if (value instanceof Collection<?>) {
                throw new InvalidUserConfigException(key, "expected one " + field.type() + ", got a list");
            }
            return one(key, field, value);
        }
        Collection<?> items = value instanceof Collection<?> c ? c : List.of(value);
        List<Object> out = new ArrayList<>();
        for (Object item : items) {
            if (!isEmpty(item)) {
                out.add(one(key, field, item));
            }
        }
        if (out.isEmpty() && field.required()) {
            throw new InvalidUserConfigException(key, "a value is required");
        }
        return List.copyOf(out);
    }

    private static Object one(String key, UserConfigField field, Object value) {
        return switch (field.type()) {
            case "number" -> number(key, field, value);
            case "boolean" -> bool(key, field, value);
            case "directory", "file" -> path(key, field, value);
            default -> string(key, field, value);
        };
    }

    private static String string(String key, UserConfigField field, Object value) {
        if (!(value instanceof String s)) {
            throw wrongType(key, field, "a string", value);
        }
        return s;
    }

    private static String path(String key, UserConfigField field, Object value) {
        String text = string(key, field, value).trim();
        if (text.startsWith("${__dirname}")) {
            return text; // the server's own directory, known only when it is launched
        }
        try {
            Path path = Path.of(text);
            if (!path.isAbsolute()) {
                throw new InvalidUserConfigException(key, "expected an absolute path to a " + field.type()
                        + ", got " + shown(field, text));
            }
            return path.normalize().toString();
        } catch (InvalidPathException e) {
            throw new InvalidUserConfigException(key, "expected a path to a " + field.type() + ", got " + shown(field, text));
        }
    }

    private static Boolean bool(String key, UserConfigField field, Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        if ("true".equals(value) || "false".equals(value)) {
            return Boolean.valueOf((String) value);
        }
        throw wrongType(key, field, "true or false", value);
    }

    private static Number number(String key, UserConfigField field, Object value) {
        BigDecimal number;
        try {
            number = value instanceof Number n ? new BigDecimal(n.toString())
                    : value instanceof String s ? new BigDecimal(s.trim()) : null;
        } catch (NumberFormatException e) {
            number = null;
        }
        if (number == null) {
            throw wrongType(key, field, "a number", value);
        }
        String got = field.sensitive() ? "" : ", got " + shown(number);
        if (field.min() != null && number.compareTo(BigDecimal.valueOf(field.min())) < 0) {
            throw new InvalidUserConfigException(key, "must be at least " + plain(field.min()) + got);
        }
        if (field.max() != null && number.compareTo(BigDecimal.valueOf(field.max())) > 0) {
            throw new InvalidUserConfigException(key, "must be at most " + plain(field.max()) + got);
        }
        if (number.signum() == 0 || number.stripTrailingZeros().scale() <= 0) {
            if (number.compareTo(LONG_MIN) < 0 || number.compareTo(LONG_MAX) > 0) {
                throw new InvalidUserConfigException(key, "expected a whole number from " + Long.MIN_VALUE + " to "
                        + Long.MAX_VALUE + got);
            }
            return number.longValue();
        }
        double fraction = number.doubleValue();
        if (Double.isInfinite(fraction)) {
            throw new InvalidUserConfigException(key, "expected a number of at most " + Double.MAX_VALUE
                    + " in size" + got);
        }
        return fraction;
    }

    // Exponent notation, to 12 digits, for very large or small numbers: 1e999999999 must not
    // become a billion digits in a message.
    private static String shown(BigDecimal number) {
        int digitsBeforePoint = number.precision() - number.scale();
        return Math.abs(digitsBeforePoint) > 30 ? number.round(new MathContext(12)).stripTrailingZeros().toString()
                : number.toPlainString();
    }

    private static InvalidUserConfigException wrongType(String key, UserConfigField field, String expected, Object value) {
        return new InvalidUserConfigException(key, "expected " + expected + ", got " + kind(value, field));
    }

    // A sensitive value is described by its kind only, never shown.
    private static String kind(Object value, UserConfigField field) {
        if (value instanceof String s) {
            return field.sensitive() ? "a string" : "\"" + s + "\"";
        }
        if (value instanceof Boolean || value instanceof Number) {
            return field.sensitive() ? (value instanceof Boolean ? "a boolean" : "a number") : value.toString();
        }
        if (value instanceof Collection<?>) {
            return "a list";
        }
        if (value instanceof Map<?, ?>) {
            return "an object";
        }
        return "a " + value.getClass().getSimpleName();
    }

    private static String shown(UserConfigField field, String text) {
        return field.sensitive() ? "a string that is not one" : "\"" + text + "\"";
    }

    private static String plain(double number) {
        return BigDecimal.valueOf(number).stripTrailingZeros().toPlainString();
    }

    private static boolean isEmpty(Object value) {
        return value == null
                || value instanceof String s && s.isBlank()
                || value instanceof Collection<?> c && c.isEmpty();
    }

    private static Object fillBuiltIns(Object value, Map<String, String> builtIns) {
        if (value instanceof String s) {
            return Placeholders.fillBuiltIns(s, builtIns);
        }
        if (value instanceof List<?> list) {
            return list.stream().map(item -> fillBuiltIns(item, builtIns)).toList();
        }
        return value;
    }
}
