using System.Buffers;
using System.Collections.Frozen;
using System.Text;
using CapacitySim.Dcc.Alerts;
using CapacitySim.Dcc.Capacity;
using CapacitySim.Dcc.Delivery;
using CapacitySim.Dcc.Host;
using CapacitySim.Dcc.Users;
using CapacitySim.Dcc.Validation;
using CapacitySim.Devices.Behaviour;
using CapacitySim.Devices.Estate;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Identifiers;
using CapacitySim.Duis.Signing;
using CapacitySim.Duis.Writing;

namespace CapacitySim.Dcc.Simulation;

/// <summary>
/// The simulated DCC: validation in DUIS order, synchronous answers (I99, DUIS errors, non-device, Transform and
/// local-delivery answers), the lanes and each device's behaviour, alerts with storm protection, and delivery of
/// responses and alerts to the users' endpoints. Plug it into <see cref="DccHttpServer"/> to serve DUIS.
/// </summary>
public sealed partial class SimulatedDcc : IDuisRequestProcessor, IAsyncDisposable
{
    private readonly TimeProvider clock;
    private readonly SimulatedDccOptions options;
    private readonly DeviceBehaviour deviceBehaviour;
    private readonly BehaviourModel behaviourModel;
    private readonly ThreadLocal<MessageWorker> workers;
    private readonly SigningIdentity? dccIdentity;
    private readonly SigningIdentity? smets1Identity;
    private readonly Uri[] userEndpoints;
    private readonly FrozenDictionary<int, ServiceEffect> effects;
    private readonly int electricitySupplier;
    private readonly int gasSupplier;
    private readonly int networkOperator;
    private readonly CancellationTokenSource stopping = new();
    private Task? alertPump;

    private long started;
    private long faulted;
    private long notDuis;
    private long rejectedSync;
    private long answeredSync;
    private long acceptedForDevice;
    private long responses;
    private long asyncErrors;
    private long timedOut;
    private long lateSuccesses;
    private long smsWakeUps;
    private long deliveryRefused;
    private long alertsRaised;
    private long alertMessages;
    private long alertsWithoutRecipient;
    private long alertsHandled;
    private long responseCounter;
    private long drawCounter;

    /// <summary>Builds a simulated DCC (the estate, users, keys and behaviour are loaded here, not per request).</summary>
    public SimulatedDcc(SimulatedDccOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options;
        clock = options.Clock ?? TimeProvider.System;
        Estate = options.Estate ?? Population.Default();

        // The keys are chosen once for the run; a DCC built on its own chooses them from its options.
        var keyMaterial = options.KeyMaterial ?? new DuisKeyMaterial(options.Material, options.PkiDirectory);
        var materialKeys = keyMaterial.MaterialKeys;
        var baseUsers = options.Users is not null ? new UserDirectory(options.Users)
            : options.UsersFile is null ? UsersFile.Default(materialKeys) : UsersFile.Load(options.UsersFile, materialKeys);
        Users = options.ResponseUrl is null ? baseUsers : baseUsers.WithResponseEndpoint(options.ResponseUrl);

        // Without DUIS material the users sign with CapacitySim's test PKI, so the DCC checks against it.
        TestPki = materialKeys is null ? keyMaterial.EnsureTestUsers(Users.All.Select(u => u.Eui)) : null;
        Keys = materialKeys ?? TestPki!.Store;
        if (options.SignMessages)
        {
            dccIdentity = keyMaterial.DccIdentity();
            smets1Identity = keyMaterial.Smets1ServiceProviderIdentity();
        }

        var schema = options.SchemaSampleInterval > 0 ? keyMaterial.Schema : null;
        Validator = new RequestValidator(Users, Estate, new RequestValidatorOptions
        {
            VerifySignatures = options.VerifySignatures,
            Keys = Keys,
            Schema = schema,
            SchemaSampleInterval = schema is null ? 0 : options.SchemaSampleInterval,
            ReplayWindow = options.ReplayWindow,
        });

        ScenarioStart = clock.GetUtcNow();
        behaviourModel = new BehaviourModel(options.Behaviour ?? BehaviourConfig.Default(), Estate, NamesOf(Estate), options.Seed, ScenarioStart);
        deviceBehaviour = new DeviceBehaviour(behaviourModel);
        Events = new EventGenerator(behaviourModel);
        AlertStorm = new AlertStormProtection(options.AlertStorm, clock);
        Delivery = new DeliveryService(options.Delivery, clock);
        Capacity = new DccCapacityModel(options.Capacity, new Responder(this), new Outcomes(this), clock);
        workers = new ThreadLocal<MessageWorker>(() => new MessageWorker(dccIdentity, smets1Identity), trackAllValues: true);

        userEndpoints = new Uri[Users.Count];
        for (var i = 0; i < Users.Count; i++)
        {
            userEndpoints[i] = Users[i].ResponseEndpoint;
        }

        electricitySupplier = FirstUserWith(UserRoles.ImportSupplier);
        gasSupplier = FirstUserWith(UserRoles.GasSupplier);
        networkOperator = FirstUserWith(UserRoles.ElectricityDistributor);
        effects = ServiceCatalogue.All
            .Select(info => (info.Variant.Key, Effect: ServiceEffects.Of(info)))
            .Where(e => e.Effect != ServiceEffect.None)
            .ToFrozenDictionary(e => e.Key, e => e.Effect);
    }

    /// <summary>DCC Boxed's DSP XML signing key, used when the DUIS material holds it.</summary>
    public const string DccBoxedDspKey = "dsp-xml-sign-90B3D51F30000002-ds";

    /// <summary>The estate.</summary>
    public Population Estate { get; }

    /// <summary>The users and their endpoints.</summary>
    public UserDirectory Users { get; }

    /// <summary>The certificates requests are checked against.</summary>
    public DuisKeyStore Keys { get; }

    /// <summary>The generated test PKI, when no DUIS material with keys was given.</summary>
    public TestPki? TestPki { get; }

    /// <summary>Validation in DUIS order.</summary>
    public RequestValidator Validator { get; }

    /// <summary>Lanes, WAN latency, deadlines and emergency controls.</summary>
    public DccCapacityModel Capacity { get; }

    /// <summary>Alert storm protection.</summary>
    public AlertStormProtection AlertStorm { get; }

    /// <summary>Alerts by code and CSP region: generated, throttled by storm protection, handed to delivery.</summary>
    public AlertRegionCounts AlertsByRegion { get; } = new();

    /// <summary>Delivery of responses and alerts.</summary>
    public DeliveryService Delivery { get; }

    /// <summary>Alerts and scheduled events of the estate.</summary>
    public EventGenerator Events { get; }

    /// <summary>Scenario time when the DCC was built.</summary>
    public DateTimeOffset ScenarioStart { get; }

    /// <summary>True when responses and alerts are signed.</summary>
    public bool SignsMessages => dccIdentity is not null;

    /// <summary>The DCC's signing certificate, when signing.</summary>
    public SigningIdentity? DccIdentity => dccIdentity;

    /// <summary>Starts generating alerts and scheduled events (when enabled).</summary>
    public void Start()
    {
        if (options.GenerateAlerts && alertPump is null)
        {
            alertPump = Task.Run(() => PumpAlertsAsync(stopping.Token));
        }
    }

    /// <summary>Stops generating alerts, waits for the lanes to empty and delivery to finish (up to <paramref name="drain"/>).</summary>
    public async Task<bool> StopAsync(TimeSpan drain)
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        if (alertPump is not null)
        {
            await alertPump.ConfigureAwait(false);
        }

        using var timeout = new CancellationTokenSource(drain);
        try
        {
            // Empty lanes are not enough: an outcome that left them may still be being written and handed to delivery.
            while (Snapshot() is var s && (s.Capacity.InFlight > 0 || s.Capacity.AlertsInFlight > 0 || s.HandingOver > 0 || s.AlertsHandingOver > 0 || s.HandingToDelivery > 0))
            {
                await Task.Delay(20, timeout.Token).ConfigureAwait(false);
            }

            return await Delivery.DrainAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>
    /// The accounting snapshot. Each request and alert moves forward through counters that only grow, each counted
    /// downstream before upstream (the lanes count an outcome before the DCC hands it to delivery, delivery counts a
    /// message before the DCC counts it handed over). Reading them upstream first and <see cref="DccAccountingSnapshot.Received"/>
    /// last therefore gives a cut in which every identity of <see cref="DccAccountingSnapshot.IsBalanced"/> holds at any
    /// moment, with no lock on the request path; what is between two counters shows as in process or handing over.
    /// </summary>
    public DccAccountingSnapshot Snapshot()
    {
        // The order of these reads is what makes the cut consistent: do not reorder.
        var notDuisRead = Volatile.Read(ref notDuis);
        var rejectedRead = Volatile.Read(ref rejectedSync);
        var answeredRead = Volatile.Read(ref answeredSync);
        var faultedRead = Volatile.Read(ref faulted);
        var acceptedRead = Volatile.Read(ref acceptedForDevice);
        var responsesRead = Volatile.Read(ref responses);
        var errorsRead = Volatile.Read(ref asyncErrors);
        var timedOutRead = Volatile.Read(ref timedOut);
        var alertsHandledRead = Volatile.Read(ref alertsHandled);
        var alertMessagesRead = Volatile.Read(ref alertMessages);
        var alertsWithoutRecipientRead = Volatile.Read(ref alertsWithoutRecipient);
        var refusedRead = Volatile.Read(ref deliveryRefused);
        var capacity = Capacity.Snapshot();
        var delivery = Delivery.Snapshot();
        var receivedRead = Volatile.Read(ref started);
        return new DccAccountingSnapshot
        {
            At = clock.GetUtcNow(),
            Received = receivedRead,
            InProcess = receivedRead - (notDuisRead + rejectedRead + answeredRead + acceptedRead + faultedRead),
            NotDuis = notDuisRead,
            RejectedSynchronously = rejectedRead,
            AnsweredSynchronously = answeredRead,
            Faulted = faultedRead,
            AcceptedForDevice = acceptedRead,
            Responses = responsesRead,
            Errors = errorsRead,
            TimedOut = timedOutRead,
            LateDeviceSuccesses = Volatile.Read(ref lateSuccesses),
            SmsWakeUps = Volatile.Read(ref smsWakeUps),
            DeliveryRefused = refusedRead,
            AlertsRaised = Volatile.Read(ref alertsRaised),
            AlertsHandled = alertsHandledRead,
            AlertMessages = alertMessagesRead,
            AlertsWithoutRecipient = alertsWithoutRecipientRead,
            Capacity = capacity,
            Delivery = delivery,
            AlertStorm = AlertStorm.Snapshot(),
            AlertsByCodeAndRegion = AlertsByRegion.Snapshot(),
            Validation = Validator.Counters.Snapshot(),
        };
    }

    /// <inheritdoc/>
    public int Process(DuisWebService service, in ReadOnlySequence<byte> request, IBufferWriter<byte> response)
    {
        Interlocked.Increment(ref started);
        try
        {
            return Handle(service, request, response);
        }
        catch
        {
            // The HTTP layer answers 500; the request is still accounted for.
            Interlocked.Increment(ref faulted);
            throw;
        }
    }

    private int Handle(DuisWebService service, in ReadOnlySequence<byte> request, IBufferWriter<byte> response)
    {
        var outcome = Validator.Validate(service, request);
        if (outcome.IsHttpBadRequest)
        {
            // Not DUIS, or no RequestID or Service Reference Variant to address a DUIS response to (DccErrorCodes says why).
            Interlocked.Increment(ref notDuis);
            var text = $"not a DUIS request: {outcome.Reason} ({outcome.ReadStatus}) at byte {outcome.Header.ErrorOffset}\n";
            response.Write(Encoding.UTF8.GetBytes(text));
            return 400;
        }

        var header = outcome.Header;
        var now = clock.GetUtcNow();
        var worker = workers.Value!;
        var unsigned = worker.Begin();
        RequestId? requestId = header.HasRequestId ? header.RequestId : null;
        if (!outcome.IsAccepted)
        {
            worker.Writer.WriteResponse(new ResponseHeaderFields(requestId, null, outcome.ResponseCode, now), header.ServiceReferenceVariant, default, unsigned);
            response.Write(worker.Finish());
            Interlocked.Increment(ref rejectedSync);
            return 200;
        }

        var id = header.RequestId;
        var responseId = new ResponseId(id.Target, id.Originator, id.Counter);
        var srv = header.ServiceReferenceVariant;
        switch (header.CommandVariant)
        {
            case CommandVariant.NonDevice:
                WriteNonDeviceAnswer(worker, in outcome, responseId, now, request);
                response.Write(worker.Finish());
                Interlocked.Increment(ref answeredSync);
                return 200;
            case CommandVariant.CriticalTransform:
                // The user signs the Pre-Command and sends it back as command variant 5 (Send Command service).
                IllustrativeGbcsPayload.Write(worker.Payload, id.Counter, id.Target, id.Originator, now, (long)srv.Key);
                DuisSynchronousResponseWriter.WritePreCommand(new ResponseHeaderFields(id, responseId, ResponseCode.Success, now), srv, "4.3"u8, worker.Payload, unsigned);
                response.Write(worker.Finish());
                Interlocked.Increment(ref answeredSync);
                return 200;
            case CommandVariant.NonCriticalLocalDelivery:
            case CommandVariant.CriticalSignedLocalDelivery:
                // Local delivery: the command comes back for the user to deliver over the HAN; nothing goes over the WAN.
                IllustrativeGbcsPayload.Write(worker.Payload, id.Counter, id.Target, id.Originator, now, (long)srv.Key);
                worker.Writer.WriteResponse(new ResponseHeaderFields(id, responseId, ResponseCode.Success, now), srv, worker.Payload, unsigned);
                response.Write(worker.Finish());
                Interlocked.Increment(ref answeredSync);
                return 200;
            default:
                // Command variants 1, 3, 5 and 7 go to the device: acknowledge now, answer later by delivery.
                worker.Writer.WriteResponse(new ResponseHeaderFields(id, null, ResponseCode.Acknowledged, now), srv, default, unsigned);
                response.Write(worker.Finish());
                var info = outcome.Service!;
                // A variant that may be sent on demand is on demand here: DCC-scheduled traffic comes from schedules the
                // DCC runs, not from a user's request for a variant that also allows scheduling (4.8.1, 4.6.1, 4.16).
                var trafficClass = info.OnDemand ? DccTrafficClass.OnDemand
                    : info.FutureDatedPattern != FutureDatedPattern.No ? DccTrafficClass.FutureDated
                    : info.DccScheduled ? DccTrafficClass.DccScheduled
                    : DccTrafficClass.OnDemand;
                Capacity.Submit(new DccRequest(id, outcome.Device, srv, trafficClass, outcome.User!.Index, 0));

                // Counted after the lanes took it, so a snapshot never sees it here and not there (see Snapshot).
                Interlocked.Increment(ref acceptedForDevice);
                return 200;
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (!stopping.IsCancellationRequested)
        {
            await stopping.CancelAsync().ConfigureAwait(false);
        }

        if (alertPump is not null)
        {
            await alertPump.ConfigureAwait(false);
        }

        Capacity.Dispose();
        await Delivery.DisposeAsync().ConfigureAwait(false);
        Validator.Dispose();
        foreach (var w in workers.Values)
        {
            w.Dispose();
        }

        workers.Dispose();
        stopping.Dispose();
    }

    private int FirstUserWith(UserRoles role)
    {
        for (var i = 0; i < Users.Count; i++)
        {
            if ((Users[i].Roles & role) != 0 && Users[i].Status == UserStatus.Active)
            {
                return i;
            }
        }

        return -1;
    }

    private static EstateNames NamesOf(Population estate)
    {
        var dmcs = new string[estate.Dmcs.Count];
        for (var i = 0; i < dmcs.Length; i++)
        {
            if (estate.Dmcs[i].Id != i)
            {
                throw new InvalidOperationException($"DMC table out of order at {i} ({estate.Dmcs[i].Name} has id {estate.Dmcs[i].Id}).");
            }

            dmcs[i] = estate.Dmcs[i].Name;
        }

        var firmware = estate.Firmware.Select(f => new EstateFirmware(f.Dmc, f.Version)).ToArray();
        var providers = estate.Smets1ServiceProviders.Where(p => p is not null).Select(p => new EstateServiceProvider(p.Id, p.Name)).ToArray();
        return new EstateNames(dmcs, firmware, providers);
    }
}
