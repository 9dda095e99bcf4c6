package io.tokenscope.kafka;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TopicExistsException;

/** Start-up check that the brokers answer, and creation of the topics an app needs. */
public final class Topics {
    private Topics() {}

    /** Thrown with a message naming --kafka-bootstrap, meant for the user as is. */
    public static final class Unreachable extends RuntimeException {
        Unreachable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Checks the cluster answers within 10 s, then creates each missing topic with the given
     * partitions (the broker's default replication) and configs.
     */
    public static void ensure(KafkaConnection kafka, int partitions, Map<String, String> configs, List<String> topics) {
        try (Admin admin = admin(kafka)) {
            admin.describeCluster().nodes().get(10, TimeUnit.SECONDS);
            for (String topic : topics) {
                try {
                    admin.createTopics(List.of(new NewTopic(topic, partitions, (short) -1).configs(configs)))
                            .all().get(10, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new Unreachable("cannot reach Kafka at " + kafka + " (" + flags(kafka) + "): "
                    + (e.getCause() == null ? "no answer within 10 s" : e.getCause().getMessage()), e);
        } catch (KafkaException e) {
            throw new Unreachable("cannot use Kafka at " + kafka + " (" + flags(kafka) + "): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unreachable("interrupted while contacting Kafka at " + kafka, e);
        }
    }

    /**
     * The topic's id, which a topic deleted and created again under the same name does not keep.
     * Throws {@link Unreachable} when the brokers do not say within 10 s.
     */
    public static String id(KafkaConnection kafka, String topic) {
        try (Admin admin = admin(kafka)) {
            return admin.describeTopics(List.of(topic)).allTopicNames().get(15, TimeUnit.SECONDS).get(topic).topicId()
                    .toString();
        } catch (ExecutionException | TimeoutException | KafkaException e) {
            throw new Unreachable("cannot read the id of topic " + topic + " at " + kafka + ": "
                    + (e.getCause() == null ? e.toString() : e.getCause().getMessage()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unreachable("interrupted while reading the id of topic " + topic, e);
        }
    }

    /** An admin client that gives up within seconds rather than the client's default minute. */
    private static Admin admin(KafkaConnection kafka) {
        Properties p = kafka.properties();
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        return Admin.create(p);
    }

    /** The flags a user would fix: the address, and the client settings when there are any. */
    private static String flags(KafkaConnection kafka) {
        return kafka.clientProperties().isEmpty() ? "--kafka-bootstrap" : "--kafka-bootstrap, --kafka-properties";
    }
}
