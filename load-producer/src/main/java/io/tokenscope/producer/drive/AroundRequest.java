package io.tokenscope.producer.drive;

import io.vertx.core.Future;
import java.util.function.Function;

/**
 * Work done on the event loop's terms around each request of a closed loop: {@link #before}
 * runs before the request is sent and completes with what to do with its result once it has
 * finished. Both steps are futures, so nothing waits on the loop; the request's own clock
 * starts only when it is written, so this work never counts in its latency.
 */
@FunctionalInterface
public interface AroundRequest {
    AroundRequest NONE = () -> Future.succeededFuture(Future::succeededFuture);

    Future<Function<RequestResult, Future<RequestResult>>> before();
}
