using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;

namespace CapacitySim.Load.Http;

/// <summary>
/// A thread that waits on an epoll set for the sockets of <see cref="LoopSocketStream"/>s and tells each stream when
/// its socket became readable or writable; the stream's waiting read then completes on this thread, and so does
/// what follows it (the response is parsed and handed over, the slot's next request is sent).
/// </summary>
/// <remarks>
/// <para>
/// Hand-written because no library offers readiness-based socket I/O in .NET, and .NET's socket engine costs a load
/// generator about half its CPU per request: every receive is first tried at once after the send (a system call
/// that finds nothing, since the answer cannot be there yet) and only then queued for the engine's epoll thread,
/// which takes a lock per event and receives again. Here a stream knows whether anything arrived since its last
/// receive drained the socket, so an answered request costs one send, one receive and its share of an
/// <c>epoll_wait</c>, as in <c>wrk</c>. On this project's 2-core machine a minimal closed loop over each transport
/// spent 10.0-10.6 µs of CPU per request over epoll against 21.4-23.8 µs over .NET's sockets, and the engine's
/// throughput against a fixed-response endpoint went from 0.73x wrk's to 0.85x (one loop) and 0.88-0.94x (one loop
/// per core, three runs).
/// </para>
/// <para>
/// Writes made on a loop's thread (the next request, sent from the continuation of an answer) are held and sent
/// together once the batch of events is handled (<see cref="LoopSocketStream.WriteAsync(ReadOnlyMemory{byte}, CancellationToken)"/>).
/// </para>
/// <para>
/// Sockets are registered once, edge-triggered, for input, output and the peer's close. An event names its stream
/// through a <see cref="GCHandle"/>; a stream that is closed gives its handle back, and the loop frees it only before
/// its next <c>epoll_wait</c>, after every event fetched with the stream's socket still in the set has been handled.
/// </para>
/// </remarks>
internal sealed unsafe class SocketLoop
{
    private const int MaxEvents = 256;

    private static readonly Lazy<SocketLoop[]> Loops = new(Start);
    private static int next;

    private readonly int _epoll;
    private readonly ConcurrentQueue<GCHandle> _released = new();
    private readonly int _threadId;

    // Streams with writes held until the end of the batch of events; touched by the loop's thread only.
    private readonly List<LoopSocketStream> _flushes = [];

    private SocketLoop(int epoll, int index)
    {
        _epoll = epoll;
        using var started = new ManualResetEventSlim();
        var thread = new Thread(() => Run(started))
        {
            IsBackground = true,
            Name = $"CapacitySim socket loop {index}",
        };
        _threadId = thread.ManagedThreadId;
        thread.Start();

        // The loop is handed out only once its thread runs as it will serve (under its scheduling policy).
        started.Wait();
    }

    /// <summary>Whether the caller runs on this loop's thread (in the continuation of an event it is handling).</summary>
    public bool IsCurrentThread => Environment.CurrentManagedThreadId == _threadId;

    /// <summary>
    /// How many loops run: one per core, as <c>wrk</c> is run with a thread per core. On this project's 2-core machine
    /// two loops sent 41,000-44,000 requests a second against the fixed-response endpoint where one sent
    /// 34,000-44,000 (4 rounds in 5, alternating): with one thread reading every answer, a core stood idle 5-9% of
    /// the time (the endpoint waiting for requests the loop had yet to send), against 2-5% with two.
    /// </summary>
    public static int Count => int.TryParse(Environment.GetEnvironmentVariable("CAPACITYSIM_SOCKET_LOOPS"), out var count) && count > 0 ? count : Environment.ProcessorCount;

    /// <summary>The loop the next stream registers with (the loops take streams in turn).</summary>
    public static SocketLoop Next()
    {
        var loops = Loops.Value;
        return loops[(int)((uint)Interlocked.Increment(ref next) % (uint)loops.Length)];
    }

    /// <summary>Adds a socket to the set; its events go to <paramref name="stream"/> until <see cref="Remove"/>.</summary>
    /// <exception cref="IOException">epoll refused the socket.</exception>
    public GCHandle Add(int fd, LoopSocketStream stream)
    {
        var handle = GCHandle.Alloc(stream);
        var ev = stackalloc byte[16];
        *(uint*)ev = LinuxSockets.EpollIn | LinuxSockets.EpollOut | LinuxSockets.EpollRdHup | LinuxSockets.EpollEdgeTriggered;
        *(nint*)(ev + LinuxSockets.EventDataOffset) = GCHandle.ToIntPtr(handle);
        if (LinuxSockets.EpollCtl(_epoll, LinuxSockets.EpollCtlAdd, fd, ev) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            handle.Free();
            throw LinuxSockets.Failure("epoll_ctl", errno);
        }

        return handle;
    }

    /// <summary>Takes a socket out of the set (while it is still open); its handle is freed before the loop waits again.</summary>
    public void Remove(int fd, GCHandle handle)
    {
        var ev = stackalloc byte[16];
        _ = LinuxSockets.EpollCtl(_epoll, LinuxSockets.EpollCtlDel, fd, ev);
        _released.Enqueue(handle);
    }

    /// <summary>Has <paramref name="stream"/>'s held writes sent when the current batch of events is handled (loop thread only).</summary>
    public void QueueFlush(LoopSocketStream stream) => _flushes.Add(stream);

    private static SocketLoop[] Start()
    {
        var loops = new SocketLoop[Count];
        for (var i = 0; i < loops.Length; i++)
        {
            var epoll = LinuxSockets.EpollCreate(LinuxSockets.EpollCloseOnExec);
            if (epoll < 0)
            {
                throw LinuxSockets.Failure("epoll_create1", Marshal.GetLastPInvokeError());
            }

            loops[i] = new SocketLoop(epoll, i);
        }

        return loops;
    }

    private void Run(ManualResetEventSlim started)
    {
        var size = LinuxSockets.EventSize;
        var dataOffset = LinuxSockets.EventDataOffset;
        var events = (byte*)NativeMemory.Alloc((nuint)(MaxEvents * size));

        // SCHED_BATCH: a thread that wakes for a batch of answers does not preempt the thread running on its core (on
        // a machine shared with the endpoint or the embedded DCC, the thread that is about to answer the next
        // request); it takes its turn instead, and the answers it reads meanwhile keep their arrival order. In
        // alternating runs against the fixed-response endpoint on 2 cores (two loops) the engine sent 37,000-44,000
        // requests a second with it and 37,500-40,000 without, ahead in 3 rounds of 4. On a machine with an idle core
        // it changes nothing. Failure (a system without the policy) leaves the default.
        var parameter = 0;
        _ = LinuxSockets.SetScheduler(0, LinuxSockets.SchedBatch, &parameter);
        started.Set();

        while (true)
        {
            while (_released.TryDequeue(out var handle))
            {
                handle.Free();
            }

            var count = LinuxSockets.EpollWait(_epoll, events, MaxEvents, -1);
            if (count < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno == LinuxSockets.EIntr)
                {
                    continue;
                }

                // Cannot happen with a valid set and buffer; if it does, every stream of this loop would hang, so fail loudly.
                Environment.FailFast($"epoll_wait failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).");
            }

            for (var i = 0; i < count; i++)
            {
                var ev = events + (i * size);
                var stream = (LoopSocketStream)GCHandle.FromIntPtr(*(nint*)(ev + dataOffset)).Target!;
                try
                {
                    stream.OnEvents(*(uint*)ev);
                }
                catch (Exception e)
                {
                    Report(e);
                }
            }

            // The writes the batch's continuations made go out together (a failed one may run a read's continuation,
            // which may hold another write: the list may grow while it is walked).
            for (var i = 0; i < _flushes.Count; i++)
            {
                try
                {
                    _flushes[i].FlushHeld();
                }
                catch (Exception e)
                {
                    Report(e);
                }
            }

            _flushes.Clear();
        }
    }

    // What runs on the loop are the continuations of completed reads, which handle their own failures: an exception
    // out of one is a defect, reported as an unhandled exception would be on any thread, without stopping the other
    // streams' events.
    private static void Report(Exception e)
    {
        var captured = ExceptionDispatchInfo.Capture(e);
        ThreadPool.UnsafeQueueUserWorkItem(static state => state.Throw(), captured, preferLocal: false);
    }
}
