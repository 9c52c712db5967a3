package io.fjord.build.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class VersionsTest {

    @Test
    void parsesTheFourForms() {
        assertEquals(new Versions((short) 3, Short.MAX_VALUE), Versions.parse("3+"));
        assertEquals(new Versions((short) 3, (short) 7), Versions.parse("3-7"));
        assertEquals(new Versions((short) 5, (short) 5), Versions.parse("5"));
        assertTrue(Versions.parse("none").isEmpty());
        assertThrows(IllegalArgumentException.class, () -> Versions.parse("7-3"));
        assertThrows(IllegalArgumentException.class, () -> Versions.parse("x"));
    }

    @Test
    void conditionsAreSimplifiedForTheVersionsAStructExistsIn() {
        Versions message = Versions.parse("0-7");
        assertEquals("true", Versions.parse("0+").condition("v", message));
        assertEquals("v >= 3", Versions.parse("3+").condition("v", message));
        assertEquals("v <= 4", Versions.parse("0-4").condition("v", message));
        assertEquals("v >= 2 && v <= 4", Versions.parse("2-4").condition("v", message));
        assertEquals("v == 5", Versions.parse("5").condition("v", message));
        assertEquals("false", Versions.parse("9+").condition("v", message));
        assertEquals("true", Versions.parse("3+").condition("v", Versions.parse("3-7")));
    }
}
