"""Apache Kafka transport (aiokafka): the outbox relay's publisher and the pillar workers.

Events travel as CloudEvents in Kafka's binary content mode (CloudEvents Kafka
protocol binding, github.com/cloudevents/spec ``kafka-protocol-binding.md``):
the attributes are ``ce_*`` headers, the value is the event data, the key is
the case id so that one case's events stay in one partition, in order.

- :mod:`.codec`: CloudEvents as Kafka records (pure);
- :mod:`.topics`: topic and consumer-group names, bootstrap servers;
- :mod:`.clients`: the producer the gateway uses, stopping a client quietly;
- :mod:`.lock`: the PostgreSQL advisory lock that lets one gateway relay at a time;
- :mod:`.relay`: the outbox relay to Kafka;
- :mod:`.worker`: a pillar's consumer-group worker, filing its feed;
- :mod:`.lag`: each worker group's lag, for ``/readyz``.
"""
