package io.fjord.cli;

/** Why {@code fjord image} refused a mix or could not write the image: a message for the user. */
final class ImageException extends Exception {

    private static final long serialVersionUID = 1L;

    ImageException(String message) {
        super(message, null, false, false);
    }
}
