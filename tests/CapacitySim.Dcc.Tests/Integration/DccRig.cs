using System.Net.Http.Headers;
using System.Xml;
using CapacitySim.Dcc.Alerts;
using CapacitySim.Dcc.Capacity;
using CapacitySim.Dcc.Delivery;
using CapacitySim.Dcc.Host;
using CapacitySim.Dcc.Metrics;
using CapacitySim.Dcc.Simulation;
using CapacitySim.Devices.Behaviour;
using CapacitySim.Devices.Estate;
using CapacitySim.Devices.Time;
using CapacitySim.Duis;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Identifiers;
using CapacitySim.Duis.Reading;
using CapacitySim.Duis.Signing;
using CapacitySim.Duis.Tests.Support;

namespace CapacitySim.Dcc.Tests.Integration;

/// <summary>What the DCC answered synchronously over HTTP.</summary>
internal sealed record SyncAnswer(int Status, byte[] Body)
{
    public DuisHeader Header
    {
        get
        {
            Assert.Equal(DuisReadStatus.Ok, DuisHeaderReader.TryRead(Body, out var header));
            return header;
        }
    }
}

/// <summary>
/// The whole chain on loopback: an HTTP client, <see cref="DccHttpServer"/> on 127.0.0.1 (port 0), the
/// <see cref="SimulatedDcc"/> behind it, its delivery, and the users' endpoint the responses and alerts come back to.
/// </summary>
internal sealed class DccRig : IAsyncDisposable
{
    private readonly DccMetrics? metrics;

    private DccRig(SimulatedDcc dcc, DccHttpServer server, UserEndpoint endpoint, DccMetrics? metrics)
    {
        this.metrics = metrics;
        Dcc = dcc;
        Server = server;
        Endpoint = endpoint;
        Client = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
    }

    public SimulatedDcc Dcc { get; }

    public DccHttpServer Server { get; }

    public UserEndpoint Endpoint { get; }

    public HttpClient Client { get; }

    /// <summary>
    /// Starts a DCC built from <paramref name="options"/> and its HTTP server; the endpoint is the caller's. With
    /// <paramref name="exposeMetrics"/> the server also serves the DCC's metrics at <c>/metrics</c>, as <c>capacitysim dcc</c> does.
    /// </summary>
    public static async Task<DccRig> StartAsync(SimulatedDccOptions options, UserEndpoint endpoint, bool exposeMetrics = false)
    {
        var dcc = new SimulatedDcc(options);
        dcc.Start();
        var metrics = exposeMetrics ? new DccMetrics(dcc) : null;
        var serverOptions = new DccHttpServerOptions { Port = 0, ExposeMetrics = exposeMetrics, Registry = metrics?.Registry };
        var server = await DccHttpServer.StartAsync(serverOptions, dcc);
        return new DccRig(dcc, server, endpoint, metrics);
    }

    /// <summary>POSTs a request to the web service its command variant belongs to.</summary>
    public Task<SyncAnswer> PostAsync(byte[] request)
    {
        Assert.Equal(DuisReadStatus.Ok, DuisHeaderReader.TryRead(request, out var header));
        return PostAsync(DuisWebServices.ForCommandVariant(header.CommandVariant), request);
    }

    public async Task<SyncAnswer> PostAsync(DuisWebService service, byte[] request)
    {
        using var content = new ByteArrayContent(request);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/xml");
        using var response = await Client.PostAsync(new Uri(DuisWebServices.GetPath(service), UriKind.Relative), content);
        return new SyncAnswer((int)response.StatusCode, await response.Content.ReadAsByteArrayAsync());
    }

    /// <summary>Waits for the lanes to empty and delivery to finish, then returns the accounting snapshot.</summary>
    public async Task<DccAccountingSnapshot> DrainAsync(TimeSpan? limit = null)
    {
        Assert.True(await Dcc.StopAsync(limit ?? TimeSpan.FromSeconds(10)), $"the DCC did not drain: {Dcc.Snapshot()}");
        return Dcc.Snapshot();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.StopAsync(TimeSpan.FromSeconds(2));
        await Server.DisposeAsync();
        metrics?.Dispose();
        await Dcc.DisposeAsync();
    }
}

/// <summary>The estate, behaviour, clock and checks the integration tests share.</summary>
internal static class Integration
{
    /// <summary>Scenario start of every run: a fixed moment after the estate's epoch.</summary>
    public static readonly DateTimeOffset ScenarioStart = new(2025, 3, 1, 9, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Device behaviour with bounded latencies well inside the DCC's 30 s deadline and no lost responses, so every device
    /// request is answered with I0: 1 to 5 s for SMETS2, 1 to 6 s plus the SMS wake-up (5 s) for SMETS1.
    /// </summary>
    public const string PromptDevicesYaml = """
        defaults:
          latency:
            smets2:
              north:   { percentiles: { 0: 1s, 50: 2s, 100: 5s } }
              central: { percentiles: { 0: 1s, 50: 2s, 100: 5s } }
              south:   { percentiles: { 0: 1s, 50: 2s, 100: 5s } }
            smets1:
              default: { percentiles: { 0: 1s, 50: 3s, 100: 6s } }
          noResponse: 0
        """;

    private static readonly Lazy<DuisKeyStore> LazyKeys = new(() => DuisKeyStore.Load(SharedDuis.Keys));
    private static readonly Lazy<DuisKeyStore> LazyS1sp = new(ShippedTestMaterial.Smets1ServiceProviderKeys);

    /// <summary>DCC Boxed's keys (the users' and the DSP's).</summary>
    public static DuisKeyStore Keys => LazyKeys.Value;

    public static BehaviourConfig PromptDevices() => BehaviourConfig.Parse(PromptDevicesYaml, "prompt-devices");

    /// <summary>The default estate scaled down: the reference premises and <paramref name="premises"/> generated ones.</summary>
    public static Population Estate(int premises = 200) => PopulationBuilder.Build(Population.DefaultSpec().With(premises: premises));

    /// <summary>Scenario time at <paramref name="factor"/> times real time: a 5 s device answer takes 5 ms at ×1000.</summary>
    public static CompressedTimeProvider Clock(double factor = 1000) => new(factor, ScenarioStart);

    /// <summary>
    /// Options for a DCC with the shared DUIS material (DCC Boxed keys), the default users pointed at
    /// <paramref name="responseUrl"/>, and delivery whose POST time-out is long in scenario time (compressed time
    /// shortens it in real time); <paramref name="schemaSampleInterval"/> 1 validates every request against the schema.
    /// </summary>
    public static SimulatedDccOptions Options(
        Uri responseUrl,
        TimeProvider? clock = null,
        BehaviourConfig? behaviour = null,
        Population? estate = null,
        string? usersFile = null,
        bool generateAlerts = false,
        DccCapacityOptions? capacity = null,
        AlertStormOptions? alertStorm = null,
        DeliveryOptions? delivery = null,
        int schemaSampleInterval = 0) => new()
        {
            Estate = estate ?? Estate(),
            Behaviour = behaviour ?? PromptDevices(),
            UsersFile = usersFile,
            ResponseUrl = responseUrl,
            Material = DuisMaterial.Open(SharedDuis.Directory),
            Clock = clock ?? Clock(),
            Capacity = capacity ?? DccCapacityOptions.WithDefaultLanes(),
            AlertStorm = alertStorm ?? new AlertStormOptions(),
            Delivery = delivery ?? new DeliveryOptions { RequestTimeout = TimeSpan.FromHours(3) },
            GenerateAlerts = generateAlerts,
            SchemaSampleInterval = schemaSampleInterval,
        };

    /// <summary>Asserts the message is signed, and with DCC Boxed's DSP XML signing key.</summary>
    public static void AssertSignedByDcc(byte[] message)
    {
        Assert.True(DuisHeaderReader.TryRead(message, out var header) == DuisReadStatus.Ok && header.HasSignature, System.Text.Encoding.UTF8.GetString(message));
        Assert.Equal(SignatureVerificationResult.Valid, new DuisSignatureVerifier(Keys).Verify(message));
        Assert.True(Keys.TryFindByStem(SimulatedDcc.DccBoxedDspKey, out var dsp));
        var doc = DuisSignatureVerifier.LoadDocument(message);
        var issuerSerial = Signature(doc.DocumentElement!).GetElementsByTagName("X509SerialNumber", DuisNamespaces.XmlDsig);
        Assert.Equal(dsp.SerialNumber, issuerSerial[0]?.InnerText);
    }

    /// <summary>Asserts a SMETS1 response's inner <c>SMETS1SignedResponse</c> verifies with the shipped S1SP key.</summary>
    public static void AssertSmets1InnerSigned(byte[] message)
    {
        var doc = DuisSignatureVerifier.LoadDocument(message);
        var inner = doc.GetElementsByTagName("SMETS1SignedResponse", DuisNamespaces.ServiceUserGateway);
        Assert.Equal(1, inner.Count);
        Assert.Equal(SignatureVerificationResult.Valid, new DuisSignatureVerifier(LazyS1sp.Value).VerifyStandalone((XmlElement)inner[0]!));

        // The DCC's test keys do not hold the S1SP certificate: the inner signature is the provider's, not the DCC's.
        Assert.NotEqual(SignatureVerificationResult.Valid, new DuisSignatureVerifier(Keys).VerifyStandalone((XmlElement)inner[0]!));
    }

    /// <summary>The first device of the estate with this generation, type and status.</summary>
    public static DeviceRecord Find(Population estate, DeviceGeneration generation, Duis.Requests.DeviceType type, DeviceStatus status = DeviceStatus.Commissioned)
    {
        for (var i = 0; i < estate.Count; i++)
        {
            var d = estate.Get(i);
            if (d.Generation == generation && d.Type == type && d.Status == status)
            {
                return d;
            }
        }

        throw new InvalidOperationException($"The estate has no {status} {generation} {type}.");
    }

    /// <summary>Messages that answer <paramref name="id"/>.</summary>
    public static ReceivedMessage[] For(IEnumerable<ReceivedMessage> messages, RequestId id)
        => messages.Where(m => m.Header.HasRequestId && m.Header.RequestId == id).ToArray();

    private static XmlElement Signature(XmlElement root)
        => root.ChildNodes.OfType<XmlElement>().Single(e => e.LocalName == "Signature" && e.NamespaceURI == DuisNamespaces.XmlDsig);
}
