"""Events on their way between pillars: the ports, the outbox and its relays, the in-process
bus, the consumers that fill the feeds, and Kafka."""
