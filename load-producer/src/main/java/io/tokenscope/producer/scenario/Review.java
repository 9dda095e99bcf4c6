package io.tokenscope.producer.scenario;

/** One labelled review: the text, and "positive" / "negative" (empty when unlabelled). */
public record Review(String text, String sentiment) {}
