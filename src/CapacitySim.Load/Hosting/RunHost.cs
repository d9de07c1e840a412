using CapacitySim.Dcc.Capacity;
using CapacitySim.Devices.Estate;
using CapacitySim.Load.Engine;
using CapacitySim.Load.Scenarios;

namespace CapacitySim.Load.Hosting;

/// <summary>
/// Composes and runs a scenario in one call: builds the estate, signs with the run's keys, starts the users' receiver,
/// then the embedded simulated DCC (which delivers to that receiver) unless the run targets an external one, and runs
/// the engine to its result. Showing progress, serving metrics and writing reports are the caller's.
/// </summary>
public static class RunHost
{
    /// <summary>Runs <paramref name="request"/> to its end (or its cancellation).</summary>
    /// <exception cref="RunSetupException">The run cannot be set up as asked.</exception>
    /// <exception cref="CapacitySim.Devices.Configuration.ConfigException">The scenario does not fit the estate or the options.</exception>
    public static async Task<RunOutcome> RunAsync(RunRequest request, IRunProgress? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var plan = request.Plan();
        var scenario = plan.Scenario;
        var population = plan.Embedded || scenario.Estate.Kind != EstateSourceKind.DevicesCsv ? BuildPopulation(scenario) : null;
        var estate = population is not null ? TargetEstate.FromPopulation(population) : TargetEstate.FromDevices(scenario.Estate.Devices!);
        var signers = RunSigners.For(scenario, request.Keys, plan.Signing);
        var engineOptions = new LoadEngineOptions
        {
            Observer = request.Observer,
            Target = plan.Target ?? new Uri("http://127.0.0.1/"),
            Listen = plan.Listen,
            Signers = signers,
            Connections = request.Connections,
            MaxConnectionWait = request.MaxConnectionWait,
            OutputFolder = request.OutputFolder,
            ScenarioFile = request.ScenarioFile,
            ResponseTimeouts = request.ResponseTimeouts,
            Drain = request.Drain,
            DeviceDeadlines = EmbeddedDcc.DeviceDeadlines(DccCapacityOptions.WithDefaultLanes()),
            ServerCertificateValidation = request.Tls.ServerCertificateCheck,
            ClientCertificate = request.Tls.ClientCertificate,
            ReceiverCertificate = request.Tls.ReceiverCertificate,
            ReceiverClientCertificateValidation = request.Tls.ReceiverClientCertificateCheck,
            VerifyDeliveriesWith = null,
        };

        var engine = new LoadEngine(scenario, estate, engineOptions);
        await using (engine.ConfigureAwait(false))
        {
            try
            {
                await engine.StartAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or InvalidOperationException or System.Net.Sockets.SocketException)
            {
                throw new RunSetupException($"cannot listen for responses at {plan.Listen}: {ex.Message} (choose another --listen)", ex);
            }

            EmbeddedDcc? dcc = null;
            try
            {
                if (plan.Embedded)
                {
                    dcc = await EmbeddedDcc.StartAsync(request, plan, population!, engine.DeliveryAddress, cancellationToken).ConfigureAwait(false);

                    // At the end the DCC stops raising alerts and drains its deliveries before the final figures, so
                    // that its counts and the users' are one cut.
                    engine.Retarget(dcc.BaseAddress, dcc.Counts, dcc.Clock, dcc.StopForFinalCountsAsync);
                }

                if (progress is not null)
                {
                    await progress.StartedAsync(
                        new RunStarted
                        {
                            Plan = plan,
                            TotalArrivals = engine.Schedule.TotalArrivals,
                            Devices = estate.Count,
                            Target = dcc?.BaseAddress ?? plan.Target!,
                            DeliveryAddress = engine.DeliveryAddress,
                            Timeouts = engine.Timeouts,
                            Drain = engine.Drain,
                            Levels = engine.Levels,
                            Dmcs = population?.Dmcs,
                            DccMetrics = dcc?.MetricsRegistry,
                        },
                        cancellationToken).ConfigureAwait(false);
                }

                LoadRunResult result;
                try
                {
                    result = progress is null
                        ? await engine.RunAsync(null, cancellationToken).ConfigureAwait(false)
                        : await progress.RunAsync(show => engine.RunAsync(show, cancellationToken)).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return new RunOutcome(plan, null);
                }

                dcc?.UpdateMetrics();
                return new RunOutcome(plan, result);
            }
            finally
            {
                if (dcc is not null)
                {
                    await dcc.DisposeAsync().ConfigureAwait(false);
                }
            }
        }
    }

    private static Population BuildPopulation(Scenario scenario)
        => PopulationBuilder.Build(scenario.Estate.Spec ?? throw new RunSetupException("The scenario's estate has no population spec."));
}
