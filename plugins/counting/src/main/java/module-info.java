/** A sample producer interceptor plugin: counts what a producer sends and how each send ended. */
module io.fjord.plugin.counting {
    requires io.fjord.api;

    provides io.fjord.api.producer.ProducerInterceptor with io.fjord.plugin.counting.CountingInterceptor;
}
