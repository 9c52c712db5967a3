# CPU budget of one phase of a broker profile: reads async-profiler's collapsed stacks (cpu mode)
# and charges each sample to one stage of the produce or fetch path, by the innermost frame of
# its stack that a rule below names (so a kernel copy under pwrite is the page-cache write, and
# a futex wake under a purgatory completion is a hand-off). Prints a Markdown table: samples,
# CPU seconds and seconds per GiB moved, per stage.
#
#   awk -v interval_ns=1000000 -v gib=0.954 -v phase=produce -f cpu-budget.awk stacks.collapsed
#
# interval_ns: the profile's sampling interval in CPU nanoseconds; gib: GiB produced (or fetched)
# while it was taken. Stages follow the produce path's order in perf/README.md.

BEGIN {
    # Ordered rules: the first rule that matches a frame names its stage. Frames are tested from
    # the leaf up, so a rule only needs to name the frame that marks the stage.
    n = 0
    rule[++n] = "CompileBroker|C2Compiler|C1Compiler|Compilation::";        stage[n] = "JIT compilation"
    rule[++n] = "G1[A-Z]|PSScavenge|PSParallelCompact|ParallelScavengeHeap|VM_ParallelGC|GCTaskThread|GangWorker|WorkerThread::run|ConcurrentGCThread|VM_G1|SafepointSynchronize"; stage[n] = "GC and safepoints"
    rule[++n] = "updateBytesCRC32C|CRC32C|Crc32C";                           stage[n] = "CRC-32C"
    rule[++n] = "do_sendfile|sendfile|transferTo";                           stage[n] = "sendfile (fetch data)"
    rule[++n] = "FileDispatcherImpl.pwrite|FileDispatcherImpl.write0|FileChannelImpl.write"; stage[n] = "write to the page cache"
    rule[++n] = "io/fjord/log/index/";                                       stage[n] = "index updates and lookups"
    rule[++n] = "io/fjord/log/LogValidator|RecordBatchView|DefaultRecordsIterator|Decompress|Lz4|Zstd|Snappy|Gzip"; stage[n] = "validation"
    rule[++n] = "io/fjord/log/LogAppender|io/fjord/log/ProducerState|io/fjord/log/LeaderEpochCache"; stage[n] = "offset assignment and producer state"
    rule[++n] = "io/fjord/log/LogSegment.read|io/fjord/log/FileBatchCursor|io/fjord/log/LocalLog.read|io/fjord/log/PartitionLog.read|FileDispatcherImpl.pread"; stage[n] = "log read (positions)"
    rule[++n] = "io/fjord/timer/|DelayedProduce|DelayedFetch|maybeIncrementHighWatermark|updateFollowerFetchState"; stage[n] = "purgatory and acks completion"
    rule[++n] = "LockSupport|Unsafe.park|Unsafe_Unpark|Unsafe.unpark|Parker::|futex|eventFdWrite|eventfd|RequestChannel|MpscQueue|MpscLinkedQueue|MpscArrayQueue|wakeup"; stage[n] = "thread hand-offs and wake-ups"
    rule[++n] = "epoll_wait|epollWait|epoll_pwait";                          stage[n] = "event loop (epoll)"
    rule[++n] = "doReadBytes|Native.read|readAddress|sys_read|ksys_read|tcp_recvmsg|sock_recvmsg";    stage[n] = "socket read"
    rule[++n] = "writev|Native.write|writeBytesMultiple|doWriteMultiple|doWriteBytes|sys_write|tcp_sendmsg"; stage[n] = "socket write (responses)"
    rule[++n] = "io/fjord/network/ConnectionHandler.parseFrames|io/fjord/network/ConnectionHandler.channelRead|io/fjord/network/RequestMemoryPool|ByteToMessageDecoder"; stage[n] = "framing"
    rule[++n] = "io/fjord/protocol/message/.*(Request|Data)\\.read|io/fjord/protocol/wire/|WireReader|MessageCodec.decode|RequestHeader"; stage[n] = "request decode"
    rule[++n] = "io/fjord/protocol/message/.*(Response|Data)\\.write|MessageCodec.encode|ResponseHeader|ConnectionHandler.write|ConnectionHandler.respond|io/fjord/broker/Responses|TopicResponses"; stage[n] = "response encode"
    rule[++n] = "io/fjord/broker/FetchHandler|io/fjord/broker/FetchSession|io/fjord/broker/LogFileRecords"; stage[n] = "fetch handling"
    rule[++n] = "io/fjord/broker/ProduceHandler|io/fjord/replication/|io/fjord/log/PartitionLog|io/fjord/log/LocalLog"; stage[n] = "produce handling"
    rule[++n] = "io/fjord/|io/netty/";                                       stage[n] = "other Fjord and Netty code"
    rules = n
    other = "other (JVM, kernel, libraries)"
}

{
    count = $NF
    line = $0
    sub(/ [0-9]+$/, "", line)
    frames = split(line, f, ";")
    chosen = other
    for (i = frames; i >= 1 && chosen == other; i--) {
        for (r = 1; r <= rules; r++) {
            if (f[i] ~ rule[r]) { chosen = stage[r]; break }
        }
    }
    samples[chosen] += count
    total += count
}

END {
    printf "| %s stage | samples | CPU s | s per GiB | share |\n", phase
    print "|---|---:|---:|---:|---:|"
    for (r = 1; r <= rules + 1; r++) {
        name = r <= rules ? stage[r] : other
        if ((name in printed) || !(name in samples)) continue
        printed[name] = 1
        s = samples[name] * interval_ns / 1e9
        printf "| %s | %d | %.2f | %.2f | %.1f%% |\n", name, samples[name], s, (gib > 0 ? s / gib : 0), 100 * samples[name] / total
    }
    s = total * interval_ns / 1e9
    printf "| **total** | %d | %.2f | %.2f | 100%% |\n", total, s, (gib > 0 ? s / gib : 0)
}
