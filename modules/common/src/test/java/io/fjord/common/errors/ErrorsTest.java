package io.fjord.common.errors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.HashSet;
import java.util.Set;
import org.apache.kafka.common.errors.RetriableException;
import org.junit.jupiter.api.Test;

class ErrorsTest {

    @Test
    void everyKafkaErrorHasTheSameCodeNameAndRetriability() {
        for (org.apache.kafka.common.protocol.Errors kafka : org.apache.kafka.common.protocol.Errors.values()) {
            Errors fjord = Errors.forCode(kafka.code());
            assertEquals(kafka.name(), fjord.name(), "name of code " + kafka.code());
            assertEquals(kafka.code(), fjord.code());
            boolean kafkaRetriable = kafka.exception() instanceof RetriableException;
            assertEquals(kafkaRetriable, fjord.retriable(), "retriable " + kafka.name());
            assertFalse(fjord.defaultMessage().isBlank());
        }
    }

    @Test
    void fjordHasNoCodeKafkaLacks() {
        assertEquals(org.apache.kafka.common.protocol.Errors.values().length, Errors.values().length);
        Set<Short> codes = new HashSet<>();
        for (Errors e : Errors.values()) {
            assertEquals(e.name(), org.apache.kafka.common.protocol.Errors.forCode(e.code()).name());
            assertEquals(true, codes.add(e.code()), "duplicate code " + e.code());
        }
    }

    @Test
    void unknownCodesMapToUnknownServerError() {
        assertSame(Errors.UNKNOWN_SERVER_ERROR, Errors.forCode((short) -2));
        assertSame(Errors.UNKNOWN_SERVER_ERROR, Errors.forCode((short) 30000));
        assertSame(Errors.UNKNOWN_SERVER_ERROR, Errors.forCode(Short.MIN_VALUE));
        assertSame(Errors.NONE, Errors.forCode((short) 0));
    }

    @Test
    void apiExceptionCarriesItsError() {
        ApiException e = new ApiException(Errors.INVALID_REQUEST, "bad");
        assertSame(Errors.INVALID_REQUEST, e.error());
        assertEquals("bad", e.getMessage());
    }
}
