using System.Buffers;
using System.Runtime.CompilerServices;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Identifiers;
using CapacitySim.Duis.Signing;
using CapacitySim.Duis.Templates;
using CapacitySim.Load.Arrivals;
using CapacitySim.Load.Http;
using CapacitySim.Load.Recording;

namespace CapacitySim.Load.Engine;

/// <summary>
/// One connection's sender: the pacer hands it an arrival and queues it to the thread pool; on a pool thread it
/// chooses what to send, renders the request from its template, signs it, enters it in the correlation table and
/// sends it; the synchronous answer (I99, a synchronous response or a refusal) is read in place. A Transform (CV 4)
/// answered with its Pre-Command is followed by the CV 5 request on the same connection. Then the slot takes the
/// oldest arrival waiting for a connection, on the same thread, or the connection goes back to the pool. Every
/// object is allocated once per slot: a request allocates nothing in steady state (the continuation is a cached
/// delegate, the awaited value task's source belongs to the connection).
/// </summary>
internal sealed class SendSlot : IThreadPoolWorkItem, IDisposable
{
    private readonly LoadEngine engine;
    private readonly DuisConnection connection;
    private readonly ArrayBufferWriter<byte> unsigned = new(8 * 1024);
    private readonly FastEnvelopedSigner?[] signers;
    private readonly Action continuation;
    private ConfiguredValueTaskAwaitable<DuisHttpResult>.ConfiguredValueTaskAwaiter awaiter;

    // Sends running on this thread's stack (any slot's): a request that finishes inside one must not start the next there.
    [ThreadStatic]
    private static int sending;

    private Arrival arrival;
    private long intended;
    private long released;

    private PlanEntry entry = null!;
    private RequestTemplate template = null!;
    private RequestId requestId;
    private CommandVariant commandVariant;
    private int pathIndex;
    private int device;
    private bool followUpDue;

    public SendSlot(LoadEngine engine, DuisConnection connection, IReadOnlyList<SigningIdentity?> identities)
    {
        this.engine = engine;
        this.connection = connection;
        signers = new FastEnvelopedSigner?[identities.Count];
        for (var i = 0; i < signers.Length; i++)
        {
            signers[i] = identities[i] is { } identity ? new FastEnvelopedSigner(identity) : null;
        }

        continuation = OnSendCompleted;
    }

    public DuisConnection Connection => connection;

    /// <summary>Takes an arrival (on the pacer's thread) and queues the send.</summary>
    public void Begin(in Arrival next, long intendedTimestamp, long actualTimestamp)
    {
        Take(next, intendedTimestamp, actualTimestamp);
        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
    }

    /// <summary>
    /// Takes an arrival on the thread that has just finished this slot's previous request and sends it there, which
    /// saves a hand-over to the thread pool per request when arrivals wait for connections. Queued instead when that
    /// request finished without waiting (still inside a send on this thread), so that the stack cannot grow.
    /// </summary>
    public void BeginHere(in Arrival next, long intendedTimestamp, long actualTimestamp)
    {
        if (sending > 0)
        {
            Begin(next, intendedTimestamp, actualTimestamp);
            return;
        }

        Take(next, intendedTimestamp, actualTimestamp);
        Execute();
    }

    private void Take(in Arrival next, long intendedTimestamp, long actualTimestamp)
    {
        arrival = next;
        intended = intendedTimestamp;
        released = actualTimestamp;
    }

    public void Execute()
    {
        sending++;
        try
        {
            var plan = engine.Plan;
            entry = plan.Choose(arrival.Index, out device);
            template = entry.Template;
            commandVariant = entry.CommandVariant;
            pathIndex = entry.PathIndex;
            if (!Prepare(intended, released))
            {
                engine.CountRefused();
                engine.ReturnSlot(this);
                return;
            }

            Send();
        }
        catch (Exception e)
        {
            engine.Fail(e);
            engine.ReturnSlot(this);
        }
        finally
        {
            sending--;
        }
    }

    public void Dispose()
    {
        foreach (var signer in signers)
        {
            signer?.Dispose();
        }
    }

    // Renders the request with a fresh counter and enters it in the correlation table; false when the table is full.
    private bool Prepare(long intendedTimestamp, long sentTimestamp)
    {
        var target = device < 0 ? Duis.Requests.RequestBodies.DccTarget : engine.Plan.Estate.Eui(device);
        requestId = new RequestId(entry.User.Eui, target, engine.NextCounter(entry.UserIndex));
        unsigned.ResetWrittenCount();
        var slots = template.HasExecutionDateTime
            ? new RequestSlots(requestId, engine.ExecutionDateTime())
            : new RequestSlots(requestId);
        template.Render(slots, unsigned);
        var key = engine.Plan.KeyOf(entry, device, commandVariant);
        if (!engine.Table.TryAdd(new CorrelationEntry(requestId, key, entry.UserIndex, intendedTimestamp, sentTimestamp)))
        {
            return false;
        }

        // Counted once in the table: from here the request ends as responded, abandoned, timed out or in flight.
        engine.CountSent(entry);
        return true;
    }

    private void Send()
    {
        while (true)
        {
            followUpDue = false;
#pragma warning disable CA2012 // Consumed exactly once: GetResult below or in the continuation, never both.
            awaiter = connection.SendAsync(new Body(this), new Handler(this), pathIndex, engine.Stopping).ConfigureAwait(false).GetAwaiter();
#pragma warning restore CA2012
            if (!awaiter.IsCompleted)
            {
                awaiter.UnsafeOnCompleted(continuation);
                return;
            }

            var result = awaiter.GetResult();
            awaiter = default;
            if (!AfterSend(result))
            {
                return;
            }
        }
    }

    private void OnSendCompleted()
    {
        try
        {
            var result = awaiter.GetResult();
            awaiter = default;
            if (AfterSend(result))
            {
                Send();
            }
        }
        catch (Exception e)
        {
            engine.Fail(e);
            engine.ReturnSlot(this);
        }
    }

    // True when a follow-up request is ready to go on this connection; otherwise the slot is returned.
    private bool AfterSend(DuisHttpResult result)
    {
        if (result != DuisHttpResult.Ok)
        {
            engine.CountSendFailure(result, requestId, entry);
            engine.ReturnSlot(this);
            return false;
        }

        if (followUpDue && entry.FollowUp is { } next)
        {
            // The user signs the Pre-Command and sends it at once: its latency runs from now.
            template = next;
            commandVariant = CommandVariant.CriticalSignedToDevice;
            pathIndex = TrafficPlan.SendCommandPath;
            var now = engine.Clock.GetTimestamp();
            if (Prepare(now, now))
            {
                return true;
            }

            engine.CountRefused();
        }

        engine.ReturnSlot(this);
        return false;
    }

    private int WriteBody(IBufferWriter<byte> output)
    {
        var signer = signers[entry.UserIndex];
        ReadOnlyMemory<byte> written;
        if (signer is null)
        {
            written = unsigned.WrittenMemory;
            output.Write(written.Span);
        }
        else
        {
            var body = unsigned.WrittenSpan;
            var memory = output.GetMemory(body.Length + signer.SignatureLength + 64);
            var length = signer.WriteSigned(body, memory.Span);
            output.Advance(length);
            written = memory[..length];
        }

        // The bytes stay valid until the connection renders its next request, which is after this call returns.
        engine.ObserveSent(requestId, entry.Srv, written);
        return written.Length;
    }

    private void OnAnswer(int status, in ReadOnlySequence<byte> body)
    {
        var now = engine.Clock.GetTimestamp();
        if (status == 200 && engine.SynchronousIntake.Accept(body, now, out var header) == 200)
        {
            if (commandVariant == CommandVariant.CriticalTransform && entry.FollowUp is not null && header.ResponseCode == ResponseCode.Success)
            {
                followUpDue = true;
            }

            engine.ObserveAnswer(header, body, now);
            return;
        }

        // Not a DUIS answer: the request will never be answered, so it leaves the table as an HTTP error.
        engine.CountHttpError(status, requestId);
    }

    private readonly struct Body(SendSlot slot) : IRequestBody
    {
        public int Write(IBufferWriter<byte> output) => slot.WriteBody(output);
    }

    private readonly struct Handler(SendSlot slot) : IResponseHandler
    {
        public void OnResponse(int status, in ReadOnlySequence<byte> body) => slot.OnAnswer(status, body);
    }
}
