package org.labspace.connector.trust;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The registry's JSON form: what the operator edits, signs and publishes. Unknown fields are refused so a typo in a
 * hand edit ("acreditations") fails loudly instead of silently dropping a member's accreditation.
 */
public final class RegistryJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(MapperFeature.AUTO_DETECT_IS_GETTERS) // NetworkMember.isActive() is not a field
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private RegistryJson() {
    }

    public static String write(NetworkRegistry registry) {
        try {
            return MAPPER.writeValueAsString(registry) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the registry as JSON", e);
        }
    }

    /**
     * @throws TrustException naming the field or position that is wrong
     */
    public static NetworkRegistry read(String json) throws TrustException {
        try {
            var registry = MAPPER.readValue(json, NetworkRegistry.class);
            if (registry == null) {
                throw new TrustException("registry document is empty");
            }
            return registry;
        } catch (UnrecognizedPropertyException e) {
            throw new TrustException("registry document has an unknown field '" + e.getPropertyName() + "'" + where(e));
        } catch (JsonProcessingException e) {
            throw new TrustException("registry document is not valid registry JSON: " + e.getOriginalMessage() + where(e));
        }
    }

    private static String where(JsonProcessingException e) {
        var location = e.getLocation();
        return location == null ? "" : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }
}
