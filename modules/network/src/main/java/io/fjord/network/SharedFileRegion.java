package io.fjord.network;

import io.netty.channel.DefaultFileRegion;
import java.nio.channels.FileChannel;

/**
 * A {@link DefaultFileRegion} over a file channel the network layer does not own: releasing the
 * region leaves the channel open (Netty's own closes it). Being a {@code DefaultFileRegion}, the
 * epoll transport sends it with native sendfile; NIO sends it with {@code FileChannel.transferTo}.
 */
final class SharedFileRegion extends DefaultFileRegion {

    SharedFileRegion(FileChannel channel, long position, long count) {
        super(channel, position, count);
    }

    @Override
    protected void deallocate() {
        // The channel belongs to the log, which closes it when the segment goes.
    }
}
